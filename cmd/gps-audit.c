/*
 * gps-audit - route, zone, hour and speed audit of muck and concrete trucks
 * from their GPS fixes (DESIGN §7.6).
 */
#include "common.h"

#include <getopt.h>
#include <math.h>

#include "config.h"
#include "db.h"
#include "msg.h"
#include "opt.h"
#include "paths.h"
#include "rec.h"
#include "shared/schemas.h"
#include "strnum.h"
#include "gps/audit.h"
#include "gps/fleet.h"
#include "gps/plate.h"
#include "gps/shapes.h"

enum {
	OPT_VEHICLES = OPT_TOOL_BASE,
	OPT_ROUTES,
	OPT_ZONES,
	OPT_PLATE,
	OPT_SUMMARY,
	OPT_SHOW_MAPPING,
	OPT_SHOW_FIXES,
	OPT_STREAM,
	OPT_LIMIT,
	OPT_TOLERANCE,
	OPT_MIN_DURATION,
	OPT_MIN_OFF_ROUTE,
	OPT_MIN_OFF_DISTANCE,
	OPT_MAX_GAP,
	OPT_MAX_IMPLIED,
	OPT_CHINA_ONLY,
	OPT_AT,
	OPT_MAP,
	OPT_DATE_FORMAT,
	OPT_REJECTS,
	OPT_MEMORY,
};

static const struct opt_desc tool_opts[] = {
	{ "vehicles", OPT_VEHICLES, required_argument, "FILE",
	  "the trucks (default: $CITYOPS_CONFIG/vehicles.csv)" },
	{ "routes", OPT_ROUTES, required_argument, "FILE",
	  "approved routes (default: $CITYOPS_CONFIG/routes.geojson)" },
	{ "zones", OPT_ZONES, required_argument, "FILE",
	  "forbidden and speed zones (default: $CITYOPS_CONFIG/zones.geojson)" },
	{ "plate", OPT_PLATE, required_argument, "PLATE",
	  "the plate of fixes that name none (.plt tracks)" },
	OPT_DESC_SHOW_MAPPING(OPT_SHOW_MAPPING),
	{ "summary", OPT_SUMMARY, no_argument, NULL,
	  "print one row per vehicle and a total per company" },
	{ "show-fixes", OPT_SHOW_FIXES, no_argument, NULL,
	  "print every fix as audited (speed, distance to route, zone)" },
	{ "stream", OPT_STREAM, no_argument, NULL,
	  "fixes grouped by plate on stdin, episodes to stdout, no store" },
	{ "limit", OPT_LIMIT, required_argument, "KMH",
	  "the speed limit of trucks vehicles.csv gives none" },
	{ "tolerance", OPT_TOLERANCE, required_argument, "PCT",
	  "speeding is more than PCT % over the limit (default: 10)" },
	{ "min-duration", OPT_MIN_DURATION, required_argument, "DURATION",
	  "shortest speeding episode (default: 30s)" },
	{ "min-off-route", OPT_MIN_OFF_ROUTE, required_argument, "DURATION",
	  "shortest off-route episode (default: 60s) ..." },
	{ "min-off-distance", OPT_MIN_OFF_DISTANCE, required_argument, "METRES",
	  "... unless it went this far (default: 200)" },
	{ "max-gap", OPT_MAX_GAP, required_argument, "DURATION",
	  "a longer time without a fix over 500 m is a gap (default: 300s)" },
	{ "max-implied-kmh", OPT_MAX_IMPLIED, required_argument, "KMH",
	  "drop fixes that imply a faster jump (default: 150)" },
	{ "china-only", OPT_CHINA_ONLY, no_argument, NULL,
	  "drop fixes outside China" },
	{ "at", OPT_AT, required_argument, "TIME",
	  "now, for dropping fixes from the future (default: now)" },
	{ "map", OPT_MAP, required_argument, "SRC=DST",
	  "read column SRC as field DST (repeatable)" },
	{ "date-format", OPT_DATE_FORMAT, required_argument, "FMT",
	  "strptime format of the fixes' times" },
	{ "rejects", OPT_REJECTS, required_argument, "FILE",
	  "write bad rows, with their reason, to FILE (CSV)" },
	{ "keep-going", 'k', no_argument, NULL,
	  "audit the good fixes of a file that has bad ones" },
	{ "memory", OPT_MEMORY, required_argument, "SIZE",
	  "fixes held in memory before sorting on disk (default: 64M)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct usage usage = {
	"[options] [FILE...]",
	"Audit GPS fixes of muck and concrete trucks: speeding, leaving the approved\n"
	"route, forbidden zones, moving outside permitted hours, signal gaps.  Each\n"
	"episode is stored in violations and printed.  Exits 1 when it found any.\n"
	"With no FILE, or when FILE is -, read standard input.",
};

struct args {
	struct gps_opts o;
	const char *vehicles, *routes, *zones, *at;
	const char **maps;
	size_t nmaps, mapcap;
	int stream;
	int mapping;              /* --show-mapping */
};

static int bad_value(const char *opt, const char *arg, const char *what)
{
	msg_err("--%s '%s': expected %s", opt, arg, what);
	return msg_usage_hint();
}

static int number(const char *opt, const char *arg, double lo, double hi, double *out)
{
	size_t n = strlen(arg);

	if (n && arg[n - 1] == '%')
		n--;
	if (strnum_double(arg, n, out) < 0 || *out < lo || *out > hi) {
		char what[64];
		snprintf(what, sizeof what, "a number from %g to %g", lo, hi);
		return bad_value(opt, arg, what);
	}
	return 0;
}

static int duration(const char *opt, const char *arg, long *out)
{
	long long s;

	if (strnum_seconds(arg, &s) < 0 || s > 86400 * 7)
		return bad_value(opt, arg, "a duration, e.g. 30s, 5m, 1h");
	*out = (long)s;
	return 0;
}

static int memory(const char *arg, size_t *out)
{
	double v;
	size_t n = strlen(arg), mult = 1;

	if (n && (arg[n - 1] == 'M' || arg[n - 1] == 'm'))
		mult = 1u << 20, n--;
	else if (n && (arg[n - 1] == 'G' || arg[n - 1] == 'g'))
		mult = 1u << 30, n--;
	else if (n && (arg[n - 1] == 'K' || arg[n - 1] == 'k'))
		mult = 1u << 10, n--;
	if (strnum_double(arg, n, &v) < 0 || v * (double)mult < (1 << 20) || v * (double)mult > 64e9)
		return bad_value("memory", arg, "a size from 1M to 64G, e.g. 64M");
	*out = (size_t)(v * (double)mult);
	return 0;
}

/* One option of the tool's own; 0, or an exit status. */
static int tool_option(struct args *g, int c)
{
	char p[PLATE_MAX];

	switch (c) {
	case OPT_VEHICLES: g->vehicles = optarg; return 0;
	case OPT_ROUTES: g->routes = optarg; return 0;
	case OPT_ZONES: g->zones = optarg; return 0;
	case OPT_PLATE:
		if (plate_normalise(optarg, strlen(optarg), p))
			return bad_value("plate", optarg, "a Chinese plate, e.g. 豫D12345");
		g->o.plate = optarg;
		return 0;
	case OPT_SUMMARY: g->o.report = AUDIT_SUMMARY; return 0;
	case OPT_SHOW_MAPPING: g->mapping = 1; return 0;
	case OPT_SHOW_FIXES: g->o.report = AUDIT_FIXES; return 0;
	case OPT_STREAM: g->stream = 1; return 0;
	case OPT_LIMIT: return number("limit", optarg, 1, 300, &g->o.p.limit_kmh);
	case OPT_TOLERANCE:
		if (number("tolerance", optarg, 0, 100, &g->o.p.tolerance))
			return EXIT_USAGE;
		g->o.p.tolerance /= 100;
		return 0;
	case OPT_MIN_DURATION: return duration("min-duration", optarg, &g->o.p.min_duration_s);
	case OPT_MIN_OFF_ROUTE: return duration("min-off-route", optarg, &g->o.p.min_off_route_s);
	case OPT_MIN_OFF_DISTANCE:
		if (strnum_metres(optarg, &g->o.p.min_off_m) < 0 || g->o.p.min_off_m > 1e6)
			return bad_value("min-off-distance", optarg, "metres, e.g. 200 or 1km");
		return 0;
	case OPT_MAX_GAP: return duration("max-gap", optarg, &g->o.p.max_gap_s);
	case OPT_MAX_IMPLIED: return number("max-implied-kmh", optarg, 1, 2000, &g->o.p.max_implied_kmh);
	case OPT_CHINA_ONLY: g->o.china_only = 1; return 0;
	case OPT_AT: g->at = optarg; return 0;
	case OPT_MAP:
		XGROW(g->maps, g->nmaps + 1, g->mapcap);
		g->maps[g->nmaps++] = optarg;
		return 0;
	case OPT_DATE_FORMAT: g->o.date_format = optarg; return 0;
	case OPT_REJECTS: g->o.rejects = optarg; return 0;
	case 'k': g->o.keep_going = 1; return 0;
	case OPT_MEMORY: return memory(optarg, &g->o.memory);
	default: return msg_usage_hint();
	}
}

static void defaults(struct args *g)
{
	memset(g, 0, sizeof *g);
	g->o.p.tolerance = 0.10;
	g->o.p.min_duration_s = 30;
	g->o.p.min_off_route_s = 60;
	g->o.p.min_off_m = 200;
	g->o.p.max_gap_s = 300;
	g->o.p.gap_m = 500;
	g->o.p.max_implied_kmh = 150;
	g->o.p.limit_kmh = NAN;
	g->o.p.moving_kmh = 5;
	g->o.memory = 64u << 20;
}

/* routes, zones and vehicles: 0 or an exit status */
/* The configuration files, once no output is found to be one of the files
 * read (--rejects f.csv f.csv).  0 or an exit code. */
static int load_config(const struct args *g, const struct opt_common *co, int argc,
		       char **argv, struct gps_shapes *routes, struct gps_shapes *zones,
		       struct gps_fleet *fleet)
{
	char b1[4096], b2[4096], b3[4096];
	const char *rp = config_path(g->routes, "routes.geojson", b1, sizeof b1);
	const char *zp = config_path(g->zones, "zones.geojson", b2, sizeof b2);
	const char *vp = config_path(g->vehicles, "vehicles.csv", b3, sizeof b3);
	struct paths pa = PATHS_INIT;
	int st;

	paths_operands(&pa, argc, argv, optind);
	paths_input(&pa, "--routes", rp);
	paths_input(&pa, "--zones", zp);
	paths_input(&pa, "--vehicles", vp);
	paths_output(&pa, "--rejects", g->o.rejects);
	st = opt_check_paths(co, &pa);
	paths_free(&pa);
	if (st != 0)
		return st;
	if (rp && (st = shapes_load(routes, rp, SHAPES_ROUTES)) != 0)
		return st;
	if (zp && (st = shapes_load(zones, zp, SHAPES_ZONES)) != 0)
		return st;
	if (vp && (st = fleet_load(fleet, vp, routes)) != 0)
		return st;
	return 0;
}

static int run(struct args *g, struct opt_common *co, int argc, char **argv,
	       struct gps_fleet *fleet, struct gps_shapes *routes, struct gps_shapes *zones)
{
	struct db *db = NULL;
	struct gps_audit *a = NULL;
	struct out *o = NULL;
	int st, r, zone = 480;

	if (!g->stream) {
		if ((st = opt_open_store(co, &db)) != 0)
			return st;
		zone = db_zone_min(db);
	}
	if ((st = opt_parse_at(g->at, zone, &g->o.now)) != 0)
		goto out;
	if (!(a = audit_new(&g->o, fleet, routes, zones, zone, &st)))
		goto out;
	if (g->stream) {
		struct zout *z = zout_open_output(co->output, &st);
		if (!z)
			goto out;
		o = out_open(z, opt_out_format(co), OUT_F_NOHEADER | (co->bom ? OUT_F_BOM : 0));
		st = audit_stream(a, optind < argc ? argv[optind] : "-", o);
		goto out;
	}
	for (int i = optind; i < argc || i == optind; i++) {
		r = audit_read(a, i < argc ? argv[i] : "-");
		if (r && (!st || st == EXIT_DATA_ERR))
			st = r;
		if (r && r != EXIT_DATA_ERR)
			goto out;
	}
	if (st == EXIT_DATA_ERR && !g->o.keep_going) {
		msg_err("nothing audited: the input has bad rows (--keep-going audits the good ones)");
		goto out;
	}
	if (!(o = opt_open_out(co, &r))) {
		st = r;
		goto out;
	}
	r = audit_finish(a, db, o);
	st = st ? st : r;
out:
	/* an I/O error outranks "found something" */
	if (o && (r = out_close(o)) != 0 && st <= EXIT_FOUND)
		st = r;
	if ((r = audit_free(a)) != 0 && st <= EXIT_FOUND)
		st = r;
	db_close(db);
	return st;
}

int main(int argc, char **argv)
{
	struct opt_common co;
	struct opt_parser p;
	struct args g;
	struct gps_fleet fleet;
	struct gps_shapes routes = { 0 }, zones = { 0 };
	int c, st = 0;

	prog_init(argv[0]);
	schemas_register();
	opt_common_init(&co);
	defaults(&g);
	fleet_init(&fleet);
	opt_parser_init(&p, tool_opts);
	while ((c = opt_next(&p, &co, argc, argv, tool_opts, &usage)) != -1) {
		if (c == OPT_EXIT) {
			st = co.exit_status;
			goto out;
		}
		if ((st = tool_option(&g, c)) != 0)
			goto out;
	}
	if (g.stream && (g.o.report == AUDIT_SUMMARY || optind + 1 < argc)) {
		msg_err(g.o.report == AUDIT_SUMMARY ? "--stream prints episodes, not --summary"
						    : "--stream reads one input");
		st = msg_usage_hint();
		goto out;
	}
	if (rec_check_maps(g.maps, g.nmaps, audit_fields, audit_nfields) < 0) {
		st = msg_usage_hint();
		goto out;
	}
	if (g.mapping) {
		st = opt_show_mapping(&co, argc, argv, audit_fields, audit_nfields, g.maps,
				      g.nmaps, g.o.date_format);
		goto out;
	}
	g.o.maps = g.maps;
	g.o.nmaps = g.nmaps;
	g.o.fmt = (enum rec_fmt)co.input_format;
	g.o.enc = co.encoding;
	g.o.dry_run = co.dry_run;
	g.o.source = optind < argc ? argv[optind] : "-";
	if ((st = load_config(&g, &co, argc, argv, &routes, &zones, &fleet)) != 0)
		goto out;
	st = run(&g, &co, argc, argv, &fleet, &routes, &zones);
out:
	fleet_free(&fleet);
	shapes_free(&routes);
	shapes_free(&zones);
	free(g.maps);
	opt_parser_free(&p);
	return st;
}
