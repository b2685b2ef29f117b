/*
 * hotline-sync - keep the 12345 hotline's tickets, their deadlines and
 * their replies in step with the platform's exports, from cron (DESIGN
 * §7.4).  The one place where tickets meet cases: --create-cases opens a
 * case for each new ticket that rules.csv places.
 */
#include "common.h"

#include <getopt.h>

#include "buf.h"
#include "calendar.h"
#include "case/create.h"
#include "case/route.h"
#include "case/taxonomy.h"
#include "config.h"
#include "db.h"
#include "hotline/deadline.h"
#include "hotline/export.h"
#include "hotline/sync.h"
#include "msg.h"
#include "opt.h"
#include "paths.h"
#include "rec.h"
#include "rejects.h"
#include "shared/schemas.h"
#include "spool.h"
#include "strnum.h"

enum {
	OPT_MAP = OPT_TOOL_BASE,
	OPT_DATE_FORMAT,
	OPT_REJECTS,
	OPT_KEEP_PII,
	OPT_SHOW_MAPPING,
	OPT_AT,
	OPT_DUE_SOON,
	OPT_FAIL_ON_OVERDUE,
	OPT_LIMITS,
	OPT_CALENDAR,
	OPT_WORK_HOURS,
	OPT_CREATE_CASES,
	OPT_RULES,
	OPT_UNITS,
	OPT_CLASSES,
	OPT_REPLIES,
	OPT_TO_OPEN311,
};

static const struct opt_desc tool_opts[] = {
	{ "map", OPT_MAP, required_argument, "SRC=DST",
	  "read column SRC as field DST (repeatable)" },
	{ "date-format", OPT_DATE_FORMAT, required_argument, "FMT",
	  "strptime format of the export's times" },
	{ "rejects", OPT_REJECTS, required_argument, "FILE",
	  "write bad rows, with their reason, to FILE (CSV)" },
	{ "keep-going", 'k', no_argument, NULL,
	  "sync the good rows of a file that has bad ones (still exit 65)" },
	OPT_DESC_SHOW_MAPPING(OPT_SHOW_MAPPING),
	{ "keep-pii", OPT_KEEP_PII, no_argument, NULL,
	  "store and export callers' names and phone numbers unmasked" },
	{ "at", OPT_AT, required_argument, "TIME",
	  "judge deadlines as of this time (default: now)" },
	{ "due-soon", OPT_DUE_SOON, required_argument, "HOURS",
	  "list open tickets due within HOURS (default: 24)" },
	{ "fail-on-overdue", OPT_FAIL_ON_OVERDUE, no_argument, NULL,
	  "exit 1 when an open ticket is past its deadline" },
	{ "limits", OPT_LIMITS, required_argument, "FILE",
	  "time limits by request type (default: $CITYOPS_CONFIG/limits.csv, else built in)" },
	OPT_DESC_CALENDAR(OPT_CALENDAR),
	OPT_DESC_WORK_HOURS(OPT_WORK_HOURS),
	{ "create-cases", OPT_CREATE_CASES, no_argument, NULL,
	  "open a case for each new ticket the rules place; print the cases" },
	{ "rules", OPT_RULES, required_argument, "FILE",
	  "the routing rules that place tickets (default: $CITYOPS_CONFIG/rules.csv)" },
	{ "units", OPT_UNITS, required_argument, "FILE",
	  "the units the rules name (default: $CITYOPS_CONFIG/units.csv)" },
	OPT_DESC_CLASSES(OPT_CLASSES),
	{ "replies", OPT_REPLIES, required_argument, "FILE",
	  "write the replies of the tickets done since the last replies run" },
	{ "to-open311", OPT_TO_OPEN311, required_argument, "FILE",
	  "write every ticket as Open311 GeoReport v2 JSON" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct usage usage = {
	"[options] [FILE...]",
	"Sync 12345 hotline ticket exports (CSV, TSV, JSON, JSON Lines, Open311\n"
	"requests.json; gzip or not; UTF-8 or GB18030) into the store, and list\n"
	"the tickets that need a look: new, status changed, overdue, due soon.\n"
	"With no FILE, or when FILE is -, read standard input (but not when only\n"
	"--replies or --to-open311 is asked for).",
};

struct args {
	struct opt_common co;
	struct hotline_sync_opts so;
	const char **maps;
	size_t nmaps, mapcap;
	const char *at, *rejects, *limits, *calendar, *work_hours;
	const char *rules, *units, *classes, *replies, *open311;
	int fail_on_overdue, create_cases, mapping;
};

static int parse_hours(const char *arg, int64_t *out)
{
	double h;

	if (strnum_double(arg, strlen(arg), &h) < 0 || h < 0 || h > 24 * 366) {
		msg_err("--due-soon '%s': expected hours, e.g. 24 or 2.5", arg);
		return msg_usage_hint();
	}
	*out = (int64_t)(h * 3600);
	return 0;
}

/* The tool's own options; 0, or an exit code. */
static int tool_option(struct args *a, int c, const char *arg)
{
	switch (c) {
	case OPT_MAP:
		XGROW(a->maps, a->nmaps + 1, a->mapcap);
		a->maps[a->nmaps++] = arg;
		return 0;
	case OPT_DATE_FORMAT: a->so.date_format = arg; return 0;
	case OPT_REJECTS: a->rejects = arg; return 0;
	case 'k': a->so.keep_going = 1; return 0;
	case OPT_KEEP_PII: a->so.keep_pii = 1; return 0;
	case OPT_SHOW_MAPPING: a->mapping = 1; return 0;
	case OPT_AT: a->at = arg; return 0;
	case OPT_DUE_SOON: return parse_hours(arg, &a->so.due_soon_s);
	case OPT_FAIL_ON_OVERDUE: a->fail_on_overdue = 1; return 0;
	case OPT_LIMITS: a->limits = arg; return 0;
	case OPT_CALENDAR: a->calendar = arg; return 0;
	case OPT_WORK_HOURS: a->work_hours = arg; return 0;
	case OPT_CREATE_CASES: a->create_cases = 1; return 0;
	case OPT_RULES: a->rules = arg; return 0;
	case OPT_UNITS: a->units = arg; return 0;
	case OPT_CLASSES: a->classes = arg; return 0;
	case OPT_REPLIES: a->replies = arg; return 0;
	case OPT_TO_OPEN311: a->open311 = arg; return 0;
	default: return msg_usage_hint();
	}
}

static int parse_args(struct args *a, int argc, char **argv)
{
	struct opt_parser p;
	int c, st = 0;

	opt_common_init(&a->co);
	a->so.due_soon_s = 24 * 3600;
	opt_parser_init(&p, tool_opts);
	while ((c = opt_next(&p, &a->co, argc, argv, tool_opts, &usage)) != -1) {
		if (c == OPT_EXIT) {
			st = a->co.exit_status ? a->co.exit_status : -1;
			break;
		}
		if ((st = tool_option(a, c, optarg)) != 0)
			break;
	}
	opt_parser_free(&p);
	if (st)
		return st;
	if (rec_check_maps(a->maps, a->nmaps, hotline_fields, HF_NFIELDS) < 0)
		return msg_usage_hint();
	if (a->create_cases && a->open311 && strcmp(a->open311, "-") == 0) {
		msg_err("--create-cases and --to-open311 - both print to standard output");
		return msg_usage_hint();
	}
	return 0;
}

/* ---- cases from tickets --------------------------------------------------- */

enum { K_ID, K_STATE, K_CATEGORY, K_REPORTED, K_TICKET, K_NCOLS };

static const struct out_col case_cols[K_NCOLS] = {
	{ "id", OUT_STR, "案件编号" }, { "state", OUT_STR, "案件状态" },
	{ "category", OUT_STR, "类别" }, { "reported_at", OUT_TIME, "上报时间" },
	{ "ticket_id", OUT_STR, "热线工单号" },
};

struct cases {
	struct taxonomy *tax;
	struct router *rt;
	struct spool *sp;          /* the cases opened, printed when they land */
	struct spool_mark mark;    /* where the file at hand began */
	int marked;
	long long opened;
};

/* The ticket's category as a class of the taxonomy: a small class, else a
 * big class (of events first). */
static void classify(const struct taxonomy *tax, const char *cat,
		     struct route_subject *s)
{
	static const enum taxonomy_kind kinds[] = { TAXONOMY_EVENT, TAXONOMY_COMPONENT };
	size_t n = cat ? strlen(cat) : 0;
	int amb;

	s->kind = TAXONOMY_ANY;
	for (size_t i = 0; n && i < ARRAY_SIZE(kinds); i++) {
		const struct taxonomy_class *c = taxonomy_by_name(tax, kinds[i], cat, n, &amb);
		const char *big = c ? NULL : taxonomy_big_class(tax, kinds[i], cat, n);
		if (c) {
			s->kind = c->kind;
			s->class_code = c->code;
			s->big_class = c->big_class;
			s->small_class = c->name;
			return;
		}
		if (big) {
			s->kind = kinds[i];
			s->big_class = big;
			return;
		}
	}
}

static int new_ticket(void *ctx, struct db *d, int64_t batch,
		      const struct hotline_stored *t, struct buf *case_id)
{
	struct cases *k = ctx;
	struct route_subject s = { TAXONOMY_ANY, NULL, NULL, NULL, NULL, NULL, NULL };
	struct case_new c;
	const char *unit, *rule, *row[K_NCOLS];
	int limit_hit, r;

	classify(k->tax, t->v[TK_CATEGORY], &s);
	s.description = t->v[TK_CONTENT];
	s.address = t->v[TK_ADDRESS];
	rule = router_first_match(k->rt, &s, &unit, &limit_hit);
	if (limit_hit)
		msg_warn("ticket '%s': a rule's pattern hit the match limit: no case opened",
			 t->v[TK_ID]);
	if (!rule)
		return 0; /* not the bureau's business, as far as the rules say */
	memset(&c, 0, sizeof c);
	buf_addf(case_id, "12345-%s", t->v[TK_ID]);
	c.id = case_id->s;
	c.source = "12345";
	c.kind = s.kind == TAXONOMY_COMPONENT ? "component" : "event";
	c.class_code = s.class_code;
	c.big_class = s.big_class ? s.big_class : t->v[TK_CATEGORY];
	c.small_class = s.small_class;
	c.description = t->v[TK_CONTENT];
	c.address = t->v[TK_ADDRESS];
	c.reporter = t->v[TK_CALLER];
	c.reported_at = t->v[TK_RECEIVED_AT];
	c.ticket_id = t->v[TK_ID];
	if ((r = case_create(d, &c, batch)) < 0)
		return db_fail(d, t->v[TK_ID]);
	if (!k->marked) {
		k->mark = spool_mark(k->sp);
		k->marked = 1;
	}
	row[K_ID] = c.id;
	row[K_STATE] = "reported";
	row[K_CATEGORY] = c.kind[0] == 'c' ? "部件" : c.big_class;
	row[K_REPORTED] = c.reported_at;
	row[K_TICKET] = c.ticket_id;
	if (r == 1) {
		spool_add(k->sp, row, NULL);
		k->opened++;
	}
	return 1;
}

static void file_end(void *ctx, int landed)
{
	struct cases *k = ctx;

	if (!landed && k->marked)
		spool_truncate(k->sp, k->mark);
	k->marked = 0;
}

static int cases_open(struct cases *k, const struct args *a)
{
	char rbuf[4096], ubuf[4096], cbuf[4096];
	struct router_opts ro;
	int st;

	memset(&ro, 0, sizeof ro);
	if ((st = taxonomy_load(&k->tax, config_path(a->classes, "classes.csv", cbuf,
						     sizeof cbuf))) != 0)
		return st;
	ro.rules = config_path(a->rules, "rules.csv", rbuf, sizeof rbuf);
	ro.units = config_path(a->units, "units.csv", ubuf, sizeof ubuf);
	ro.tax = k->tax;
	if (!ro.rules) {
		msg_err("--create-cases needs the rules that place tickets: --rules FILE "
			"or $CITYOPS_CONFIG/rules.csv");
		return EXIT_CONFIG;
	}
	if ((st = router_load(&k->rt, &ro)) != 0 || (st = router_check(k->rt)) != 0)
		return st;
	k->sp = spool_new(K_NCOLS, &st);
	return st;
}

static void cases_close(struct cases *k)
{
	router_free(k->rt);
	taxonomy_free(k->tax);
	spool_free(k->sp);
}

/* ---- the run -------------------------------------------------------------- */

static int worse(int st, int r)
{
	return st ? st : r;
}

static int sync_files(struct hotline_sync *s, const struct args *a, int argc, char **argv)
{
	int st = 0, r;

	if (optind >= argc)
		return (a->replies || a->open311) ? 0 : hotline_sync_file(s, "-");
	for (int i = optind; i < argc; i++) {
		r = hotline_sync_file(s, argv[i]);
		st = worse(st, r);
		if (exit_store_trouble(r))
			break;
	}
	return st;
}

static int exports(struct db *db, const struct args *a)
{
	struct hotline_export_opts eo = { NULL, a->so.keep_pii, a->co.bom, a->co.dry_run };
	long long n;
	int st;

	if (a->replies) {
		eo.path = a->replies;
		if ((st = hotline_replies(db, &eo, &n)) != 0)
			return st;
		msg_verb("%s: %lld replies", a->replies, n);
	}
	if (a->open311) {
		eo.path = a->open311;
		if ((st = hotline_open311(db, &eo, &n)) != 0)
			return st;
		msg_verb("%s: %lld tickets", a->open311, n);
	}
	return 0;
}

/* Print the listing or the cases opened; 0 or 74. */
static int print(struct hotline_sync *s, struct cases *k, const struct args *a, int *st)
{
	struct out *out = NULL;
	int r = 0;

	if (a->so.list || k->sp) {
		out = opt_open_out(&a->co, &r);
		if (!out) {
			hotline_sync_end(s, NULL);
			return r;
		}
	}
	r = hotline_sync_end(s, a->so.list ? out : NULL);
	if (k->sp && spool_count(k->sp) == 0) {
		out_discard(out);
	} else if (k->sp) {
		out_columns(out, case_cols, K_NCOLS);
		if (spool_write(k->sp, out) != 0)
			r = worse(r, EXIT_IO_ERR);
	}
	if (out) {
		if (*st == EXIT_LOCKED || *st == EXIT_SOFTWARE_ERR)
			out_discard(out); /* nothing landed that could be listed */
		r = worse(r, out_close(out));
	}
	return r;
}

static int load_config(const struct args *a, struct calendar **cal,
		       struct hotline_limits **lim)
{
	char buf[4096];
	int st;

	if ((st = calendar_load(cal, config_path(a->calendar, "calendar.csv", buf,
						 sizeof buf), a->work_hours)) != 0)
		return st;
	return hotline_limits_load(lim, config_path(a->limits, "limits.csv", buf, sizeof buf));
}

/* No output may be one of the files read (--rejects t.csv t.csv). */
static int check_paths(const struct args *a, int argc, char **argv)
{
	struct paths pa = PATHS_INIT;
	int st;

	paths_operands(&pa, argc, argv, optind);
	paths_input(&pa, "--limits", a->limits);
	paths_input(&pa, "--calendar", a->calendar);
	paths_input(&pa, "--rules", a->rules);
	paths_input(&pa, "--units", a->units);
	paths_input(&pa, "--classes", a->classes);
	paths_output(&pa, "--rejects", a->rejects);
	if (a->replies && strcmp(a->replies, "-") != 0)
		paths_output(&pa, "--replies", a->replies);
	if (a->open311 && strcmp(a->open311, "-") != 0)
		paths_output(&pa, "--to-open311", a->open311);
	st = opt_check_paths(&a->co, &pa);
	paths_free(&pa);
	return st;
}

int main(int argc, char **argv)
{
	struct args a;
	struct cases k;
	struct calendar *cal = NULL;
	struct hotline_limits *lim = NULL;
	struct rejects *rj = NULL;
	struct db *db = NULL;
	struct hotline_sync *s;
	long long overdue = 0;
	int st, r;

	prog_init(argv[0]);
	schemas_register();
	memset(&a, 0, sizeof a);
	memset(&k, 0, sizeof k);
	if ((st = parse_args(&a, argc, argv)) != 0) {
		st = st < 0 ? 0 : st;
		goto out;
	}
	if (a.mapping) {
		st = opt_show_mapping(&a.co, argc, argv, hotline_fields, HF_NFIELDS, a.maps,
				      a.nmaps, a.so.date_format);
		goto out;
	}
	if ((st = check_paths(&a, argc, argv)) != 0 || (st = load_config(&a, &cal, &lim)) != 0)
		goto out;
	if (a.create_cases && (st = cases_open(&k, &a)) != 0)
		goto out;
	if ((st = opt_open_store(&a.co, &db)) != 0)
		goto out;
	if ((st = opt_parse_at(a.at, db_zone_min(db), &a.so.at)) != 0)
		goto out;
	if (a.rejects && !(rj = rejects_open(a.rejects, &st)))
		goto out;
	a.so.fmt = (enum rec_fmt)a.co.input_format;
	a.so.enc = a.co.encoding;
	a.so.maps = a.maps;
	a.so.nmaps = a.nmaps;
	a.so.dry_run = a.co.dry_run;
	a.so.progress = opt_progress(&a.co);
	a.so.list = !a.create_cases && !(a.open311 && strcmp(a.open311, "-") == 0) &&
		    !(a.replies && strcmp(a.replies, "-") == 0);
	a.so.cal = cal;
	a.so.limits = lim;
	a.so.rejects = rj;
	if (a.create_cases)
		a.so.hooks = (struct hotline_hooks){ &k, new_ticket, file_end };
	if (!(s = hotline_sync_begin(db, &a.so, &st)))
		goto out;
	st = sync_files(s, &a, argc, argv);
	if (st != EXIT_LOCKED && st != EXIT_IO_ERR && st != EXIT_SOFTWARE_ERR)
		st = worse(st, exports(db, &a));
	r = print(s, &k, &a, &st);
	st = worse(st, r);
	if (a.fail_on_overdue && !st) {
		if (hotline_open_overdue(db, a.so.at, &overdue) < 0)
			st = db_fail(db, "overdue");
		else if (overdue > 0)
			st = EXIT_FOUND;
	}
out:
	st = worse(st, rejects_close(rj));
	db_close(db);
	cases_close(&k);
	hotline_limits_free(lim);
	calendar_free(cal);
	free(a.maps);
	return st;
}
