/*
 * fixes.c - reading fixes: CSV, TSV, JSON, JSON Lines through rec, GeoLife
 * .plt tracks, and --stream's plate-grouped lines (see audit.h).
 */
#include "common.h"

#include <math.h>
#include <strings.h>

#include "csvio.h"
#include "gps/lines.h"
#include "encoding.h"
#include "msg.h"
#include "gps/plate.h"
#include "gps/run.h"
#include "strnum.h"

#define MAX_MESSAGES 50

const struct rec_field audit_fields[NFIX_FIELDS] = {
	[F_PLATE] = { "plate", "车牌号|车牌|车牌号码|号牌号码|号牌|vehicle|vehicle_id|车辆", 0 },
	[F_AT] = { "at", "定位时间|GPS时间|时间|gps_time|time|timestamp|datetime|tracked_at|采集时间|回传时间", REC_F_TIME },
	[F_LAT] = { "lat", "纬度|latitude", 0 },
	[F_LON] = { "lon", "经度|longitude|lng|long", 0 },
	[F_SPEED] = { "speed_kmh", "速度|车速|GPS速度|speed", 0 },
	[F_HEADING] = { "heading", "方向|航向|course|direction|bearing", 0 },
};
const size_t audit_nfields = NFIX_FIELDS;

static int shown(size_t n)
{
	return (int)(n > 40 ? 40 : n);
}

/* ---- plates ------------------------------------------------------------ */

/* The vehicle of a plate as written; -1 with a->why set. */
static int vehicle_of(struct gps_audit *a, const char *s, size_t n)
{
	char plate[PLATE_MAX];
	const char *why;
	int vid;

	if (n == a->last_len && n && memcmp(s, a->last_raw, n) == 0)
		return a->last_vid;
	vid = strmap_get(&a->raw, s, n);
	if (vid < 0) {
		if ((why = plate_normalise(s, n, plate)) != NULL) {
			snprintf(a->why, sizeof a->why, "plate '%.*s': %s", shown(n), s, why);
			return -1;
		}
		vid = fleet_find(a->fleet, plate);
		if (vid < 0)
			vid = fleet_add(a->fleet, plate);
		strmap_add(&a->raw, s, n, vid);
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
		struct timeparse_opts o = { NULL, zone };
		int64_t b;
		if (timeparse_parse(s, 10, &o, &b, NULL) < 0)
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
	struct timeparse_opts o = { a->o->date_format, zone };
	const char *why = NULL;

	if (!a->detected && fast_time(a, s, n, zone, t) == 0)
		return 0;
	if (timeparse_read(s, n, &o, a->detected, t, &why) == 0)
		return 0;
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
	if (strnum_double(s, n, out) < 0) {
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
	    (strnum_double(v[F_SPEED], len[F_SPEED], &sp) < 0 || sp < 0 || sp > 400)) {
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

/* ---- headers ----------------------------------------------------------- */

/* Map the header's columns to fields as rec maps a CSV file's; a status
 * after a message (64 a --map of no column, 65 a needed column missing). */
static int map_header(struct gps_audit *a, const struct lrec *h, int *col, struct buf *hdr,
		      const char *name)
{
	int have[NFIX_FIELDS] = { 0 }, st;

	for (size_t i = 0; i < h->n; i++) {
		if (i)
			buf_addc(hdr, ',');
		csvio_quote(hdr, h->f[i], h->len[i]);
	}
	for (size_t i = 0; i < LINES_MAX_FIELDS; i++)
		col[i] = -1;
	if ((st = rec_map_header(a->names, name, h->line, h->f, h->len, h->n, col)) != 0)
		return st;
	for (size_t i = 0; i < h->n; i++)
		if (col[i] >= 0)
			have[col[i]] = 1;
	for (int f = a->o->plate ? F_AT : F_PLATE; f <= F_LON; f++)
		if (!have[f]) {
			msg_errat(name, h->line, "no '%s' column (header: %s)", audit_fields[f].name,
				  buf_str(hdr));
			return EXIT_DATA_ERR;
		}
	return 0;
}

static void fields_of(const struct lrec *r, const int *col, const char **v, size_t *len)
{
	for (int f = 0; f < NFIX_FIELDS; f++) {
		v[f] = NULL;
		len[f] = 0;
	}
	for (size_t i = 0; i < r->n; i++)
		if (col[i] >= 0) {
			v[col[i]] = r->f[i];
			len[col[i]] = r->len[i];
		}
}

/* ---- delimited text and GeoLife .plt ----------------------------------- */

static int name_ends(const char *path, const char *ext)
{
	size_t n = strlen(path), k = strlen(ext);
	if (n > 3 && strcmp(path + n - 3, ".gz") == 0)
		n -= 3;
	return n > k && strncasecmp(path + n - k, ext, k) == 0;
}

static void reject(struct gps_audit *a, struct lines *l, const struct buf *hdr, long line)
{
	struct buf raw = BUF_INIT;

	fixes_bad(a, lines_name(l), line);
	if (a->o->rejects) {
		lines_raw(l, &raw);
		rejects_add(a->rj, hdr->len ? hdr->s : "lat,lon,zero,altitude,days,date,time",
			    buf_str(&raw), raw.len, lines_name(l), line, a->why);
	}
	buf_free(&raw);
}

/* A .plt point: lat, lon, 0, altitude, days, date, time (UTC). */
static int plt_take(struct gps_audit *a, const struct lrec *r)
{
	const char *v[NFIX_FIELDS] = { 0 };
	size_t len[NFIX_FIELDS] = { 0 };
	char at[64];

	if (r->count != 7) {
		snprintf(a->why, sizeof a->why, "expected 7 fields, found %zu", r->count);
		return -1;
	}
	len[F_AT] = (size_t)snprintf(at, sizeof at, "%.*s %.*s", shown(r->len[5]), r->f[5],
				     shown(r->len[6]), r->f[6]);
	v[F_AT] = at;
	v[F_LAT] = r->f[0];
	len[F_LAT] = r->len[0];
	v[F_LON] = r->f[1];
	len[F_LON] = r->len[1];
	return fixes_take(a, v, len, 0);
}

static int read_lines(struct gps_audit *a, const char *path, char delim, int plt)
{
	struct lines *l = lines_open(path, a->o->enc, delim, &a->status);
	struct buf hdr = BUF_INIT;
	struct lrec *r;
	int col[LINES_MAX_FIELDS], rc, st = 0;
	size_t ncols = 0;
	long bad0 = a->bad;

	if (!l)
		return a->status;
	while ((rc = lines_next(l, &r)) > 0) {
		const char *v[NFIX_FIELDS];
		size_t len[NFIX_FIELDS];
		int k;
		if (plt) {
			if (r->line <= 6)
				continue; /* the header of a GeoLife track */
			k = plt_take(a, r);
		} else if (!ncols) {
			if ((st = map_header(a, r, col, &hdr, lines_name(l))) != 0)
				break;
			ncols = r->count;
			continue;
		} else if (r->count != ncols) {
			snprintf(a->why, sizeof a->why, "expected %zu fields, found %zu", ncols, r->count);
			k = -1;
		} else {
			fields_of(r, col, v, len);
			k = fixes_take(a, v, len, a->zone_min);
		}
		if (k == -2) {
			st = EXIT_IO_ERR;
			break;
		}
		if (k < 0)
			reject(a, l, &hdr, r->line);
	}
	if (rc < 0)
		st = lines_status(l);
	lines_close(l);
	buf_free(&hdr);
	if (!st && a->bad > bad0)
		st = EXIT_DATA_ERR;
	return st;
}

/* ---- JSON, through rec ------------------------------------------------- */

static int read_rec(struct gps_audit *a, const char *path)
{
	struct rec_opts ro = { a->o->fmt, a->o->enc, a->o->maps, a->o->nmaps, a->o->date_format,
			       REC_O_MAP_HINT };
	struct rec_src *s;
	struct rec r;
	int rc, st = 0;
	long bad0 = a->bad;

	if (!(s = rec_open(path, audit_fields, NFIX_FIELDS, &ro, &st)))
		return st;
	free(a->detected);
	a->detected = rec_date_format(s, F_AT) ? xstrdup(rec_date_format(s, F_AT)) : NULL;
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

/*
 * The form of the file's times, when no automatic one reads them (day or
 * month first): found as every importer finds it, by rec reading the first
 * rows ahead, so that the file is read as --show-mapping says.  A file only
 * (standard input cannot be read twice; from stdin rec reads it all).  0, or
 * rec_open()'s status after its message (66 cannot open, 64 a --map of no
 * column, 65 a column that two forms read differently).
 */
static int detect_dates(struct gps_audit *a, const char *path, enum rec_fmt f)
{
	/* the header's messages come when read_lines() maps it */
	struct rec_opts ro = { f, a->o->enc, a->o->maps, a->o->nmaps, NULL, REC_O_QUIET_COLUMNS };
	struct rec_src *s;
	const char *fmt;
	int st = 0;

	free(a->detected);
	a->detected = NULL;
	if (a->o->date_format || !path || strcmp(path, "-") == 0)
		return 0;
	if (!(s = rec_open(path, audit_fields, NFIX_FIELDS, &ro, &st)))
		return st; /* said: cannot open, a bad --map, an ambiguous form */
	if ((fmt = rec_date_format(s, F_AT)) != NULL)
		a->detected = xstrdup(fmt);
	rec_close(s);
	return 0;
}

int audit_read(struct gps_audit *a, const char *path)
{
	enum rec_fmt f = a->o->fmt;
	int st;

	if (name_ends(path, ".plt"))
		return read_lines(a, path, ',', 1);
	if (f == REC_AUTO)
		f = name_ends(path, ".csv") ? REC_CSV : name_ends(path, ".tsv") ? REC_TSV : REC_AUTO;
	if (f == REC_CSV || f == REC_TSV) {
		if ((st = detect_dates(a, path, f)) != 0)
			return st;
		return read_lines(a, path, f == REC_TSV ? '\t' : ',', 0);
	}
	return read_rec(a, path);
}

/* ---- --stream ---------------------------------------------------------- */

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

/* The vehicle a record is for (its plate, else --plate); -1 when none. */
static int record_vehicle(struct gps_audit *a, const char *const *v, const size_t *len)
{
	if (v[F_PLATE] && len[F_PLATE])
		return vehicle_of(a, v[F_PLATE], len[F_PLATE]);
	return a->o->plate ? vehicle_of(a, a->o->plate, strlen(a->o->plate)) : -1;
}

int audit_stream(struct gps_audit *a, const char *path, struct out *o)
{
	struct lines *l = lines_open(path, a->o->enc, a->o->fmt == REC_TSV ? '\t' : ',',
				     &a->status);
	struct buf hdr = BUF_INIT;
	int col[LINES_MAX_FIELDS], first = 1, group = -1, st = 0, rc = 0;
	struct lrec *r;

	if (!l)
		return a->status;
	a->out = o;
	audit_columns(a, o);
	for (int i = 0; i < LINES_MAX_FIELDS; i++)
		col[i] = i < NFIX_FIELDS ? i : -1;
	while (!st && (rc = lines_next(l, &r)) > 0) {
		const char *v[NFIX_FIELDS];
		size_t len[NFIX_FIELDS];
		int k, vid;
		if (r->n && rec_field_named(a->names, r->f[0], r->len[0]) >= 0) {
			if (first)
				st = map_header(a, r, col, &hdr, lines_name(l));
			first = 0;
			continue; /* a header; again when parts were joined */
		}
		first = 0;
		fields_of(r, col, v, len);
		vid = record_vehicle(a, v, len);
		if (vid >= 0 && vid != group) {
			if (audit_vres(a, (size_t)vid)->done) {
				msg_errat(lines_name(l), r->line, "the fixes of '%s' are not grouped by plate",
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
			fixes_bad(a, lines_name(l), r->line);
	}
	if (!st && rc < 0)
		st = lines_status(l);
	if (!st)
		st = end_group(a, group);
	lines_close(l);
	buf_free(&hdr);
	if (!st)
		audit_counts(a);
	if (!st && a->bad)
		st = EXIT_DATA_ERR;
	return st;
}
