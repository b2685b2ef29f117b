/*
 * case-route - dispatch cases by rules, apply workflow events, list what is
 * overdue (DESIGN §5, §6, §7.2).
 */
#include "common.h"

#include <getopt.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "config.h"
#include "db.h"
#include "msg.h"
#include "opt.h"
#include "ids.h"
#include "out.h"
#include "paths.h"
#include "rec.h"
#include "rejects.h"
#include "shared/schemas.h"
#include "case/route.h"
#include "strnum.h"
#include "case/taxonomy.h"
#include "timeparse.h"

enum {
	OPT_RULES = OPT_TOOL_BASE,
	OPT_UNITS,
	OPT_OWNERS,
	OPT_CLASSES,
	OPT_CALENDAR,
	OPT_WORK_HOURS,
	OPT_PENDING,
	OPT_AT,
	OPT_EXPLAIN,
	OPT_CHECK_RULES,
	OPT_EVENTS,
	OPT_OVERDUE,
	OPT_REJECTS,
	OPT_MATCH_LIMIT,
	OPT_DEFAULT_LIMIT,
};

static const struct opt_desc tool_opts[] = {
	{ "rules", OPT_RULES, required_argument, "FILE",
	  "routing rules (default: $CITYOPS_CONFIG/rules.csv)" },
	{ "units", OPT_UNITS, required_argument, "FILE",
	  "the units rules may name (default: $CITYOPS_CONFIG/units.csv)" },
	{ "owners", OPT_OWNERS, required_argument, "FILE",
	  "owners of components: object_id,unit (default: $CITYOPS_CONFIG/owners.csv)" },
	OPT_DESC_CLASSES(OPT_CLASSES),
	OPT_DESC_CALENDAR(OPT_CALENDAR),
	OPT_DESC_WORK_HOURS(OPT_WORK_HOURS),
	{ "pending", OPT_PENDING, no_argument, NULL,
	  "dispatch every registered case that has no unit" },
	{ "at", OPT_AT, required_argument, "TIME",
	  "act at this time (default: now); the deadline clock starts here" },
	{ "explain", OPT_EXPLAIN, no_argument, NULL,
	  "show per case which rule matches and why earlier ones do not; change nothing" },
	{ "check-rules", OPT_CHECK_RULES, no_argument, NULL,
	  "check the rules file and exit (78 when a line is bad)" },
	{ "events", OPT_EVENTS, required_argument, "FILE",
	  "apply workflow events: id,step,at,actor,unit,due,note" },
	{ "overdue", OPT_OVERDUE, no_argument, NULL,
	  "list open cases past their deadline" },
	{ "keep-going", 'k', no_argument, NULL,
	  "apply the good events of a file that has bad ones" },
	{ "rejects", OPT_REJECTS, required_argument, "FILE",
	  "write bad event rows, with their reason, to FILE" },
	{ "match-limit", OPT_MATCH_LIMIT, required_argument, "N",
	  "PCRE2 match limit per pattern and case (default: 1000000)" },
	{ "default-limit", OPT_DEFAULT_LIMIT, required_argument, "LIMIT",
	  "deadline when neither rule nor class has one (default: 3wd)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct usage usage = {
	"[options] [ID...]",
	"Dispatch cases to units by rules with deadlines in working time, apply\n"
	"workflow events from units, and list overdue cases.  Case ids come from\n"
	"the arguments, else from standard input (any CSV or JSON with an id\n"
	"column), or --pending.",
};

/* What the command line asked for. */
struct args {
	struct opt_common co;
	struct route_opts ro;
	struct router_opts rto;
	const char *rules, *units, *owners, *classes, *calfile, *work_hours;
	const char *at, *events, *rejects, *default_limit;
	int pending, explain, check, overdue;
};

/* One of the tool's own options; 0, or an exit code after a message. */
static int take_option(struct args *a, int c, const char *arg)
{
	const char *why;

	switch (c) {
	case OPT_RULES: a->rules = arg; break;
	case OPT_UNITS: a->units = arg; break;
	case OPT_OWNERS: a->owners = arg; break;
	case OPT_CLASSES: a->classes = arg; break;
	case OPT_CALENDAR: a->calfile = arg; break;
	case OPT_WORK_HOURS: a->work_hours = arg; break;
	case OPT_PENDING: a->pending = 1; break;
	case OPT_AT: a->at = arg; break;
	case OPT_EXPLAIN: a->explain = 1; break;
	case OPT_CHECK_RULES: a->check = 1; break;
	case OPT_EVENTS: a->events = arg; break;
	case OPT_OVERDUE: a->overdue = 1; break;
	case 'k': a->ro.keep_going = 1; break;
	case OPT_REJECTS: a->rejects = arg; break;
	case OPT_DEFAULT_LIMIT: a->default_limit = arg; break;
	case OPT_MATCH_LIMIT:
		a->rto.match_limit = (uint32_t)strnum_ll(arg, 1, 1000000000, &why);
		if (why) {
			msg_err("--match-limit '%s' is %s", arg, why);
			return msg_usage_hint();
		}
		break;
	default:
		return msg_usage_hint();
	}
	return 0;
}

static int parse_args(struct args *a, int argc, char **argv)
{
	struct opt_parser p;
	int c, st = 0, modes;

	opt_common_init(&a->co);
	a->default_limit = "3wd";
	opt_parser_init(&p, tool_opts);
	while (!st && (c = opt_next(&p, &a->co, argc, argv, tool_opts, &usage)) != -1)
		st = c == OPT_EXIT ? (a->co.exit_status ? a->co.exit_status : -1)
				   : take_option(a, c, optarg);
	opt_parser_free(&p);
	if (st)
		return st;
	modes = (a->events != NULL) + a->overdue + a->check + a->explain;
	if (modes > 1 || (a->pending && (a->events || a->overdue || a->check))) {
		msg_err("--events, --overdue, --check-rules and --explain go one at a time");
		return msg_usage_hint();
	}
	if (optind < argc && (a->pending || a->events || a->overdue || a->check)) {
		msg_err("case ids go with neither --pending, --events, --overdue nor --check-rules");
		return msg_usage_hint();
	}
	if (calendar_parse_limit(a->default_limit, &a->ro.default_limit) < 0) {
		msg_err("--default-limit '%s': expected a limit, " CALENDAR_LIMIT_HELP, a->default_limit);
		return msg_usage_hint();
	}
	a->ro.mode = a->events ? ROUTE_EVENTS : a->overdue ? ROUTE_OVERDUE
		   : a->explain ? ROUTE_EXPLAIN : ROUTE_DISPATCH;
	a->ro.dry_run = a->co.dry_run;
	a->ro.events_format = (enum rec_fmt)a->co.input_format;
	a->ro.events_encoding = a->co.encoding;
	return 0;
}

/* No output may be one of the files read (--rejects ev.csv --events ev.csv). */
static int check_paths(const struct args *a, const char *classes, const char *calfile,
		       int ids_on_stdin)
{
	struct paths pa = PATHS_INIT;
	int st;

	if (ids_on_stdin)
		paths_input(&pa, NULL, "-");
	paths_input(&pa, "--events", a->events);
	paths_input(&pa, "--rules", a->rto.rules);
	paths_input(&pa, "--units", a->rto.units);
	paths_input(&pa, "--owners", a->rto.owners);
	paths_input(&pa, "--classes", classes);
	paths_input(&pa, "--calendar", calfile);
	paths_output(&pa, "--rejects", a->rejects);
	st = opt_check_paths(&a->co, &pa);
	paths_free(&pa);
	return st;
}

/* The configuration: taxonomy, units, owners, rules, calendar. */
struct config {
	struct taxonomy *tax;
	struct router *rt;
	struct calendar *cal;
	char classes[4096], rules[4096], units[4096], owners[4096], calendar[4096];
};

/* Rules, units and owners: rules and units are required (a rule names its
 * unit by code or name, and only the units file says which name a code
 * stands for); 0, or 64/78 after a message. */
static int routing_config(struct args *a, struct config *cf)
{
	a->rto.rules = config_path(a->rules, "rules.csv", cf->rules, sizeof cf->rules);
	a->rto.units = config_path(a->units, "units.csv", cf->units, sizeof cf->units);
	a->rto.owners = config_path(a->owners, "owners.csv", cf->owners, sizeof cf->owners);
	if (a->check && !a->rto.rules) {
		msg_err("no rules to check: give --rules FILE or set CITYOPS_CONFIG");
		return msg_usage_hint();
	}
	if (!a->rto.rules) {
		msg_err("no rules: give --rules FILE or put rules.csv in $CITYOPS_CONFIG");
		return EXIT_CONFIG;
	}
	if (!a->rto.units) {
		msg_err("no units: give --units FILE or put units.csv in $CITYOPS_CONFIG"
			" (rules name their units by code or name)");
		return EXIT_CONFIG;
	}
	return 0;
}

static int load_config(struct args *a, struct config *cf, int argc)
{
	const char *classes = config_path(a->classes, "classes.csv", cf->classes,
					  sizeof cf->classes);
	const char *calfile = config_path(a->calfile, "calendar.csv", cf->calendar,
					  sizeof cf->calendar);
	int st;

	/* events and the overdue list use no rule, unit or owner */
	if (!a->events && !a->overdue && (st = routing_config(a, cf)) != 0)
		return st;
	if ((st = check_paths(a, classes, calfile, !a->events && !a->overdue && !a->pending &&
			      !a->check && optind == argc)) != 0 ||
	    (st = taxonomy_load(&cf->tax, classes)) != 0)
		return st;
	a->rto.tax = cf->tax;
	if ((st = router_load(&cf->rt, &a->rto)) != 0)
		return st;
	if (a->check)
		return router_check(cf->rt);
	if ((st = router_check(cf->rt)) != 0) {
		msg_err("the configuration has bad lines: see above (--check-rules)");
		return st;
	}
	a->ro.tax = cf->tax;
	return calendar_load(&cf->cal, calfile, a->work_hours);
}

/* The cases named: the arguments, else the ids on stdin, all read before
 * the store's write lock is taken (in `case-import x.csv | case-route` the
 * importer commits before it prints, and a case-route holding the lock
 * while it waited for those rows would wait for ever). */
static int read_ids(struct args *a, int argc, char **argv, struct ids *ids)
{
	if (a->events || a->overdue || a->pending)
		return 0;
	for (int i = optind; i < argc; i++)
		ids_add(ids, argv[i], strlen(argv[i]));
	if (optind < argc)
		return 0;
	if (isatty(STDIN_FILENO))
		msg_info("reading case ids from standard input (a CSV/JSON with an id column,"
			 " or one id a line); see --help");
	return ids_read("-", (enum rec_fmt)a->co.input_format, a->co.encoding, ids);
}

static int run(struct args *a, struct db *db, struct router *rt, const struct ids *ids)
{
	struct route_run *run;
	struct out *out;
	int st = 0, r;

	if ((st = opt_parse_at(a->at, db_zone_min(db), &a->ro.at)) != 0)
		return st;
	if (!(out = opt_open_out(&a->co, &st)))
		return st;
	run = route_begin(db, rt, &a->ro, out, &st);
	if (run) {
		if (a->events)
			st = route_events(run, a->events);
		else if (a->overdue)
			st = route_overdue(run);
		else if (a->pending)
			st = route_pending(run);
		for (size_t i = 0; i < ids->n && !st; i++)
			st = route_case(run, ids->v[i]);
		r = route_end(run);
		st = st ? st : r;
	} else {
		out_discard(out);
	}
	r = out_close(out);
	return st ? st : r;
}

int main(int argc, char **argv)
{
	struct args a;
	struct config cf;
	struct db *db = NULL;
	struct ids ids = IDS_INIT;
	int st, r;

	prog_init(argv[0]);
	schemas_register();
	memset(&a, 0, sizeof a);
	memset(&cf, 0, sizeof cf);
	if ((st = parse_args(&a, argc, argv)) != 0)
		return st < 0 ? 0 : st;
	if ((st = load_config(&a, &cf, argc)) != 0 || a.check)
		goto out;
	a.ro.cal = cf.cal;
	if ((st = read_ids(&a, argc, argv, &ids)) != 0)
		goto out;
	if (a.rejects && !(a.ro.rejects = rejects_open(a.rejects, &st)))
		goto out;
	/* only a run that writes creates a store: the others report on one */
	st = a.events || !(a.overdue || a.explain) ? opt_open_store(&a.co, &db)
						   : opt_open_existing_store(&a.co, &db);
	if (st == 0)
		st = run(&a, db, cf.rt, &ids);
	r = rejects_close(a.ro.rejects);
	st = st ? st : r;
out:
	ids_free(&ids);
	db_close(db);
	router_free(cf.rt);
	calendar_free(cf.cal);
	taxonomy_free(cf.tax);
	return st;
}
