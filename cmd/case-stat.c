/*
 * case-stat - step 7 of the loop (综合评价): the monthly report, the standard
 * indicators, breakdowns and comparisons (DESIGN §7.3).
 */
#include "common.h"

#include <getopt.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "config.h"
#include "db.h"
#include "msg.h"
#include "opt.h"
#include "rec.h"
#include "schemas.h"
#include "case/stat.h"
#include "strnum.h"
#include "case/taxonomy.h"
#include "timeparse.h"

enum {
	OPT_MONTH = OPT_TOOL_BASE,
	OPT_QUARTER,
	OPT_YEAR,
	OPT_FROM,
	OPT_TO,
	OPT_BY_TIME,
	OPT_DENOMINATOR,
	OPT_TOP,
	OPT_COMPARE,
	OPT_TEMPLATE,
	OPT_AT,
	OPT_CALENDAR,
	OPT_WORK_HOURS,
	OPT_NO_CACHE,
};

static const struct opt_desc tool_opts[] = {
	{ "month", OPT_MONTH, required_argument, "YYYY-MM", "the cases of a month" },
	{ "quarter", OPT_QUARTER, required_argument, "YYYYQN", "the cases of a quarter, e.g. 2023Q4" },
	{ "year", OPT_YEAR, required_argument, "YYYY", "the cases of a year" },
	{ "from", OPT_FROM, required_argument, "TIME", "the period starts here (inclusive)" },
	{ "to", OPT_TO, required_argument, "TIME", "the period ends here (exclusive)" },
	{ "by-time", OPT_BY_TIME, required_argument, "COLUMN",
	  "which time puts a case in the period: reported (default), closed or due" },
	{ "denominator", OPT_DENOMINATOR, required_argument, "BASIS",
	  "rates over received cases (default, the report's) or over cases due" },
	{ "top", OPT_TOP, required_argument, "N", "only the N rows with the most cases" },
	{ "compare", OPT_COMPARE, required_argument, "WHAT",
	  "add the previous period (prev, 环比) or the year before (yoy, 同比)" },
	{ "template", OPT_TEMPLATE, required_argument, "FILE",
	  "fill the {{...}} placeholders of a text with the figures" },
	{ "at", OPT_AT, required_argument, "TIME", "count overdue cases as of this time (default: now)" },
	OPT_DESC_CALENDAR(OPT_CALENDAR),
	OPT_DESC_WORK_HOURS(OPT_WORK_HOURS),
	{ "no-cache", OPT_NO_CACHE, no_argument, NULL,
	  "count from the cases, not from the facts the store keeps per month" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct opt_word by_time_words[] = {
	{ "reported", BY_REPORTED }, { "closed", BY_CLOSED }, { "due", BY_DUE },
	{ NULL, 0 },
};
static const struct opt_word basis_words[] = {
	{ "received", BASIS_RECEIVED }, { "due", BASIS_DUE }, { NULL, 0 },
};
static const struct opt_word compare_words[] = {
	{ "prev", COMPARE_PREV }, { "yoy", COMPARE_YOY },
	{ "环比", COMPARE_PREV }, { "同比", COMPARE_YOY }, { NULL, 0 },
};

static const struct usage usage = {
	"[options] [summary | by KEY[,KEY2]]",
	"Report on cases: the summary of the standard indicators (received,\n"
	"closed, 结案率, 按期结案率, 处置率 ...), or counts and rates by one or two\n"
	"keys (category big_class class kind unit street community source reporter\n"
	"month week day hour state).  The cases are those of a period, or the ids\n"
	"piped in on standard input (case-import june.csv | case-stat), or all.",
};

/* --month, --from ... and --at in the store's zone: 0, or 64 after a message. */
static int parse_period(struct stat_opts *so, const char *const *what,
			const char *const *arg, size_t n, const char *at, int zone)
{
	for (size_t i = 0; i < n; i++)
		if (stat_period_parse(so, what[i], arg[i], zone) != 0)
			return msg_usage_hint();
	if (so->period == PERIOD_RANGE && so->from != INT64_MIN && so->to != INT64_MAX &&
	    so->to <= so->from) {
		msg_err("--to must come after --from");
		return msg_usage_hint();
	}
	if (so->compare != COMPARE_NONE && so->period == PERIOD_RANGE &&
	    (so->from == INT64_MIN || so->to == INT64_MAX)) {
		msg_err("--compare needs both --from and --to");
		return msg_usage_hint();
	}
	return opt_parse_at(at, zone, &so->at);
}

/* Block until fd has something to read, or its end. */
static void wait_for_input(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
}

/* No output may be one of the files read (-o report.txt --template report.txt). */
static int check_paths(const struct opt_common *co, const struct stat_opts *so,
		       const char *calfile)
{
	struct paths pa = PATHS_INIT;
	int st;

	if (so->ids_from_stdin)
		paths_input(&pa, NULL, "-");
	paths_input(&pa, "--template", so->template_path);
	paths_input(&pa, "--calendar", calfile);
	st = opt_check_paths(co, &pa);
	paths_free(&pa);
	return st;
}

int main(int argc, char **argv)
{
	struct opt_common co;
	struct opt_parser p;
	struct stat_opts so;
	struct calendar *cal = NULL;
	struct db *db = NULL;
	const char *calfile = NULL, *work_hours = NULL, *at = NULL;
	const char *period_what[4] = { NULL }, *period_arg[4] = { NULL };
	size_t nperiod = 0;
	char cfg[4096];
	int c, st = 0, r;
	const char *why;
	struct stat sb;

	prog_init(argv[0]);
	schemas_register();
	opt_common_init(&co);
	memset(&so, 0, sizeof so);
	so.from = INT64_MIN;
	so.to = INT64_MAX;
	opt_parser_init(&p, tool_opts);
	while ((c = opt_next(&p, &co, argc, argv, tool_opts, &usage)) != -1) {
		if (c == OPT_EXIT) {
			st = co.exit_status;
			goto out;
		}
		switch (c) {
		case OPT_MONTH:
		case OPT_QUARTER:
		case OPT_YEAR:
		case OPT_FROM:
		case OPT_TO:
			if (nperiod == 4) {
				msg_err("one period at a time");
				st = msg_usage_hint();
				goto out;
			}
			period_what[nperiod] = c == OPT_MONTH ? "month" : c == OPT_QUARTER ? "quarter"
					     : c == OPT_YEAR ? "year" : c == OPT_FROM ? "from" : "to";
			period_arg[nperiod++] = optarg;
			break;
		case OPT_BY_TIME:
			if ((r = opt_word("by-time", optarg, by_time_words)) < 0) {
				st = msg_usage_hint();
				goto out;
			}
			so.by_time = (enum stat_by_time)r;
			break;
		case OPT_DENOMINATOR:
			if ((r = opt_word("denominator", optarg, basis_words)) < 0) {
				st = msg_usage_hint();
				goto out;
			}
			so.basis = (enum stat_basis)r;
			break;
		case OPT_TOP:
			so.top = (long)strnum_ll(optarg, 1, 1000000000, &why);
			if (why) {
				msg_err("--top '%s' is %s", optarg, why);
				st = msg_usage_hint();
				goto out;
			}
			break;
		case OPT_COMPARE:
			if ((r = opt_word("compare", optarg, compare_words)) < 0) {
				st = msg_usage_hint();
				goto out;
			}
			so.compare = (enum stat_compare)r;
			break;
		case OPT_TEMPLATE: so.template_path = optarg; break;
		case OPT_AT: at = optarg; break;
		case OPT_CALENDAR: calfile = optarg; break;
		case OPT_WORK_HOURS: work_hours = optarg; break;
		case OPT_NO_CACHE: so.no_cache = 1; break;
		default:
			st = msg_usage_hint();
			goto out;
		}
	}
	so.report = STAT_SUMMARY;
	if (optind < argc) {
		if (strcmp(argv[optind], "summary") == 0 && optind + 1 == argc) {
			so.report = STAT_SUMMARY;
		} else if (strcmp(argv[optind], "by") == 0 && optind + 2 == argc) {
			so.report = STAT_BY;
			if ((st = stat_keys_parse(&so, argv[optind + 1])) != 0) {
				msg_usage_hint();
				goto out;
			}
		} else if (strcmp(argv[optind], "hotline") == 0) {
			msg_err("'hotline' reports on 12345 tickets, which hotline-sync will bring: not yet");
			st = msg_usage_hint();
			goto out;
		} else {
			msg_err("unknown report '%s' (summary, or by KEY[,KEY2])", argv[optind]);
			st = msg_usage_hint();
			goto out;
		}
	}
	if (nperiod > 1) {
		for (size_t i = 0; i < nperiod; i++)
			if (strcmp(period_what[i], "from") != 0 && strcmp(period_what[i], "to") != 0) {
				msg_err("one period at a time: --%s with another", period_what[i]);
				st = msg_usage_hint();
				goto out;
			}
	}
	if (so.compare != COMPARE_NONE && nperiod == 0) {
		msg_err("--compare needs a period (--month, --quarter, --year or --from/--to)");
		st = msg_usage_hint();
		goto out;
	}
	if (so.template_path && opt_out_format(&co) == OUT_XLSX) {
		msg_err("--template fills a text: not with -f xlsx");
		st = msg_usage_hint();
		goto out;
	}
	/* the command line is checked before the store is looked at (the
	 * store's zone only moves the period's bounds) */
	{
		struct stat_opts scratch = so;
		if ((st = parse_period(&scratch, period_what, period_arg, nperiod,
				       at, 480)) != 0)
			goto out;
	}
	/* ids from a pipe or a file on stdin, when no period is asked for */
	so.ids_from_stdin = nperiod == 0 && fstat(STDIN_FILENO, &sb) == 0 &&
			    (S_ISFIFO(sb.st_mode) || S_ISREG(sb.st_mode));
	calfile = config_path(calfile, "calendar.csv", cfg, sizeof cfg);
	if ((st = check_paths(&co, &so, calfile)) != 0)
		goto out;
	if ((st = calendar_load(&cal, calfile, work_hours)) != 0)
		goto out;
	/* in `case-import june.csv | case-stat` the store may not exist until
	 * the importer has committed, before it prints its first id */
	if (so.ids_from_stdin)
		wait_for_input(STDIN_FILENO);
	/* a report never creates a store: a mistyped -D is 66, not zeros */
	if ((st = opt_open_existing_store(&co, &db)) != 0)
		goto out;
	if ((st = parse_period(&so, period_what, period_arg, nperiod, at,
			       db_zone_min(db))) != 0)
		goto out;
	so.co = &co;
	so.cal = cal;
	so.out_format = opt_out_format(&co);
	st = stat_run(db, &so);
out:
	db_close(db);
	calendar_free(cal);
	opt_parser_free(&p);
	return st;
}
