#!/bin/sh
# lint-docs.sh - the docs lint (DESIGN §8, STYLE "Tests").
#
# For every tool in bin/, each option that `bin/TOOL --list-options` prints
# ("-f --format" or "--map", one a line) must appear in `bin/TOOL --help`, in
# man/TOOL.1 (as "Fl -name", and "Fl x" for its short form), and in the three
# completions: completions/bash/TOOL and completions/zsh/_TOOL ("--name",
# "-x"), completions/fish/TOOL.fish ("-l name", "-s x").  Then every page
# man/*.1 man/*.5 man/*.7 must pass `mandoc -Tlint` (skipped when mandoc is
# not installed), and its cross-references to the toolkit's own pages must
# lead somewhere.
#
# Output is TAP: one "ok N - ..." or "not ok N - ..." a check, then "1..N".
# Exit 1 when a check failed.  Run from the project root (make lint, make
# check); POSIX sh.

cd "$(dirname "$0")/.." || exit 1

n=0
failed=0
tmp=${TMPDIR:-/tmp}/lint-docs.$$
trap 'rm -f "$tmp".*' EXIT
trap 'exit 1' HUP INT TERM

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

skip() {
	# skip REASON DESCRIPTION...
	why=$1
	shift
	n=$((n + 1))
	echo "ok $n - $* # SKIP $why"
}

# has FILE ERE: does FILE hold a match of the extended regex?
has() {
	[ -f "$1" ] && grep -Eq -- "$2" "$1"
}

# What may stand beside an option name: not a letter, digit, '_' or '-'.
B='[^[:alnum:]_-]'

# The pages of the toolkit itself (DESIGN §7 and STYLE "Layout"); a
# reference to one of them must find the page once it is written.
own_pages='case-import case-route case-stat hotline-sync flood-check gps-audit cityops cityops-config'

# ---- options ---------------------------------------------------------------

tools=0
for exe in bin/*; do
	if ! [ -f "$exe" ] || ! [ -x "$exe" ]; then continue; fi
	tool=${exe#bin/}
	tools=$((tools + 1))
	man=man/$tool.1
	bash_c=completions/bash/$tool
	zsh_c=completions/zsh/_$tool
	fish_c=completions/fish/$tool.fish

	if ! "$exe" --list-options >"$tmp.opts" 2>"$tmp.err" || ! [ -s "$tmp.opts" ]; then
		not_ok "$tool: --list-options lists the options"
		sed 's/^/# /' "$tmp.err"
		continue
	fi
	ok "$tool: --list-options lists the options"
	if "$exe" --help >"$tmp.help" 2>"$tmp.err"; then
		ok "$tool: --help exits 0"
	else
		not_ok "$tool: --help exits 0"
		sed 's/^/# /' "$tmp.err"
	fi
	for f in "$man" "$bash_c" "$zsh_c" "$fish_c"; do
		if [ -f "$f" ]; then
			ok "$tool: $f exists"
		else
			not_ok "$tool: $f exists"
		fi
	done

	while read -r a b; do
		case $a in
		--?*)	short='' long=${a#--} ;;
		-?)	short=${a#-} long=${b#--} ;;
		'')	continue ;;
		*)	not_ok "$tool: --list-options line '$a $b' reads as options"
			continue ;;
		esac
		if [ -n "$short" ]; then
			what="-$short --$long"
		else
			what="--$long"
		fi

		# --help
		if has "$tmp.help" "(^|$B)--$long($B|\$)" &&
		   { [ -z "$short" ] || has "$tmp.help" "(^|$B)-$short($B|\$)"; }; then
			ok "$tool: $what in --help"
		else
			not_ok "$tool: $what in --help"
		fi

		# the man page: ".It Fl f , Fl -format Ar fmt" (also "Fl \-format")
		if has "$man" "(^|[[:space:]])Fl (\\\\)?-$long($B|\$)" &&
		   { [ -z "$short" ] || has "$man" "(^|[[:space:]])Fl $short($B|\$)"; }; then
			ok "$tool: $what in man page"
		else
			not_ok "$tool: $what in man page"
		fi

		# bash and zsh: the words "--format" and "-f"
		for f in "$bash_c" "$zsh_c"; do
			case $f in
			*/bash/*) sh_name=bash ;;
			*) sh_name=zsh ;;
			esac
			if has "$f" "(^|$B)--$long($B|\$)" &&
			   { [ -z "$short" ] || has "$f" "(^|$B)-$short($B|\$)"; }; then
				ok "$tool: $what in $sh_name completion"
			else
				not_ok "$tool: $what in $sh_name completion"
			fi
		done

		# fish: "-l format" and "-s f" (or --long-option/--short-option)
		if has "$fish_c" "(^|[[:space:]])(-l|--long-option)[[:space:]]+['\"]?$long(['\"]|$B|\$)" &&
		   { [ -z "$short" ] || has "$fish_c" "(^|[[:space:]])(-s|--short-option)[[:space:]]+['\"]?$short(['\"]|$B|\$)"; }; then
			ok "$tool: $what in fish completion"
		else
			not_ok "$tool: $what in fish completion"
		fi
	done <"$tmp.opts"
done
if [ "$tools" -eq 0 ]; then
	not_ok "bin/ holds the built tools (run make first)"
fi

# ---- the pages --------------------------------------------------------------

have_mandoc=
command -v mandoc >/dev/null 2>&1 && have_mandoc=1

for page in man/*.1 man/*.5 man/*.7; do
	[ -f "$page" ] || continue
	if [ -z "$have_mandoc" ]; then
		skip "mandoc is not installed" "mandoc -Tlint $page"
	else
		# Cross-references are checked below, against this tree rather than
		# the system's manual database; the "outdated mandoc.db" notes are
		# about the system, not the page.
		mandoc -Tlint "$page" >"$tmp.lint" 2>&1
		grep -v -e 'referenced manual not found' -e 'mandoc\.db' \
			"$tmp.lint" >"$tmp.lint2"
		if [ -s "$tmp.lint2" ]; then
			not_ok "mandoc -Tlint $page"
			sed 's/^/# /' "$tmp.lint2"
		else
			ok "mandoc -Tlint $page"
		fi
	fi

	# .Xr to the toolkit's own pages
	awk '/^\./ { for (i = 1; i < NF - 1; i++) if ($i == "Xr" || $i == ".Xr") print $(i + 1), $(i + 2) }' \
		"$page" | sort -u >"$tmp.xr"
	while read -r name sec; do
		case " $own_pages " in
		*" $name "*) ;;
		*) continue ;;
		esac
		if [ -f "man/$name.$sec" ]; then
			ok "$page: Xr $name $sec has a page"
		elif [ -x "bin/$name" ]; then
			not_ok "$page: Xr $name $sec has a page (bin/$name is built)"
		else
			skip "man/$name.$sec is not written yet" "$page: Xr $name $sec has a page"
		fi
	done <"$tmp.xr"
done

echo "1..$n"
[ "$failed" -eq 0 ]
