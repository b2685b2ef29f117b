/*
 * case-import - import case exports into the store (DESIGN §7.1).
 */
#include "common.h"

#include <getopt.h>

#include "config.h"
#include "db.h"
#include "case/import.h"
#include "msg.h"
#include "opt.h"
#include "rec.h"
#include "schemas.h"
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
	{ "update", CONFLICT_UPDATE }, { "skip", CONFLICT_SKIP },
	{ "fail", CONFLICT_FAIL }, { NULL, 0 },
};

/* --show-mapping: each file's columns, the fields they give and how, the
 * date forms and the first values, as rows of the output; 0, or the first
 * file's trouble (66 cannot open, 64 a bad --map, 65/74 while reading). */
static int show_mapping(const struct opt_common *co, int argc, char **argv,
			const char *const *maps, size_t nmaps, const char *datefmt)
{
	struct rec_opts ro = { (enum rec_fmt)co->input_format, co->encoding,
			       maps, nmaps, datefmt, REC_O_SHOW | REC_O_MAP_HINT };
	struct out *o;
	int st = 0, r, shown = 0;

	o = opt_open_out(co, &st);
	if (!o)
		return st;
	rec_mapping_begin(o);
	for (int i = optind; i < argc || i == optind; i++) {
		struct rec_src *s = rec_open(i < argc ? argv[i] : "-", import_fields,
					     import_nfields, &ro, &r);
		if (s) {
			shown++;
			r = rec_mapping_write(s, o) < 0 ? -1 : rec_pending(s);
			rec_close(s);
			if (r < 0)
				break; /* out_close says why */
		}
		if (r && !st)
			st = r;
	}
	if (!shown)
		out_discard(o); /* not even a header */
	r = out_close(o);
	return st ? st : r;
}

static const struct usage usage = {
	"[options] [FILE...]",
	"Import case exports (CSV, TSV, JSON, JSON Lines; gzip or not; UTF-8 or\n"
	"GB18030) into the store, and print the imported cases.  With no FILE,\n"
	"or when FILE is -, read standard input.",
};

int main(int argc, char **argv)
{
	struct opt_common co;
	struct opt_parser p;
	struct import_opts io;
	const char **maps = NULL;
	size_t nmaps = 0, mapcap = 0;
	const char *classes = NULL;
	char cfgbuf[4096];
	struct taxonomy *tax = NULL;
	struct db *db = NULL;
	struct import_run *run;
	int c, st = 0, r, mapping = 0;

	prog_init(argv[0]);
	schemas_register();
	opt_common_init(&co);
	memset(&io, 0, sizeof io);
	io.on_conflict = CONFLICT_UPDATE;
	io.dup_radius_m = 50;
	io.dup_window_s = 86400;
	opt_parser_init(&p, tool_opts);
	while ((c = opt_next(&p, &co, argc, argv, tool_opts, &usage)) != -1) {
		if (c == OPT_EXIT) {
			st = co.exit_status;
			goto out;
		}
		switch (c) {
		case OPT_MAP:
			XGROW(maps, nmaps + 1, mapcap);
			maps[nmaps++] = optarg;
			break;
		case OPT_DATE_FORMAT:
			io.date_format = optarg;
			break;
		case OPT_REJECTS:
			io.rejects = optarg;
			break;
		case 'k':
			io.keep_going = 1;
			break;
		case OPT_ON_CONFLICT:
			if ((r = opt_word("on-conflict", optarg, conflict_words)) < 0) {
				st = msg_usage_hint();
				goto out;
			}
			io.on_conflict = (enum conflict)r;
			break;
		case OPT_DUP_RADIUS:
			if (strnum_metres(optarg, &io.dup_radius_m) < 0 ||
			    io.dup_radius_m > 100000) {
				msg_err("--dup-radius '%s': expected metres, e.g. 50 or 50m", optarg);
				st = msg_usage_hint();
				goto out;
			}
			break;
		case OPT_DUP_WINDOW:
			if (strnum_seconds(optarg, &io.dup_window_s) < 0 ||
			    io.dup_window_s > 366LL * 86400) {
				msg_err("--dup-window '%s': expected a duration, e.g. 24h, 90m, 2d", optarg);
				st = msg_usage_hint();
				goto out;
			}
			break;
		case OPT_CLASSES:
			classes = optarg;
			break;
		case OPT_SOURCE:
			io.source = optarg;
			break;
		case OPT_SHOW_MAPPING:
			mapping = 1;
			break;
		default:
			st = msg_usage_hint();
			goto out;
		}
	}
	if (rec_check_maps(maps, nmaps, import_fields, import_nfields) < 0) {
		st = msg_usage_hint();
		goto out;
	}
	if (mapping) {
		st = show_mapping(&co, argc, argv, maps, nmaps, io.date_format);
		goto out;
	}
	if ((st = taxonomy_load(&tax, config_path(classes, "classes.csv", cfgbuf,
						  sizeof cfgbuf))) != 0)
		goto out;
	if ((st = opt_open_store(&co, &db)) != 0)
		goto out;
	io.co = &co;
	io.maps = maps;
	io.nmaps = nmaps;
	io.tax = tax;
	io.out_format = opt_out_format(&co);
	run = import_begin(db, &io, &st);
	if (!run)
		goto out;
	if (optind >= argc) {
		st = import_file(run, "-");

	} else {
		for (int i = optind; i < argc; i++) {
			r = import_file(run, argv[i]);
			if (r && !st)
				st = r;
			if (r == EXIT_LOCKED || r == EXIT_IO_ERR || r == EXIT_SOFTWARE_ERR)
				break; /* the store itself is in trouble: stop */
		}
	}
	r = import_end(run);
	if (r && !st)
		st = r;
out:
	db_close(db);
	taxonomy_free(tax);
	free(maps);
	opt_parser_free(&p);
	return st;
}
