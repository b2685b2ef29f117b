/*
 * fixes.c - reading fixes: CSV, TSV, JSON, JSON Lines through rec, GeoLife
 * .plt tracks, and --stream's plate-grouped lines (see audit.h).
 */
#include "common.h"

#include <math.h>
#include <strings.h>

#include "csvio.h"
#include "encoding.h"
#include "hash.h"
#include "msg.h"
#include "gps/num.h"
#include "gps/plate.h"
#include "gps/run.h"

#define MAX_MESSAGES 50

const struct rec_field audit_fields[NFIX_FIELDS] = {
	[F_PLATE] = { "plate", "车牌号|车牌|车牌号码|号牌号码|号牌|vehicle|vehicle_id|车辆" },
	[F_AT] = { "at", "定位时间|GPS时间|时间|gps_time|time|timestamp|datetime|tracked_at|采集时间|回传时间" },
	[F_LAT] = { "lat", "纬度|latitude" },
	[F_LON] = { "lon", "经度|longitude|lng|long" },
	[F_SPEED] = { "speed_kmh", "速度|车速|GPS速度|speed" },
	[F_HEADING] = { "heading", "方向|航向|course|direction|bearing" },
};
const size_t audit_nfields = NFIX_FIELDS;

static int shown(size_t n)
{
	return (int)(n > 40 ? 40 : n);
}

/* ---- plates ------------------------------------------------------------ */

static int raw_lookup(struct gps_audit *a, const char *s, size_t n, uint64_t h)
{
	size_t mask = a->nrawslots - 1, i;

	if (!a->nrawslots)
		return -1;
	for (i = h & mask; a->raw[i].len || a->raw[i].h; i = (i + 1) & mask)
		if (a->raw[i].h == h && a->raw[i].len == n &&
		    memcmp(a->rawkeys.s + a->raw[i].off, s, n) == 0)
			return a->raw[i].vid;
	return -1;
}

static void raw_insert(struct gps_audit *a, const char *s, size_t n, uint64_t h, int vid)
{
	size_t i, mask;

	if ((a->nraw + 1) * 2 > a->nrawslots) {
		struct rawslot *old = a->raw;
		size_t on = a->nrawslots;
		a->nrawslots = on ? on * 2 : 256;
		a->raw = xcalloc(a->nrawslots, sizeof *a->raw);
		for (size_t k = 0; k < on; k++)
			if (old[k].len || old[k].h) {
				for (i = old[k].h & (a->nrawslots - 1); a->raw[i].len || a->raw[i].h;
				     i = (i + 1) & (a->nrawslots - 1))
					;
				a->raw[i] = old[k];
			}
		free(old);
	}
	mask = a->nrawslots - 1;
	for (i = h & mask; a->raw[i].len || a->raw[i].h; i = (i + 1) & mask)
		;
	a->raw[i].h = h ? h : 1;
	a->raw[i].off = (uint32_t)a->rawkeys.len;
	a->raw[i].len = (uint32_t)n;
	a->raw[i].vid = vid;
	buf_add(&a->rawkeys, s, n);
	a->nraw++;
}

/* The vehicle of a plate as written; -1 with a->why set. */
static int vehicle_of(struct gps_audit *a, const char *s, size_t n)
{
	char plate[PLATE_MAX];
	const char *why;
	uint64_t h;
	int vid;

	if (n == a->last_len && n && memcmp(s, a->last_raw, n) == 0)
		return a->last_vid;
	h = hash_fnv1a(s, n, 0);
	if (!h)
		h = 1;
	vid = raw_lookup(a, s, n, h);
	if (vid < 0) {
		if ((why = plate_normalise(s, n, plate)) != NULL) {
			snprintf(a->why, sizeof a->why, "plate '%.*s': %s", shown(n), s, why);
			return -1;
		}
		vid = fleet_find(a->fleet, plate);
		if (vid < 0)
			vid = fleet_add(a->fleet, plate);
		raw_insert(a, s, n, h, vid);
	}
	if (n < sizeof a->last_raw) {
		memcpy(a->last_raw, s, n);
		a->last_len = n;
		a->last_vid = vid;
	}
	return vid;
}

/* ---- times ------------------------------------------------------------- */

static int dig2(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "YYYY-MM-DD HH:MM:SS" with the day's start kept from the row before. */
static int fast_time(struct gps_audit *a, const char *s, size_t n, int zone, int64_t *t)
{
	int h, m, sec;

	if (n != 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
	    s[13] != ':' || s[16] != ':' || a->o->date_format)
		return -1;
	if ((h = dig2(s + 11)) < 0 || h > 23 || (m = dig2(s + 14)) < 0 || m > 59 ||
	    (sec = dig2(s + 17)) < 0 || sec > 59)
		return -1;
	if (!a->have_day || a->day_zone != zone || memcmp(a->day, s, 10) != 0) {
		struct tp_opts o = { NULL, zone };
		int64_t b;
		if (tp_parse(s, 10, &o, &b, NULL) < 0)
			return -1;
		memcpy(a->day, s, 10);
		a->day_zone = zone;
		a->day_base = b;
		a->have_day = 1;
	}
	*t = a->day_base + h * 3600 + m * 60 + sec;
	return 0;
}

static int parse_time(struct gps_audit *a, const char *s, size_t n, int zone, int64_t *t)
{
	struct tp_opts o = { a->o->date_format, zone };
	const char *why = NULL;

	if (fast_time(a, s, n, zone, t) == 0)
		return 0;
	if (tp_parse(s, n, &o, t, &why) == 0)
		return 0;
	if (o.date_format) {
		o.date_format = NULL;
		if (tp_parse(s, n, &o, t, NULL) == 0)
			return 0;
	}
	snprintf(a->why, sizeof a->why, "at '%.*s': %s", shown(n), s,
		 why ? why : "unrecognised time");
	return -1;
}

/* ---- a fix ------------------------------------------------------------- */

static int coord(struct gps_audit *a, const char *name, const char *s, size_t n,
		 double lim, double *out)
{
	if (!s || !n) {
		snprintf(a->why, sizeof a->why, "no %s", name);
		return -1;
	}
	if (num_parse(s, n, out) < 0) {
		snprintf(a->why, sizeof a->why, "%s '%.*s' is not a number", name, shown(n), s);
		return -1;
	}
	if (*out < -lim || *out > lim) {
		snprintf(a->why, sizeof a->why, "%s '%.*s' out of range (-%g to %g)", name,
			 shown(n), s, lim, lim);
		return -1;
	}
	return 0;
}

static void drop(struct gps_audit *a, int why)
{
	a->dropped[why]++;
}

/* 1 kept, 0 dropped, -1 a bad row (a->why says why). */
int fixes_take(struct gps_audit *a, const char *const *v, const size_t *len, int zone_min)
{
	struct gps_fix f;
	struct vres *r;
	double lat, lon, sp = NAN;
	int64_t t;
	int vid;

	a->read++;
	if (v[F_PLATE] && len[F_PLATE])
		vid = vehicle_of(a, v[F_PLATE], len[F_PLATE]);
	else if (a->o->plate)
		vid = vehicle_of(a, a->o->plate, strlen(a->o->plate));
	else {
		snprintf(a->why, sizeof a->why, "no plate");
		vid = -1;
	}
	if (vid < 0)
		return -1;
	if (!v[F_AT] || !len[F_AT]) {
		snprintf(a->why, sizeof a->why, "no time");
		return -1;
	}
	if (parse_time(a, v[F_AT], len[F_AT], zone_min, &t) < 0)
		return -1;
	if (t < 0 || t > (int64_t)UINT32_MAX) {
		snprintf(a->why, sizeof a->why, "at '%.*s': before 1970 or after 2105",
			 shown(len[F_AT]), v[F_AT]);
		return -1;
	}
	if (coord(a, "lat", v[F_LAT], len[F_LAT], 90, &lat) < 0 ||
	    coord(a, "lon", v[F_LON], len[F_LON], 180, &lon) < 0)
		return -1;
	if (v[F_SPEED] && len[F_SPEED] &&
	    (num_parse(v[F_SPEED], len[F_SPEED], &sp) < 0 || sp < 0 || sp > 400)) {
		snprintf(a->why, sizeof a->why, "speed_kmh '%.*s' is not a speed from 0 to 400",
			 shown(len[F_SPEED]), v[F_SPEED]);
		return -1;
	}
	if (lat == 0 && lon == 0) {
		drop(a, DROP_ZERO);
		return 0;
	}
	if (a->o->china_only && !geo_in_china(lat, lon)) {
		drop(a, DROP_OUTSIDE);
		return 0;
	}
	if (t > a->o->now + 3600) {
		drop(a, DROP_FUTURE);
		return 0;
	}
	f.lat = (int32_t)lround(lat * 1e7);
	f.lon = (int32_t)lround(lon * 1e7);
	f.t = (uint32_t)t;
	f.speed = isnan(sp) ? NAN : (float)sp;
	r = audit_vres(a, (size_t)vid);
	if (!r->seen) {
		r->box[0] = r->box[2] = f.lat;
		r->box[1] = r->box[3] = f.lon;
		r->seen = 1;
	} else {
		r->box[0] = f.lat < r->box[0] ? f.lat : r->box[0];
		r->box[1] = f.lon < r->box[1] ? f.lon : r->box[1];
		r->box[2] = f.lat > r->box[2] ? f.lat : r->box[2];
		r->box[3] = f.lon > r->box[3] ? f.lon : r->box[3];
	}
	if (fixbuf_add(a->fb, (size_t)vid, &f) < 0)
		return -2;
	return 1;
}

void fixes_bad(struct gps_audit *a, const char *file, long line)
{
	a->bad++;
	a->dropped[DROP_BAD]++;
	if (++a->messages <= MAX_MESSAGES)
		msg_errat(file, line, "%s", a->why);
	else if (a->messages == MAX_MESSAGES + 1)
		msg_err("%s: more bad rows: counted, not shown", file);
}

/* ---- GeoLife .plt ------------------------------------------------------ */

struct textsrc {
	struct textin *t;
	int failed;
};

static ssize_t text_read(void *ctx, char *buf, size_t n)
{
	struct textsrc *s = ctx;
	ssize_t r = textin_read(s->t, buf, n);
	if (r < 0)
		s->failed = 1;
	return r;
}

static int is_plt(const char *path)
{
	size_t n = strlen(path);
	if (n > 3 && strcmp(path + n - 3, ".gz") == 0)
		n -= 3;
	return n > 4 && strncasecmp(path + n - 4, ".plt", 4) == 0;
}

static int read_error(struct textsrc *ts, struct csvr *c, const char *name)
{
	if (ts->failed) {
		long l = textin_error_line(ts->t);
		msg_errat(name, l, "%s", textin_error(ts->t));
		return l > 0 ? EXIT_DATA_ERR : EXIT_IO_ERR;
	}
	msg_errat(name, csvr_error_line(c), "%s", csvr_error(c));
	return EXIT_DATA_ERR;
}

static int read_plt(struct gps_audit *a, const char *path)
{
	struct textsrc ts = { textin_open(path, a->o->enc), 0 };
	struct csvr *c;
	struct csv_rec *rec;
	int rc, st = 0;

	if (!ts.t) {
		msg_err("cannot open '%s': %s", path, strerror(errno));
		return EXIT_NO_INPUT;
	}
	c = csvr_new(text_read, &ts, ',');
	while ((rc = csvr_next(c, &rec)) > 0) {
		char at[64];
		const char *v[NFIX_FIELDS] = { 0 };
		size_t len[NFIX_FIELDS] = { 0 };
		int r;
		if (rec->line <= 6)
			continue; /* the header of a GeoLife track */
		if (rec->n < 7) {
			snprintf(a->why, sizeof a->why, "expected 7 fields, found %zu", rec->n);
			r = -1;
		} else {
			len[F_AT] = (size_t)snprintf(at, sizeof at, "%.*s %.*s", shown(rec->len[5]),
						     rec->f[5], shown(rec->len[6]), rec->f[6]);
			v[F_AT] = at;
			v[F_LAT] = rec->f[0];
			len[F_LAT] = rec->len[0];
			v[F_LON] = rec->f[1];
			len[F_LON] = rec->len[1];
			r = fixes_take(a, v, len, 0);
		}
		if (r == -2) {
			st = EXIT_IO_ERR;
			break;
		}
		if (r < 0)
			fixes_bad(a, path, rec->line);
	}
	if (rc < 0)
		st = read_error(&ts, c, path);
	csvr_free(c);
	textin_close(ts.t);
	return st;
}

/* ---- CSV, TSV, JSON ---------------------------------------------------- */

int audit_read(struct gps_audit *a, const char *path)
{
	struct rec_opts ro = { a->o->fmt, a->o->enc, a->o->maps, a->o->nmaps };
	struct rec_src *s;
	struct rec r;
	int rc, st = 0;
	long bad0 = a->bad;

	if (is_plt(path))
		return read_plt(a, path);
	if (!(s = rec_open(path, audit_fields, NFIX_FIELDS, &ro, &st)))
		return st;
	if (rec_format(s) == REC_CSV || rec_format(s) == REC_TSV) {
		for (int f = a->o->plate ? F_AT : F_PLATE; f <= F_LON; f++)
			if (!rec_has(s, (size_t)f)) {
				struct buf h = BUF_INIT;
				rec_header_csv(s, &h);
				msg_errat(rec_name(s), 1, "no '%s' column (header: %s)",
					  audit_fields[f].name, buf_str(&h));
				buf_free(&h);
				rec_close(s);
				return EXIT_DATA_ERR;
			}
	}
	while ((rc = rec_next(s, &r)) != 0) {
		int k;
		if (rc < 0) {
			st = rec_status(s);
			break;
		}
		if (rc == 2) {
			snprintf(a->why, sizeof a->why, "%s", r.reason);
			k = -1;
		} else {
			k = fixes_take(a, r.v, r.len, a->zone_min);
		}
		if (k == -2) {
			st = EXIT_IO_ERR;
			break;
		}
		if (k < 0) {
			fixes_bad(a, rec_name(s), r.line);
			rejects_add_rec(a->rj, s, r.line, a->why);
		}
	}
	rec_close(s);
	if (!st && a->bad > bad0)
		st = EXIT_DATA_ERR;
	return st;
}

/* ---- --stream ---------------------------------------------------------- */

/* Which field is a header cell?  -1 when none. */
static int header_field(const char *s, size_t n)
{
	char k[64], a[64];
	size_t kn = 0;

	for (size_t i = 0; i < n && kn + 1 < sizeof k; i++)
		if (s[i] != ' ' && s[i] != '_' && s[i] != '-')
			k[kn++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	k[kn] = '\0';
	for (int f = 0; f < NFIX_FIELDS; f++) {
		const char *p = audit_fields[f].aliases;
		snprintf(a, sizeof a, "%s", audit_fields[f].name);
		if (strcmp(a, k) == 0 || (f == F_SPEED && strcmp(k, "speedkmh") == 0))
			return f;
		while (p && *p) {
			const char *bar = strchr(p, '|');
			size_t l = bar ? (size_t)(bar - p) : strlen(p);
			if (l == kn && strncasecmp(p, k, l) == 0)
				return f;
			p = bar ? bar + 1 : NULL;
		}
	}
	return -1;
}

static int end_group(struct gps_audit *a, int vid)
{
	struct vres *r;
	int st;

	if (vid < 0)
		return 0;
	r = audit_vres(a, (size_t)vid);
	r->done = 1;
	if ((st = audit_vehicle(a, (size_t)vid)) != 0)
		return st;
	audit_print_vehicle(a, r);
	free(r->eps);
	r->eps = NULL;
	fixbuf_drop(a->fb, (size_t)vid);
	return 0;
}

int audit_stream(struct gps_audit *a, const char *path, struct out *o)
{
	struct textsrc ts = { textin_open(path, a->o->enc), 0 };
	int col[16], ncol = 0, group = -1, st = 0, rc;
	struct csvr *c;
	struct csv_rec *rec;
	const char *name = path && strcmp(path, "-") ? path : "-";

	if (!ts.t) {
		msg_err("cannot open '%s': %s", name, strerror(errno));
		return EXIT_NO_INPUT;
	}
	a->out = o;
	audit_columns(a, o);
	c = csvr_new(text_read, &ts, a->o->fmt == REC_TSV ? '\t' : ',');
	for (int i = 0; i < 16; i++)
		col[i] = i < NFIX_FIELDS ? i : -1;
	while (!st && (rc = csvr_next(c, &rec)) > 0) {
		const char *v[NFIX_FIELDS] = { 0 };
		size_t len[NFIX_FIELDS] = { 0 };
		int k, vid;
		if (!ncol && (ncol = 1) && rec->n && header_field(rec->f[0], rec->len[0]) >= 0) {
			for (size_t i = 0; i < rec->n && i < 16; i++)
				col[i] = header_field(rec->f[i], rec->len[i]);
			continue;
		}
		if (rec->n && header_field(rec->f[0], rec->len[0]) == F_PLATE)
			continue; /* a header again, from another part */
		for (size_t i = 0; i < rec->n && i < 16; i++)
			if (col[i] >= 0) {
				v[col[i]] = rec->f[i];
				len[col[i]] = rec->len[i];
			}
		vid = v[F_PLATE] && len[F_PLATE] ? vehicle_of(a, v[F_PLATE], len[F_PLATE])
		      : a->o->plate ? vehicle_of(a, a->o->plate, strlen(a->o->plate)) : -1;
		if (vid >= 0 && vid != group) {
			if (audit_vres(a, (size_t)vid)->done) {
				msg_errat(name, rec->line, "the fixes of '%s' are not grouped by plate",
					  a->fleet->v[vid]->plate);
				st = EXIT_DATA_ERR;
				break;
			}
			st = end_group(a, group);
			group = vid;
		}
		k = fixes_take(a, v, len, a->zone_min);
		if (k == -2)
			st = EXIT_IO_ERR;
		else if (k < 0)
			fixes_bad(a, name, rec->line);
	}
	if (!st && rc < 0)
		st = read_error(&ts, c, name);
	if (!st)
		st = end_group(a, group);
	csvr_free(c);
	textin_close(ts.t);
	if (!st)
		audit_counts(a);
	if (!st && a->bad)
		st = EXIT_DATA_ERR;
	return st;
}
