/*
 * opt.h - the shared options (DESIGN §3), one table for getopt_long, --help
 * and the hidden --list-options that the docs lint reads.
 *
 * A tool lists its own options in the same form and calls:
 *   struct opt_common co;  opt_common_init(&co);
 *   struct opt_parser p;   opt_parser_init(&p, tool_opts);
 *   while ((c = opt_next(&p, &co, argc, argv, tool_opts, &usage)) != -1) {
 *           if (c == OPT_EXIT) return co.exit_status;  help: 0; bad: 64
 *           switch (c) { ... the tool's own ... }
 *   }
 * opt_next() handles the shared options itself and returns the tool's.
 * --help prints the usage (synopsis, purpose, the tool's options, then the
 * shared ones, "See case-import(1).") and exits 0; --list-options prints
 * every long option, one per line, for the docs lint.
 */
#ifndef CITYOPS_OPT_H
#define CITYOPS_OPT_H

#include <getopt.h>

#include "db.h"
#include "encoding.h"
#include "out.h"
#include "paths.h"
#include "rec.h"

struct opt_desc {
	const char *name;   /* long name */
	int val;            /* short letter, or an OPT_* code >= 256 */
	int has_arg;        /* no_argument, required_argument */
	const char *arg;    /* "FILE" etc. */
	const char *help;
};

enum {
	OPT_ENCODING = 256,
	OPT_BOM,
	OPT_NO_PROGRESS,
	OPT_BUSY_TIMEOUT,
	OPT_LIST_OPTIONS,
	OPT_LANG,
	OPT_TOTAL,
	OPT_TOOL_BASE = 512,  /* tools number their own long-only options from here */
};

struct opt_common {
	const char *db;
	int format;          /* -1: default by terminal */
	int input_format;    /* REC_AUTO unless -i */
	const char *output;
	enum encoding encoding;
	int bom;
	int lang_zh;         /* --lang zh: Chinese headers and labels */
	int total;           /* --total: a total row in every format */
	int dry_run;
	int no_progress;
	int busy_ms;
	int exit_status;
};

struct usage {
	const char *synopsis;   /* "[options] [FILE...]" */
	const char *purpose;
};

struct opt_parser {
	struct option *longs;
	char shorts[128];
};

#define OPT_EXIT (-2)

void opt_common_init(struct opt_common *co);
int opt_next(struct opt_parser *p, struct opt_common *co, int argc, char **argv,
	     const struct opt_desc *tool, const struct usage *u);
void opt_parser_init(struct opt_parser *p, const struct opt_desc *tool);
void opt_parser_free(struct opt_parser *p);
/* The output format: -f, else xlsx for -o NAME.xlsx, else csv for -o,
 * else table on a terminal, else csv.  -f xlsx (or -o x.xlsx) to standard
 * output needs -o - and no terminal: opt_next() refuses it with 64. */
enum out_format opt_out_format(const struct opt_common *co);
/* The tool's output, for domain code to write rows to: -o FILE (else
 * stdout; .gz compresses) in opt_out_format(), with the out flags of the
 * shared options (OUT_F_BOM, OUT_F_ZH, OUT_F_WANT_TOTAL).  NULL with
 * *status 73 after a message.  The tool closes it with out_close(). */
struct out *opt_open_out(const struct opt_common *co, int *status);
/* Is progress wanted (stderr a terminal, no -q, no --no-progress)? */
int opt_progress(const struct opt_common *co);

/* An option whose value is one of a few words (aliases may repeat a value):
 *   static const struct opt_word w[] = { { "prev", 1 }, { "yoy", 2 },
 *           { "环比", 1 }, { NULL, 0 } };
 *   v = opt_word("compare", optarg, w);   the value, or -1 after
 *                                          "--compare 'x': expected prev or yoy" */
struct opt_word {
	const char *word;
	int value;
};
int opt_word(const char *name, const char *arg, const struct opt_word *w);

/* Descriptions of options that several tools share. */
#define OPT_DESC_CLASSES(v)                                                    \
	{ "classes", (v), required_argument, "FILE",                           \
	  "the taxonomy (default: $CITYOPS_CONFIG/classes.csv, else built in)" }
#define OPT_DESC_CALENDAR(v)                                                   \
	{ "calendar", (v), required_argument, "FILE",                          \
	  "holidays and make-up days over the built-in schedules" }
#define OPT_DESC_WORK_HOURS(v)                                                 \
	{ "work-hours", (v), required_argument, "SPEC",                        \
	  "working hours (default: 08:30-12:00,14:30-18:00)" }

/* --show-mapping: for each file named (stdin when none), how its columns
 * map to fields (canonical name, alias, --map, unused), the fields no
 * column gives (marked when required), the date form of each time column
 * (detected or given) and its first values, as rows of the tool's output
 * (-f, -o).  The store is never opened.  0, or the first file's trouble
 * (66 cannot open, 65/74 while reading ahead). */
int opt_show_mapping(const struct opt_common *co, int argc, char **argv,
		     const struct rec_field *fields, size_t nfields,
		     const char *const *maps, size_t nmaps, const char *date_format);
#define OPT_DESC_SHOW_MAPPING(v)                                               \
	{ "show-mapping", (v), no_argument, NULL,                              \
	  "show how each input column is read (field, how, date form, first values); store nothing" }

/* --at TIME (NULL: now) as Unix seconds, read in the store's zone; 0, or 64
 * after a message. */
int opt_parse_at(const char *at, int zone_min, int64_t *out);

/* The store of -D/--db (else $CITYOPS_DB, else ./cityops.db) with the
 * --busy-timeout, opened and migrated: db_open()'s 0 or exit code. */
int opt_open_store(const struct opt_common *co, struct db **out);
/* The same for a run that only reads: a missing store is not created but
 * refused with 66 ("cityops.db: no such store"), so that a mistyped -D
 * never reports on an empty store. */
int opt_open_existing_store(const struct opt_common *co, struct db **out);

/* Refuse outputs that are inputs (paths.h): adds -o (else the standard
 * output) and the store to the tool's own list pa, then paths_check()s it:
 * 0, or 64 after a message.  Call it before anything is opened for
 * writing. */
int opt_check_paths(const struct opt_common *co, struct paths *pa);

extern const struct opt_desc opt_common_table[];

#endif
