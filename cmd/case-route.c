/*
 * case-route - dispatch cases by rules, apply workflow events, list what is
 * overdue (DESIGN §5, §6, §7.2).
 */
#include "common.h"

#include <getopt.h>
#include <time.h>

#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "db.h"
#include "msg.h"
#include "opt.h"
#include "rec.h"
#include "schemas.h"
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

/*
 * The ids of a CSV/JSON stream, each with its NUL, all read before the
 * store's write lock is taken: in `case-import x.csv | case-route`, the
 * importer writes and commits before it prints a row, and a case-route that
 * held the lock while it waited for that row would wait for it for ever.
 */
static int ids_read(const struct opt_common *co, const char *path, struct buf *ids)
{
	struct rec_src *s;
	struct rec r;
	int st = 0, rc;

	s = rec_open_ids(path, (enum rec_fmt)co->input_format, co->encoding, &st);
	if (!s)
		return st;
	while ((rc = rec_next(s, &r)) != 0) {
		if (rc < 0) {
			st = rec_status(s);
			break;
		}
		if (rc == 2 || !r.v[0] || r.len[0] == 0 || r.len[0] >= 512 ||
		    memchr(r.v[0], '\0', r.len[0])) {
			msg_errat(rec_name(s), r.line, "%s", rc == 2 ? r.reason : "no id");
			continue;
		}
		buf_add(ids, r.v[0], r.len[0]);
		buf_addc(ids, '\0');
	}
	rec_close(s);
	return st;
}

/* No output may be one of the files read (--rejects ev.csv --events ev.csv). */
static int check_paths(const struct opt_common *co, const struct router_opts *rto,
		       const struct route_opts *ro, const char *events,
		       const char *classes, const char *calfile, int ids_on_stdin)
{
	struct paths pa = PATHS_INIT;
	int st;

	if (ids_on_stdin)
		paths_input(&pa, NULL, "-");
	paths_input(&pa, "--events", events);
	paths_input(&pa, "--rules", rto->rules);
	paths_input(&pa, "--units", rto->units);
	paths_input(&pa, "--owners", rto->owners);
	paths_input(&pa, "--classes", classes);
	paths_input(&pa, "--calendar", calfile);
	paths_output(&pa, "--rejects", ro->rejects);
	st = opt_check_paths(co, &pa);
	paths_free(&pa);
	return st;
}

int main(int argc, char **argv)
{
	struct opt_common co;
	struct opt_parser p;
	struct route_opts ro;
	struct router_opts rto;
	struct router *rt = NULL;
	struct taxonomy *tax = NULL;
	struct calendar *cal = NULL;
	struct db *db = NULL;
	struct route_run *run = NULL;
	const char *rules = NULL, *units = NULL, *owners = NULL, *classes = NULL;
	const char *calfile = NULL, *work_hours = NULL, *at = NULL, *events = NULL;
	const char *default_limit = "3wd";
	int pending = 0, explain = 0, check = 0, overdue = 0;
	struct buf ids = BUF_INIT;
	char b1[4096], b2[4096], b3[4096], b4[4096], b5[4096];
	int c, st = 0, r, modes;
	const char *why;

	prog_init(argv[0]);
	schemas_register();
	opt_common_init(&co);
	memset(&ro, 0, sizeof ro);
	memset(&rto, 0, sizeof rto);
	opt_parser_init(&p, tool_opts);
	while ((c = opt_next(&p, &co, argc, argv, tool_opts, &usage)) != -1) {
		if (c == OPT_EXIT) {
			st = co.exit_status;
			goto out;
		}
		switch (c) {
		case OPT_RULES: rules = optarg; break;
		case OPT_UNITS: units = optarg; break;
		case OPT_OWNERS: owners = optarg; break;
		case OPT_CLASSES: classes = optarg; break;
		case OPT_CALENDAR: calfile = optarg; break;
		case OPT_WORK_HOURS: work_hours = optarg; break;
		case OPT_PENDING: pending = 1; break;
		case OPT_AT: at = optarg; break;
		case OPT_EXPLAIN: explain = 1; break;
		case OPT_CHECK_RULES: check = 1; break;
		case OPT_EVENTS: events = optarg; break;
		case OPT_OVERDUE: overdue = 1; break;
		case 'k': ro.keep_going = 1; break;
		case OPT_REJECTS: ro.rejects = optarg; break;
		case OPT_MATCH_LIMIT:
			rto.match_limit = (uint32_t)strnum_ll(optarg, 1, 1000000000, &why);
			if (why) {
				msg_err("--match-limit '%s' is %s", optarg, why);
				st = msg_usage_hint();
				goto out;
			}
			break;
		case OPT_DEFAULT_LIMIT: default_limit = optarg; break;
		default:
			st = msg_usage_hint();
			goto out;
		}
	}
	modes = (events != NULL) + overdue + check + explain;
	if (modes > 1 || (pending && (events || overdue || check))) {
		msg_err("--events, --overdue, --check-rules and --explain go one at a time");
		st = msg_usage_hint();
		goto out;
	}
	if (cal_parse_limit(default_limit, &ro.default_limit) < 0) {
		msg_err("--default-limit '%s': expected e.g. 4wh, 2wd or 6h", default_limit);
		st = msg_usage_hint();
		goto out;
	}
	classes = config_path(classes, "classes.csv", b1, sizeof b1);
	if ((st = taxonomy_load(&tax, classes)) != 0)
		goto out;
	rto.tax = tax;
	rto.rules = config_path(rules, "rules.csv", b2, sizeof b2);
	rto.units = config_path(units, "units.csv", b3, sizeof b3);
	rto.owners = config_path(owners, "owners.csv", b4, sizeof b4);
	if (check && !rto.rules) {
		msg_err("no rules to check: give --rules FILE or set CITYOPS_CONFIG");
		st = msg_usage_hint();
		goto out;
	}
	calfile = config_path(calfile, "calendar.csv", b5, sizeof b5);
	if ((st = check_paths(&co, &rto, &ro, events, classes, calfile,
			      !events && !overdue && !pending && !check && optind == argc)) != 0)
		goto out;
	if ((st = router_load(&rt, &rto)) != 0)
		goto out;
	if (check) {
		st = router_check(rt);
		goto out;
	}
	if ((st = router_check(rt)) != 0) {
		msg_err("the configuration has bad lines: see above (--check-rules)");
		goto out;
	}
	if (!events && !overdue && !rto.rules) {
		msg_err("no rules: give --rules FILE or put rules.csv in $CITYOPS_CONFIG");
		st = EXIT_CONFIG;
		goto out;
	}
	if ((st = calendar_load(&cal, calfile, work_hours)) != 0)
		goto out;
	/* ids first: in `case-import x.csv | case-route --explain` the store may
	 * not exist until the importer has committed, before its first row */
	if (!events && !overdue && !pending && optind == argc &&
	    (st = ids_read(&co, "-", &ids)) != 0)
		goto out;
	/* only a run that writes creates a store: the others report on one */
	st = events || !(overdue || explain) ? opt_open_store(&co, &db)
					      : opt_open_existing_store(&co, &db);
	if (st != 0)
		goto out;
	if ((st = opt_parse_at(at, db_zone_min(db), &ro.at)) != 0)
		goto out;
	ro.co = &co;
	ro.cal = cal;
	ro.tax = tax;
	ro.out_format = opt_out_format(&co);
	ro.mode = events ? ROUTE_EVENTS : overdue ? ROUTE_OVERDUE
		: explain ? ROUTE_EXPLAIN : ROUTE_DISPATCH;
	run = route_begin(db, rt, &ro, &st);
	if (!run)
		goto out;
	if (events) {
		st = route_events(run, events);
	} else if (overdue) {
		st = route_overdue(run);
	} else if (pending) {
		st = route_pending(run);
	} else if (optind < argc) {
		for (int i = optind; i < argc && !st; i++)
			st = route_case(run, argv[i]);
	} else {
		for (size_t off = 0; off < ids.len && !st; off += strlen(ids.s + off) + 1)
			st = route_case(run, ids.s + off);
	}
	r = route_end(run);
	if (r && !st)
		st = r;
out:
	buf_free(&ids);
	db_close(db);
	router_free(rt);
	calendar_free(cal);
	taxonomy_free(tax);
	opt_parser_free(&p);
	return st;
}
