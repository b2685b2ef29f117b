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
#include "hotline/stat.h"
#include "hotline/words.h"
#include "msg.h"
#include "opt.h"
#include "ids.h"
#include "out.h"
#include "paths.h"
#include "rec.h"
#include "shared/schemas.h"
#include "case/stat.h"
#include "strnum.h"
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
	OPT_SORT,
	OPT_PIVOT,
	OPT_SATISFIED,
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
	{ "sort", OPT_SORT, required_argument, "[-]COLUMN",
	  "order the rows by a column (-COLUMN: descending)" },
	{ "pivot", OPT_PIVOT, no_argument, NULL,
	  "by ROWS,COLUMNS as a cross-tab of the cases received, with totals" },
	{ "satisfied", OPT_SATISFIED, required_argument, "LEVELS",
	  "hotline: the satisfaction levels that count as satisfied (default: 非常满意,满意,基本满意)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct opt_word by_time_words[] = {
	{ "reported", STAT_BY_REPORTED }, { "closed", STAT_BY_CLOSED },
	{ "due", STAT_BY_DUE }, { NULL, 0 },
};
static const struct opt_word basis_words[] = {
	{ "received", STAT_BASIS_RECEIVED }, { "due", STAT_BASIS_DUE }, { NULL, 0 },
};
static const struct opt_word compare_words[] = {
	{ "prev", STAT_COMPARE_PREV }, { "yoy", STAT_COMPARE_YOY },
	{ "环比", STAT_COMPARE_PREV }, { "同比", STAT_COMPARE_YOY }, { NULL, 0 },
};

static const struct usage usage = {
	"[options] [summary | by KEY[,KEY2] | hotline [by KEY]]",
	"Report on cases: the summary of the standard indicators (received,\n"
	"closed, 结案率, 按期结案率, 处置率 ...), or counts and rates by one or two\n"
	"keys (category big_class class kind unit street community source reporter\n"
	"month week day hour state).  The cases are those of a period, or the ids\n"
	"piped in on standard input (case-import june.csv | case-stat), or all.\n"
	"hotline reports on the 12345 tickets (受理, 办结, 办理中, 超期, 按时办结率,\n"
	"办结率, 满意率), or by category type unit channel status month.",
};

/* What the command line asked for, before the store gives it its zone. */
struct args {
	struct opt_common co;
	struct stat_opts so;
	struct hotline_stat_opts ho;    /* the 12345 tickets' report */
	int hotline;
	const char *calfile, *work_hours, *at;
	const char *period_what[4], *period_arg[4];
	size_t nperiod;
};

static const char *period_word(int c)
{
	return c == OPT_MONTH ? "month" : c == OPT_QUARTER ? "quarter"
	       : c == OPT_YEAR ? "year" : c == OPT_FROM ? "from" : "to";
}

/* One of the tool's own options; 0, or an exit code after a message. */
static int take_option(struct args *a, int c, const char *arg)
{
	const char *why;
	int r;

	switch (c) {
	case OPT_MONTH: case OPT_QUARTER: case OPT_YEAR: case OPT_FROM: case OPT_TO:
		if (a->nperiod == 4) {
			msg_err("one period at a time");
			return msg_usage_hint();
		}
		a->period_what[a->nperiod] = period_word(c);
		a->period_arg[a->nperiod++] = arg;
		return 0;
	case OPT_BY_TIME:
		r = opt_word("by-time", arg, by_time_words);
		a->so.by_time = (enum stat_by_time)r;
		break;
	case OPT_DENOMINATOR:
		r = opt_word("denominator", arg, basis_words);
		a->so.basis = (enum stat_basis)r;
		break;
	case OPT_COMPARE:
		r = opt_word("compare", arg, compare_words);
		a->so.compare = (enum stat_compare)r;
		break;
	case OPT_TOP:
		a->so.top = (long)strnum_ll(arg, 1, 1000000000, &why);
		if (why)
			msg_err("--top '%s' is %s", arg, why);
		r = why ? -1 : 0;
		break;
	case OPT_TEMPLATE: a->so.template_path = arg; return 0;
	case OPT_AT: a->at = arg; return 0;
	case OPT_CALENDAR: a->calfile = arg; return 0;
	case OPT_WORK_HOURS: a->work_hours = arg; return 0;
	case OPT_NO_CACHE: a->so.no_cache = 1; return 0;
	case OPT_SORT: a->so.sort = arg; return 0;
	case OPT_PIVOT: a->so.pivot = 1; return 0;
	case OPT_SATISFIED: {
		const char *bad;
		size_t badn;
		if (hotline_sat_list(arg, &a->ho.satisfied, &bad, &badn) < 0 || !a->ho.satisfied) {
			msg_err("--satisfied '%s': expected levels of 非常满意 满意 基本满意 不满意, "
				"e.g. 非常满意,满意", arg);
			return msg_usage_hint();
		}
		return 0;
	}
	default: return msg_usage_hint();
	}
	return r < 0 ? msg_usage_hint() : 0;
}

/* The report word after the options: summary, or by KEYS. */
static int take_report(struct args *a, int argc, char **argv)
{
	a->so.report = STAT_SUMMARY;
	if (optind == argc)
		return 0;
	if (strcmp(argv[optind], "summary") == 0 && optind + 1 == argc)
		return 0;
	if (strcmp(argv[optind], "by") == 0 && optind + 2 == argc) {
		a->so.report = STAT_BY;
		if (stat_keys_parse(&a->so, argv[optind + 1]) != 0)
			return msg_usage_hint();
		return 0;
	}
	if (strcmp(argv[optind], "hotline") == 0 &&
	    (optind + 1 == argc || (optind + 3 == argc && strcmp(argv[optind + 1], "by") == 0))) {
		a->hotline = 1;
		a->ho.key = optind + 3 == argc ? argv[optind + 2] : NULL;
		if (a->ho.key && hotline_stat_key_check(a->ho.key) != 0)
			return msg_usage_hint();
		if (a->so.compare != STAT_COMPARE_NONE) {
			msg_err("--compare is not offered for 'hotline'");
			return msg_usage_hint();
		}
		return 0;
	}
	msg_err("unknown report '%s' (summary, by KEY[,KEY2], or hotline [by KEY])",
		argv[optind]);
	return msg_usage_hint();
}

static int parse_args(struct args *a, int argc, char **argv)
{
	struct opt_parser p;
	int c, st = 0;

	opt_common_init(&a->co);
	a->so.from = INT64_MIN;
	a->so.to = INT64_MAX;
	a->ho.satisfied = HOTLINE_SAT_DEFAULT;
	opt_parser_init(&p, tool_opts);
	while (!st && (c = opt_next(&p, &a->co, argc, argv, tool_opts, &usage)) != -1)
		st = c == OPT_EXIT ? (a->co.exit_status ? a->co.exit_status : -1)
				   : take_option(a, c, optarg);
	opt_parser_free(&p);
	if (!st)
		st = take_report(a, argc, argv);
	for (size_t i = 0; !st && a->nperiod > 1 && i < a->nperiod; i++)
		if (strcmp(a->period_what[i], "from") != 0 && strcmp(a->period_what[i], "to") != 0) {
			msg_err("one period at a time: --%s with another", a->period_what[i]);
			st = msg_usage_hint();
		}
	if (!st && a->so.compare != STAT_COMPARE_NONE && a->nperiod == 0) {
		msg_err("--compare needs a period (--month, --quarter, --year or --from/--to)");
		st = msg_usage_hint();
	}
	if (!st && stat_opts_check(&a->so) != 0)
		st = msg_usage_hint();
	return st;
}

/* The period in the store's zone, checked; 0 or 64 after a message. */
static int set_period(struct args *a, int zone)
{
	struct stat_opts *so = &a->so;

	for (size_t i = 0; i < a->nperiod; i++)
		if (stat_period_parse(so, a->period_what[i], a->period_arg[i], zone) != 0)
			return msg_usage_hint();
	if (so->period == STAT_PERIOD_RANGE && so->from != INT64_MIN &&
	    so->to != INT64_MAX && so->to <= so->from) {
		msg_err("--to must come after --from");
		return msg_usage_hint();
	}
	if (so->compare != STAT_COMPARE_NONE && so->period == STAT_PERIOD_RANGE &&
	    (so->from == INT64_MIN || so->to == INT64_MAX)) {
		msg_err("--compare needs both --from and --to");
		return msg_usage_hint();
	}
	return opt_parse_at(a->at, zone, &so->at);
}

/* The ids piped in, when no period is asked for and stdin is a pipe or a
 * file; 0 or an exit code. */
static int read_ids(struct args *a, struct ids *ids)
{
	struct stat sb;
	int st;

	if (a->hotline || a->nperiod || fstat(STDIN_FILENO, &sb) != 0 ||
	    !(S_ISFIFO(sb.st_mode) || S_ISREG(sb.st_mode)))
		return 0;
	st = ids_read("-", (enum rec_fmt)a->co.input_format, a->co.encoding, ids);
	if (!st && ids->n == 0)
		msg_warn("no case ids on standard input");
	a->so.ids = ids;
	return st;
}

/* The 12345 figures over the period and with the options of the cases'. */
static void hotline_opts(struct args *a)
{
	const struct stat_opts *so = &a->so;
	struct hotline_stat_opts *ho = &a->ho;

	ho->from = so->from;
	ho->to = so->to;
	ho->at = so->at;
	ho->by_time = so->by_time == STAT_BY_CLOSED ? HOTLINE_BY_DONE
		    : so->by_time == STAT_BY_DUE ? HOTLINE_BY_DUE : HOTLINE_BY_RECEIVED;
	ho->basis_due = so->basis == STAT_BASIS_DUE;
	ho->top = so->top;
}

/* The report asked for, to out: the tickets', or the cases' (whose
 * template may hold {{hotline.…}} too). */
static int report(struct args *a, struct db *db, struct out *out)
{
	struct hotline_stat_fill *fill;
	struct tmpl_source more;
	int st;

	hotline_opts(a);
	if (a->hotline && !a->so.template_path)
		return hotline_stat_run(db, &a->ho, out);
	if (!a->so.template_path)
		return stat_run(db, &a->so, out);
	fill = hotline_stat_fill_new(db, &a->ho);
	more = (struct tmpl_source){ hotline_stat_placeholder, fill };
	a->so.more_placeholders = &more;
	a->so.nmore = 1;
	st = stat_run(db, &a->so, out);
	hotline_stat_fill_free(fill);
	return st;
}

/* No output may be one of the files read (-o report.txt --template report.txt). */
static int check_paths(const struct args *a, const char *calfile, int ids_on_stdin)
{
	struct paths pa = PATHS_INIT;
	int st;

	if (ids_on_stdin)
		paths_input(&pa, NULL, "-");
	paths_input(&pa, "--template", a->so.template_path);
	paths_input(&pa, "--calendar", calfile);
	st = opt_check_paths(&a->co, &pa);
	paths_free(&pa);
	return st;
}

/* What can be checked before the store is open: the period (in the
 * default zone: the store's only moves its bounds), the template with
 * xlsx, and the files.  0, or 64 after a message. */
static int check_args(struct args *a, const char *calfile)
{
	struct args scratch = *a;
	struct stat sb;
	int stdin_ids = !a->hotline && !a->nperiod && fstat(STDIN_FILENO, &sb) == 0 &&
			(S_ISFIFO(sb.st_mode) || S_ISREG(sb.st_mode));

	if (a->so.template_path && opt_out_format(&a->co) == OUT_XLSX) {
		msg_err("--template fills a text: not with -f xlsx");
		return msg_usage_hint();
	}
	if (set_period(&scratch, 480) != 0)
		return EXIT_USAGE;
	return check_paths(a, calfile, stdin_ids);
}

int main(int argc, char **argv)
{
	struct args a;
	struct calendar *cal = NULL;
	struct db *db = NULL;
	struct ids ids = IDS_INIT;
	struct out *out = NULL;
	char cfg[4096];
	const char *calfile;
	int st;

	prog_init(argv[0]);
	schemas_register();
	memset(&a, 0, sizeof a);
	if ((st = parse_args(&a, argc, argv)) != 0)
		return st < 0 ? 0 : st;
	calfile = config_path(a.calfile, "calendar.csv", cfg, sizeof cfg);
	if ((st = check_args(&a, calfile)) != 0 ||
	    (st = calendar_load(&cal, calfile, a.work_hours)) != 0)
		goto out;
	/* ids first: in `case-import june.csv | case-stat` on a new store, the
	 * store is there once the importer has committed and printed; and a
	 * report never creates a store: a mistyped -D is 66, not zeros */
	if ((st = read_ids(&a, &ids)) != 0 || (st = opt_open_existing_store(&a.co, &db)) != 0 ||
	    (st = set_period(&a, db_zone_min(db))) != 0)
		goto out;
	a.so.cal = cal;
	if (!(out = opt_open_out(&a.co, &st)))
		goto out;
	st = report(&a, db, out);
	if (st)
		out_discard(out);
	{
		int c = out_close(out);
		st = st ? st : c;
	}
out:
	ids_free(&ids);
	db_close(db);
	calendar_free(cal);
	return st;
}
