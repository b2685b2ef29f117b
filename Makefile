# cityops - see README.md.  Targets: all check bench demo deps fuzz install
# uninstall clean lint.  DEVELOPER=1 adds -Werror, SANITIZE=1 builds with
# AddressSanitizer and UBSan.  The user's CFLAGS/LDFLAGS are kept apart from ours.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config

CSTD = -std=c17 -D_POSIX_C_SOURCE=200809L
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings -Wvla -Wformat=2
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif
SAN =
ifeq ($(SANITIZE),1)
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

PKGS = sqlite3 libpcre2-8 zlib xlsxwriter
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lpcre2-8 -lz -lxlsxwriter)

ALL_CFLAGS = $(CSTD) $(WARN) -Ilib $(PKG_CFLAGS) $(CPPFLAGS) $(SAN) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lcsv -lpthread -lm

# Every cmd/<tool>.c is a tool; cmd/shared/ holds what is linked into each
# of them (schemas.c: the store's schemas, one per domain).
TOOLS = $(basename $(notdir $(wildcard cmd/*.c)))
CMD_SHARED_OBJ = $(patsubst cmd/%.c,build/cmd/%.o,$(wildcard cmd/shared/*.c))
# The core in lib/, each domain in lib/<domain>/ (DESIGN §4)
LIB_SRC = $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ = $(LIB_SRC:lib/%.c=build/lib/%.o)
LIB_HDR = $(wildcard lib/*.h lib/*/*.h)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
BINS = $(TOOLS:%=bin/%)

# A build with different flags must not reuse objects of another: remember them.
FLAGS_STAMP = build/.flags

all: $(BINS)

build/.flags: FORCE
	@mkdir -p build
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

build/lib/%.o: lib/%.c $(LIB_HDR) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

lib/libcityops.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

build/cmd/%.o: cmd/%.c $(wildcard cmd/*.h cmd/shared/*.h) $(LIB_HDR) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

bin/%: build/cmd/%.o $(CMD_SHARED_OBJ) lib/libcityops.a
	@mkdir -p bin
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CMD_SHARED_OBJ) lib/libcityops.a $(LIBS)

build/tests/%: tests/unit/%.c tests/unit/tap.h tests/unit/memsrc.h $(CMD_SHARED_OBJ) lib/libcityops.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Icmd $(ALL_LDFLAGS) -o $@ $< $(CMD_SHARED_OBJ) lib/libcityops.a $(LIBS)

unit: $(UNIT_BIN)

check: deps all unit
	@sh tests/check.sh

# the hostile run of issue 9 in full (make check runs its short form)
torture: all
	@TORTURE=full sh tests/torture.sh

lint:
	@sh tests/lint-includes.sh
	@sh tests/lint-docs.sh

bench: all
	@sh tests/bench/bench.sh

demo: deps all
	@sh examples/demo.sh

deps:
	@sh tests/deps.sh

# the generator of the example data (examples/lushan/README.md)
build/genlushan: examples/lushan/genlushan.c tests/bench/rnd.h tests/bench/phrases.h
	@mkdir -p build
	$(CC) $(CSTD) $(WARN) -Itests/bench $(CFLAGS) -o $@ examples/lushan/genlushan.c

# libFuzzer harnesses (clang): make fuzz builds them; FUZZ_TIME=300 make fuzz-run runs each.
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined $(CSTD) -Ilib $(PKG_CFLAGS)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(LIB_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(LIBS)
fuzz: $(FUZZ_BIN)
fuzz-run: fuzz
	@for f in $(FUZZ_BIN); do n=$${f##*/}; mkdir -p build/corpus/$$n; \
	  $$f -max_total_time=$${FUZZ_TIME:-60} -max_len=65536 build/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	for t in $(TOOLS); do install -m 644 man/$$t.1 $(DESTDIR)$(MANDIR)/man1; \
	  install -m 644 completions/bash/$$t $(DESTDIR)$(BASHCOMPDIR)/$$t; \
	  install -m 644 completions/zsh/_$$t $(DESTDIR)$(ZSHCOMPDIR)/_$$t; \
	  install -m 644 completions/fish/$$t.fish $(DESTDIR)$(FISHCOMPDIR)/$$t.fish; done
	install -m 644 man/cityops.7 $(DESTDIR)$(MANDIR)/man7

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(MANDIR)/man1/$$t.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/$$t $(DESTDIR)$(ZSHCOMPDIR)/_$$t $(DESTDIR)$(FISHCOMPDIR)/$$t.fish; done
	rm -f $(DESTDIR)$(MANDIR)/man7/cityops.7

clean:
	rm -rf build bin lib/libcityops.a

.PHONY: all check unit lint torture bench demo deps fuzz fuzz-run install uninstall clean FORCE
.SECONDARY:

# the storm of examples/lushan/ that examples/flood.test.sh replays
build/genstorm: examples/lushan/genstorm.c tests/bench/rnd.h tests/bench/storm.h
	@mkdir -p build
	$(CC) $(CSTD) $(WARN) -Itests/bench $(CFLAGS) -o $@ examples/lushan/genstorm.c -lm

# the generator of the example 12345 export (examples/lushan/README.md) and
# of the bench's 100,000-ticket export (tests/bench/hotline.bench.sh)
build/genhotline: examples/lushan/genhotline.c tests/bench/rnd.h tests/bench/phrases.h
	@mkdir -p build
	$(CC) $(CSTD) $(WARN) -Itests/bench $(CFLAGS) -o $@ examples/lushan/genhotline.c

# the generator of gps-audit's example day (examples/lushan/README.md)
build/genfixes: examples/lushan/genfixes.c lib/geo.c lib/geo.h tests/bench/rnd.h tests/bench/genfile.h
	@mkdir -p build
	$(CC) $(CSTD) $(WARN) -Ilib -Itests/bench $(CFLAGS) -o $@ examples/lushan/genfixes.c lib/geo.c -lm
