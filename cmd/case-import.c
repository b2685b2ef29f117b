/*
 * case-import - import case exports into the store (DESIGN §7.1).
 */
#include "common.h"

#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "case/firstload.h"
#include "case/import.h"
#include "case/normalise.h"
#include "msg.h"
#include "opt.h"
#include "out.h"
#include "paths.h"
#include "rec.h"
#include "rejects.h"
#include "shared/schemas.h"
#include "strnum.h"
#include "case/taxonomy.h"

enum {
	OPT_MAP = OPT_TOOL_BASE,
	OPT_DATE_FORMAT,
	OPT_REJECTS,
	OPT_KEEP_GOING,
	OPT_ON_CONFLICT,
	OPT_DUP_RADIUS,
	OPT_DUP_WINDOW,
	OPT_CLASSES,
	OPT_SOURCE,
	OPT_KEEP_EMPTY,
	OPT_SHOW_MAPPING,
};

static const struct opt_desc tool_opts[] = {
	{ "map", OPT_MAP, required_argument, "SRC=DST",
	  "read column SRC as field DST (repeatable)" },
	{ "date-format", OPT_DATE_FORMAT, required_argument, "FMT",
	  "strptime format of the input's times, e.g. '%m/%d/%Y %I:%M:%S %p'" },
	{ "rejects", OPT_REJECTS, required_argument, "FILE",
	  "write bad rows, with their reason, to FILE (CSV)" },
	{ "keep-going", 'k', no_argument, NULL,
	  "import the good rows of a file that has bad ones" },
	{ "keep-empty", OPT_KEEP_EMPTY, no_argument, NULL,
	  "an empty cell leaves a case's field as it is (else it clears it)" },
	{ "on-conflict", OPT_ON_CONFLICT, required_argument, "MODE",
	  "a case already in the store: update (default), skip or fail" },
	{ "dup-radius", OPT_DUP_RADIUS, required_argument, "METRES",
	  "likely duplicates lie this close (default: 50; 0 turns it off)" },
	{ "dup-window", OPT_DUP_WINDOW, required_argument, "DURATION",
	  "and were reported this soon after (default: 24h)" },
	OPT_DESC_CLASSES(OPT_CLASSES),
	{ "source", OPT_SOURCE, required_argument, "NAME",
	  "the source of rows that do not name one" },
	{ "show-mapping", OPT_SHOW_MAPPING, no_argument, NULL,
	  "show how each column is read, then exit (the store is not opened)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct opt_word conflict_words[] = {
	{ "update", IMPORT_CONFLICT_UPDATE }, { "skip", IMPORT_CONFLICT_SKIP },
	{ "fail", IMPORT_CONFLICT_FAIL }, { NULL, 0 },
};

static const struct usage usage = {
	"[options] [FILE...]",
	"Import case exports (CSV, TSV, JSON, JSON Lines; gzip or not; UTF-8 or\n"
	"GB18030) into the store, and print the imported cases.  With no FILE,\n"
	"or when FILE is -, read standard input.",
};

/* What the command line asked for. */
struct args {
	struct opt_common co;
	struct import_opts io;
	const char **maps;
	size_t nmaps, mapcap;
	const char *classes, *rejects;
	int mapping;              /* --show-mapping */
};

/* One of the tool's own options; 0, or an exit code after a message. */
static int take_option(struct args *a, int c, const char *arg)
{
	int r;

	switch (c) {
	case OPT_MAP:
		XGROW(a->maps, a->nmaps + 1, a->mapcap);
		a->maps[a->nmaps++] = arg;
		return 0;
	case OPT_DATE_FORMAT: a->io.date_format = arg; return 0;
	case OPT_REJECTS: a->rejects = arg; return 0;
	case 'k': a->io.keep_going = 1; return 0;
	case OPT_KEEP_EMPTY: a->io.keep_empty = 1; return 0;
	case OPT_SHOW_MAPPING: a->mapping = 1; return 0;
	case OPT_CLASSES: a->classes = arg; return 0;
	case OPT_SOURCE: a->io.source = arg; return 0;
	case OPT_ON_CONFLICT:
		if ((r = opt_word("on-conflict", arg, conflict_words)) < 0)
			return msg_usage_hint();
		a->io.on_conflict = (enum import_conflict)r;
		return 0;
	case OPT_DUP_RADIUS:
		if (strnum_metres(arg, &a->io.dup_radius_m) < 0 || a->io.dup_radius_m > 100000) {
			msg_err("--dup-radius '%s': expected metres, e.g. 50 or 50m", arg);
			return msg_usage_hint();
		}
		return 0;
	case OPT_DUP_WINDOW:
		if (strnum_seconds(arg, &a->io.dup_window_s) < 0 ||
		    a->io.dup_window_s > 366LL * 86400) {
			msg_err("--dup-window '%s': expected a duration, e.g. 24h, 90m, 2d", arg);
			return msg_usage_hint();
		}
		return 0;
	default:
		return msg_usage_hint();
	}
}

static int parse_args(struct args *a, int argc, char **argv)
{
	struct opt_parser p;
	int c, st = 0;

	opt_common_init(&a->co);
	a->io.on_conflict = IMPORT_CONFLICT_UPDATE;
	a->io.dup_radius_m = 50;
	a->io.dup_window_s = 86400;
	opt_parser_init(&p, tool_opts);
	while (!st && (c = opt_next(&p, &a->co, argc, argv, tool_opts, &usage)) != -1)
		st = c == OPT_EXIT ? (a->co.exit_status ? a->co.exit_status : -1)
				   : take_option(a, c, optarg);
	opt_parser_free(&p);
	if (st)
		return st;
	if (rec_check_maps(a->maps, a->nmaps, import_fields, import_nfields) < 0)
		return msg_usage_hint();
	if (a->mapping)
		return 0;
	a->io.maps = a->maps;
	a->io.nmaps = a->nmaps;
	a->io.input_format = (enum rec_fmt)a->co.input_format;
	a->io.encoding = a->co.encoding;
	a->io.dry_run = a->co.dry_run;
	a->io.progress = opt_progress(&a->co);
	return 0;
}

/* No output may be one of the files read (case-import --rejects m.csv m.csv). */
static int check_paths(const struct args *a, const char *classes, int argc, char **argv)
{
	struct paths pa = PATHS_INIT;
	int st;

	paths_operands(&pa, argc, argv, optind);
	paths_input(&pa, "--classes", classes);
	paths_output(&pa, "--rejects", a->rejects);
	st = opt_check_paths(&a->co, &pa);
	paths_free(&pa);
	return st;
}

/* The store; a first load builds it in a side file (case/firstload.h). */
struct store {
	struct db *db;
	struct firstload *fl;    /* db is the side file's */
	struct db_opts o;
};

static int is_file(const char *path)
{
	struct stat sb;
	return strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Open the store; when there is none yet and the first input can be read
 * twice, the side file of a first load.  0 or an exit code. */
static int store_open(struct args *a, int argc, char **argv, struct store *s)
{
	struct stat sb;
	int r;

	s->o.path = db_default_path(a->co.db);
	s->o.busy_ms = a->co.busy_ms;
	if (!a->co.dry_run && optind < argc && is_file(argv[optind]) &&
	    !db_path_special(s->o.path) &&
	    stat(s->o.path, &sb) != 0 && errno == ENOENT) {
		if ((r = firstload_begin(s->o.path, a->co.busy_ms, &s->db, &s->fl)) < 0)
			return -r;
		if (r == 1)
			return 0;
	}
	return opt_open_store(&a->co, &s->db);
}

static void store_close(struct store *s)
{
	if (s->fl)
		firstload_abort(s->fl, &s->db);
	s->fl = NULL;
	db_close(s->db);
	s->db = NULL;
}

/* Import every file named (stdin when none); the first failure's status. */
static int import_all(struct import_run *run, int argc, char **argv, struct store *s)
{
	int st = 0, r;

	if (optind >= argc)
		return import_file(run, "-");
	for (int i = optind; i < argc; i++) {
		if (s->fl) {
			r = import_file_first(run, argv[i], s->fl, &s->o, &s->db);
			s->fl = NULL;
		} else {
			r = import_file(run, argv[i]);
		}
		if (r && !st)
			st = r;
		if (exit_store_trouble(r) || !s->db)
			break; /* the store itself is in trouble: stop */
	}
	return st;
}

static int run(struct args *a, int argc, char **argv, struct store *s)
{
	struct import_run *run;
	struct out *out;
	int st = 0, r;

	if (!(out = opt_open_out(&a->co, &st)))
		return st;
	if (!(run = import_begin(s->db, &a->io, &st))) {
		out_discard(out);
		out_close(out);
		return st;
	}
	st = import_all(run, argc, argv, s);
	/* on a terminal, the records would scroll the summary away */
	if (a->co.format < 0 && !a->co.output && isatty(STDOUT_FILENO)) {
		out_discard(out);
		r = import_end(run, NULL);
	} else {
		r = import_end(run, out);
	}
	st = st ? st : r;
	r = out_close(out);
	return st ? st : r;
}

int main(int argc, char **argv)
{
	struct args a;
	struct taxonomy *tax = NULL;
	struct store s = { NULL, NULL, { NULL, 0, 0, 0 } };
	char cfgbuf[4096];
	int st, r;

	prog_init(argv[0]);
	schemas_register();
	memset(&a, 0, sizeof a);
	if ((st = parse_args(&a, argc, argv)) != 0)
		goto out;
	if (a.mapping) {
		st = opt_show_mapping(&a.co, argc, argv, import_fields, import_nfields,
				      a.maps, a.nmaps, a.io.date_format);
		goto out;
	}
	a.classes = config_path(a.classes, "classes.csv", cfgbuf, sizeof cfgbuf);
	if ((st = check_paths(&a, a.classes, argc, argv)) != 0 ||
	    (st = taxonomy_load(&tax, a.classes)) != 0)
		goto out;
	a.io.tax = tax;
	if (a.rejects && !(a.io.rejects = rejects_open(a.rejects, &st)))
		goto out;
	if ((st = store_open(&a, argc, argv, &s)) == 0)
		st = run(&a, argc, argv, &s);
	r = rejects_close(a.io.rejects);
	st = st ? st : r;
out:
	store_close(&s);
	taxonomy_free(tax);
	free(a.maps);
	return st < 0 ? 0 : st;
}
