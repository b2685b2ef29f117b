/*
 * flood-check - flood-season water-level alerts for the underpass and bridge
 * stations (DESIGN §7.5).
 */
#include "common.h"

#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "flood/check.h"
#include "flood/message.h"
#include "flood/notify.h"
#include "flood/report.h"
#include "flood/station.h"
#include "msg.h"
#include "opt.h"
#include "paths.h"
#include "out.h"
#include "rec.h"
#include "shared/schemas.h"
#include "strnum.h"

enum {
	OPT_STATIONS = OPT_TOOL_BASE,
	OPT_STATION,
	OPT_MAP,
	OPT_DATE_FORMAT,
	OPT_RDB,
	OPT_PARAMETER,
	OPT_REJECTS,
	OPT_AT,
	OPT_MIN_DURATION,
	OPT_MESSAGE_TEMPLATE,
	OPT_EXEC,
	OPT_FAIL_ON,
	OPT_STATUS,
	OPT_SUMMARY,
	OPT_FROM,
	OPT_TO,
	OPT_SHOW_MAPPING,
};

static const struct opt_desc tool_opts[] = {
	{ "stations", OPT_STATIONS, required_argument, "FILE",
	  "the stations and their levels (default: $CITYOPS_CONFIG/stations.csv)" },
	{ "station", OPT_STATION, required_argument, "ID",
	  "the files hold the readings of this one station (no station column)" },
	{ "map", OPT_MAP, required_argument, "SRC=DST",
	  "read column SRC as field DST (repeatable)" },
	{ "date-format", OPT_DATE_FORMAT, required_argument, "FMT",
	  "strptime format of the input's times" },
	OPT_DESC_SHOW_MAPPING(OPT_SHOW_MAPPING),
	{ "rdb", OPT_RDB, no_argument, NULL,
	  "read the input as USGS RDB whatever its name (.rdb is read so anyway)" },
	{ "parameter", OPT_PARAMETER, required_argument, "CODE",
	  "RDB: the value column, a USGS parameter code (default: 00065 gage height)" },
	{ "rejects", OPT_REJECTS, required_argument, "FILE",
	  "write bad rows, with their reason, to FILE (CSV)" },
	{ "keep-going", 'k', no_argument, NULL,
	  "store the good readings of a file that has bad rows" },
	{ "at", OPT_AT, required_argument, "TIME",
	  "the time of the run, for stale stations and --status (default: now)" },
	{ "min-duration", OPT_MIN_DURATION, required_argument, "N|DURATION",
	  "readings in a row (2), or a time (5m), before a level is entered" },
	{ "message-template", OPT_MESSAGE_TEMPLATE, required_argument, "FILE",
	  "the wording of the messages (see cityops-config(5))" },
	{ "exec", OPT_EXEC, required_argument, "CMD",
	  "run CMD once per transition: message on stdin, fields in FLOOD_* variables" },
	{ "fail-on", OPT_FAIL_ON, required_argument, "LEVEL",
	  "exit 1 when an alert at or above LEVEL (blue yellow orange red) is open" },
	{ "status", OPT_STATUS, no_argument, NULL, "print every station now" },
	{ "summary", OPT_SUMMARY, no_argument, NULL,
	  "print the duty log of a period per station" },
	{ "from", OPT_FROM, required_argument, "TIME",
	  "--summary: the period starts here (default: a day before --at)" },
	{ "to", OPT_TO, required_argument, "TIME",
	  "--summary: the period ends here, exclusive (default: --at)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct usage usage = {
	"[options] [FILE...]",
	"Store water-level readings (CSV, TSV, JSON, JSON Lines, USGS RDB; gzip or\n"
	"not) of the flood stations, raise and clear their alerts, and print the\n"
	"transitions since the last run with a ready message.  With no FILE, read\n"
	"standard input when it is a pipe or a file.",
};

struct args {
	const char *stations, *templ, *exec, *at, *from, *to;
	const char **maps;
	size_t nmaps, mapcap;
	int status, summary, mapping;
	struct flood_check_opts fo;
};

static int parse_min_duration(const char *s, struct flood_rules *ru)
{
	const char *why;
	long long n = strnum_ll(s, 1, 1000, &why);
	long long secs;

	if (!why) {
		ru->min_n = (int)n;
		ru->min_s = 0;
		return 0;
	}
	if (strnum_seconds(s, &secs) < 0 || secs < 0 || secs > 86400) {
		msg_err("--min-duration '%s': expected readings (2) or a time (5m, 90s)", s);
		return -1;
	}
	ru->min_n = 1;
	ru->min_s = secs;
	return 0;
}

static int tool_option(struct args *a, int c, const char *arg)
{
	switch (c) {
	case OPT_STATIONS: a->stations = arg; break;
	case OPT_STATION: a->fo.in.station = arg; break;
	case OPT_MAP:
		XGROW(a->maps, a->nmaps + 1, a->mapcap);
		a->maps[a->nmaps++] = arg;
		break;
	case OPT_DATE_FORMAT: a->fo.in.date_format = arg; break;
	case OPT_RDB: a->fo.in.rdb = 1; break;
	case OPT_PARAMETER: a->fo.in.parameter = arg; break;
	case OPT_REJECTS: a->fo.rejects = arg; break;
	case 'k': a->fo.keep_going = 1; break;
	case OPT_AT: a->at = arg; break;
	case OPT_MIN_DURATION: return parse_min_duration(arg, &a->fo.rules);
	case OPT_MESSAGE_TEMPLATE: a->templ = arg; break;
	case OPT_EXEC: a->exec = arg; break;
	case OPT_FAIL_ON:
		if ((a->fo.fail_on = flood_level_parse(arg)) < 0) {
			msg_err("--fail-on '%s': expected blue, yellow, orange or red", arg);
			return -1;
		}
		break;
	case OPT_STATUS: a->status = 1; break;
	case OPT_SUMMARY: a->summary = 1; break;
	case OPT_SHOW_MAPPING: a->mapping = 1; break;
	case OPT_FROM: a->from = arg; break;
	case OPT_TO: a->to = arg; break;
	default: return -1;
	}
	return 0;
}

static int stdin_has_data(void)
{
	struct stat sb;
	return fstat(STDIN_FILENO, &sb) == 0 && (S_ISFIFO(sb.st_mode) || S_ISREG(sb.st_mode));
}

static int check_run(struct db *db, struct args *a, struct out *out, int argc,
		     char **argv, int *found)
{
	struct flood_run *run;
	int st = 0, r;

	run = flood_check_begin(db, &a->fo, &st);
	if (!run)
		return st;
	if (optind >= argc && stdin_has_data())
		st = flood_check_file(run, "-");
	for (int i = optind; i < argc; i++) {
		r = flood_check_file(run, argv[i]);
		if (r && (!st || st == EXIT_DATA_ERR))
			st = r;
		if (exit_store_trouble(r))
			break;
	}
	r = flood_check_end(run, out, found);
	return r ? r : st;
}

static int report_run(struct db *db, struct args *a, struct out *out, int *found)
{
	int64_t from, to;

	if (a->status)
		return flood_status(db, a->fo.ss, a->fo.at, out, a->fo.fail_on, found);
	to = a->fo.at;
	if (a->to && opt_parse_at(a->to, db_zone_min(db), &to))
		return EXIT_USAGE;
	from = to - 86400;
	if (a->from && opt_parse_at(a->from, db_zone_min(db), &from))
		return EXIT_USAGE;
	if (to <= from) {
		msg_err("--to must come after --from");
		return msg_usage_hint();
	}
	return flood_summary(db, a->fo.ss, from, to, out);
}

static int validate(struct args *a, int argc)
{
	if (a->status && a->summary) {
		msg_err("--status or --summary, not both");
		return -1;
	}
	if ((a->status || a->summary) && optind < argc) {
		msg_err("--%s reads no readings: run it without FILE",
			a->status ? "status" : "summary");
		return -1;
	}
	if (a->mapping && (a->status || a->summary || a->fo.in.rdb)) {
		msg_err("--show-mapping reads the columns of CSV, TSV and JSON "
			"readings: not with --%s", a->status ? "status" :
			a->summary ? "summary" : "rdb");
		return -1;
	}
	if ((a->from || a->to) && !a->summary) {
		msg_err("--from and --to go with --summary");
		return -1;
	}
	return rec_check_maps(a->maps, a->nmaps, flood_in_fields, flood_in_nfields);
}

/* No output may be one of the files read (--rejects r.csv r.csv). */
static int check_paths(const struct args *a, const struct opt_common *co,
		       const char *stations, int argc, char **argv)
{
	struct paths pa = PATHS_INIT;
	int st;

	if (!a->status && !a->summary)
		paths_operands(&pa, argc, argv, optind);
	paths_input(&pa, "--stations", stations);
	paths_input(&pa, "--message-template", a->templ);
	paths_output(&pa, "--rejects", a->fo.rejects);
	st = opt_check_paths(co, &pa);
	paths_free(&pa);
	return st;
}

/* What the common options say to the check and its input. */
static void common_to_opts(struct args *a, const struct opt_common *co)
{
	a->fo.dry_run = co->dry_run;
	a->fo.progress = opt_progress(co);
	a->fo.in.fmt = (enum rec_fmt)co->input_format;
	a->fo.in.enc = co->encoding;
	a->fo.in.maps = a->maps;
	a->fo.in.nmaps = a->nmaps;
}

int main(int argc, char **argv)
{
	struct opt_common co;
	struct opt_parser p;
	struct args a;
	struct stations *ss = NULL;
	struct flood_msgs *msgs = NULL;
	struct flood_hook *hook = NULL;
	struct db *db = NULL;
	struct out *out = NULL;
	char cfg[4096];
	const char *path;
	int c, st = 0, found = 0;

	prog_init(argv[0]);
	schemas_register();
	opt_common_init(&co);
	memset(&a, 0, sizeof a);
	a.fo.rules.min_n = 2;
	opt_parser_init(&p, tool_opts);
	while ((c = opt_next(&p, &co, argc, argv, tool_opts, &usage)) != -1) {
		if (c == OPT_EXIT) {
			st = co.exit_status;
			goto out;
		}
		if (tool_option(&a, c, optarg) < 0) {
			st = msg_usage_hint();
			goto out;
		}
	}
	if (validate(&a, argc) < 0) {
		st = msg_usage_hint();
		goto out;
	}
	if (a.mapping) {
		st = opt_show_mapping(&co, argc, argv, flood_in_fields, flood_in_nfields,
				      a.maps, a.nmaps, a.fo.in.date_format);
		goto out;
	}
	if (!(path = config_path(a.stations, "stations.csv", cfg, sizeof cfg))) {
		msg_err("no stations: give --stations FILE or put stations.csv in $CITYOPS_CONFIG");
		st = EXIT_CONFIG;
		goto out;
	}
	if ((st = check_paths(&a, &co, path, argc, argv)) != 0 ||
	    (st = stations_load(&ss, path)) != 0 || (st = flood_msgs_load(&msgs, a.templ)) != 0)
		goto out;
	if (a.exec && flood_hook_parse(&hook, a.exec) < 0) {
		st = msg_usage_hint();
		goto out;
	}
	st = a.status || a.summary ? opt_open_existing_store(&co, &db) : opt_open_store(&co, &db);
	if (st || (st = opt_parse_at(a.at, db_zone_min(db), &a.fo.at)) != 0)
		goto out;
	if (!(out = opt_open_out(&co, &st)))
		goto out;
	a.fo.ss = ss;
	a.fo.msgs = msgs;
	a.fo.hook = hook;
	common_to_opts(&a, &co);
	if (a.status || a.summary)
		st = report_run(db, &a, out, &found);
	else
		st = check_run(db, &a, out, argc, argv, &found);
	c = out_close(out);
	if (c && !st)
		st = c;
	if (!st && found)
		st = EXIT_FOUND;
out:
	db_close(db);
	stations_free(ss);
	flood_msgs_free(msgs);
	flood_hook_free(hook);
	free(a.maps);
	opt_parser_free(&p);
	return st;
}
