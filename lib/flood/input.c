/*
 * input.c - readings from CSV/TSV/JSON/JSONL and USGS RDB (see input.h).
 */
#include "common.h"

#include <math.h>
#include <sys/types.h>

#include "buf.h"
#include "encoding.h"
#include "flood/input.h"
#include "msg.h"
#include "rec.h"
#include "rejects.h"
#include "strnum.h"
#include "text.h"
#include "timeparse.h"

enum { F_STATION, F_AT, F_LEVEL, F_QUALITY, NFIELDS };

const struct rec_field flood_in_fields[NFIELDS] = {
	[F_STATION] = { "station", "站点|站点编号|站号|站点代码|测站|station_id|site_no|site", 0 },
	[F_AT] = { "at", "时间|监测时间|采集时间|观测时间|datetime|date|time|timestamp", REC_F_REQUIRED | REC_F_TIME },
	[F_LEVEL] = { "level_cm", "积水深度|积水|水深|水位|水位cm|level|depth_cm|water_level_cm", REC_F_REQUIRED },
	[F_QUALITY] = { "quality", "质量|标记|数据质量|qualifier|flag", 0 },
};
const size_t flood_in_nfields = NFIELDS;

#define RDB_MAXCOLS 256

struct flood_in {
	struct flood_in_opts o;
	struct timeparse_opts tpo;
	struct rec_opts ro;         /* the rec source keeps a pointer to it */
	struct rec_src *rec;
	char *name;
	int status;
	long long skipped;
	/* RDB */
	struct encoding_in *tin;
	struct buf chunk;           /* bytes read, not yet split */
	size_t pos;
	int eof;
	long line;
	struct buf cur;             /* the current line */
	struct buf header;          /* as CSV, for --rejects */
	const char *col[RDB_MAXCOLS];
	size_t coln[RDB_MAXCOLS];
	size_t ncol;
	int c_site, c_dt, c_tz, c_tm, c_val, c_cd;
	double scale;
	char qbuf[160];
};

static int parse_at(struct flood_in *in, const char *s, size_t n, int zone_min,
		    struct flood_reading *r)
{
	const char *why = "unrecognised time";
	struct timeparse_opts o = in->tpo;

	const char *detected = in->rec ? rec_date_format(in->rec, F_AT) : NULL;

	text_trim(&s, &n);
	if (!in->o.date_format && !detected &&
	    timeparse_canonical(s, n, zone_min, &r->t) == 0) {
		if (zone_min == in->o.zone_min) {
			memcpy(r->at, s, 19);
			r->at[19] = '\0';
			return 0;
		}
	} else {
		o.zone_min = zone_min;
		if (timeparse_read(s, n, &o, detected, &r->t, &why) < 0) {
			r->reason = why ? why : "unrecognised time";
			return -1;
		}
	}
	timeparse_format(r->t, in->o.zone_min, r->at);
	return 0;
}

/* ---- CSV, TSV, JSON, JSONL ------------------------------------------------ */

static int rec_reading(struct flood_in *in, struct flood_reading *r)
{
	struct rec rr;
	int rc = rec_next(in->rec, &rr);
	const char *v;
	size_t n;

	if (rc <= 0) {
		if (rc < 0)
			in->status = rec_status(in->rec);
		return rc;
	}
	memset(r, 0, sizeof *r);
	r->line = rr.line;
	if (rc == 2) {
		r->reason = rr.reason;
		return 2;
	}
	if (in->o.station) {
		r->station = in->o.station;
		r->station_len = strlen(in->o.station);
	} else {
		r->station = rr.v[F_STATION];
		r->station_len = rr.len[F_STATION];
		if (r->station)
			text_trim(&r->station, &r->station_len);
		if (!r->station || !r->station_len) {
			r->reason = "missing station";
			return 2;
		}
	}
	if (!rr.v[F_AT]) {
		r->reason = "missing time";
		return 2;
	}
	if (parse_at(in, rr.v[F_AT], rr.len[F_AT], in->o.zone_min, r) < 0) {
		snprintf(in->qbuf, sizeof in->qbuf, "time '%.*s': %s",
			 (int)(rr.len[F_AT] > 30 ? 30 : rr.len[F_AT]), rr.v[F_AT], r->reason);
		r->reason = in->qbuf;
		return 2;
	}
	v = rr.v[F_LEVEL];
	n = rr.len[F_LEVEL];
	if (v)
		text_trim(&v, &n);
	if (!v || !n) {
		r->reason = "missing level_cm";
		return 2;
	}
	if (strnum_double(v, n, &r->cm) < 0) {
		snprintf(in->qbuf, sizeof in->qbuf, "level_cm '%.*s': not a number",
			 (int)(n > 30 ? 30 : n), v);
		r->reason = in->qbuf;
		return 2;
	}
	r->quality = rr.v[F_QUALITY];
	r->quality_len = rr.len[F_QUALITY];
	if (r->quality)
		text_trim(&r->quality, &r->quality_len);
	if (r->quality && !r->quality_len)
		r->quality = NULL;
	return 1;
}

/* ---- USGS RDB ------------------------------------------------------------- */

/* the next line into in->cur, without its line end; 0 at the end, -1 error */
static int rdb_line(struct flood_in *in)
{
	char tmp[65536];

	buf_reset(&in->cur);
	for (;;) {
		size_t left = in->chunk.len - in->pos;
		const char *p = left ? in->chunk.s + in->pos : NULL;
		const char *nl = p ? memchr(p, '\n', left) : NULL;
		ssize_t n;

		if (nl || (in->eof && left)) {
			size_t k = nl ? (size_t)(nl - p) : left;
			buf_add(&in->cur, p, k);
			in->pos += k + (nl != NULL);
			if (in->cur.len && in->cur.s[in->cur.len - 1] == '\r')
				in->cur.s[--in->cur.len] = '\0';
			in->line++;
			return 1;
		}
		if (in->eof)
			return 0;
		if (in->pos) {
			if (left)
				memmove(in->chunk.s, p, left);
			in->chunk.len = left;
			in->pos = 0;
		}
		n = encoding_read(in->tin, tmp, sizeof tmp);
		if (n < 0) {
			msg_errat(in->name, encoding_error_line(in->tin), "%s",
				  encoding_error(in->tin));
			in->status = EXIT_DATA_ERR;
			return -1;
		}
		if (n == 0)
			in->eof = 1;
		buf_add(&in->chunk, tmp, (size_t)n);
	}
}

static size_t rdb_split(const char *p, size_t len, const char **f, size_t *fn,
			size_t max)
{
	const char *e = p + len;
	size_t k = 0;

	while (k < max) {
		const char *t = memchr(p, '\t', (size_t)(e - p));
		f[k] = p;
		fn[k] = t ? (size_t)(t - p) : (size_t)(e - p);
		k++;
		if (!t)
			break;
		p = t + 1;
	}
	return k;
}

static int col_is(const struct flood_in *in, size_t i, const char *name)
{
	return in->coln[i] == strlen(name) && !memcmp(in->col[i], name, in->coln[i]);
}

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !memcmp(s + n - k, suf, k);
}

static const char *const feet_params[] = { "00065", "62614", "62615", "72019",
					   "gage_ht", "ag_gage_ht", NULL };

/* the value column for the parameter: "00065" matches "163510_00065" and
 * "12_00065_00003" (daily values) but not their "_cd" columns */
static int rdb_value_col(struct flood_in *in, const char *param)
{
	char mid[64];

	snprintf(mid, sizeof mid, "_%s", param);
	for (size_t i = 0; i < in->ncol; i++) {
		const char *c = in->col[i];
		size_t n = in->coln[i];
		if (ends_with(c, n, "_cd"))
			continue;
		if (col_is(in, i, param) || ends_with(c, n, mid))
			return (int)i;
		if (n > strlen(mid) + 6 && !memcmp(c + n - strlen(mid) - 6, mid, strlen(mid)) &&
		    c[n - 6] == '_')
			return (int)i;
	}
	return -1;
}

static int rdb_columns(struct flood_in *in, const char *param)
{
	in->c_site = in->c_dt = in->c_tz = in->c_tm = in->c_val = in->c_cd = -1;
	for (size_t i = 0; i < in->ncol; i++) {
		if (col_is(in, i, "site_no"))
			in->c_site = (int)i;
		else if (col_is(in, i, "datetime") || col_is(in, i, "peak_dt"))
			in->c_dt = (int)i;
		else if (col_is(in, i, "tz_cd"))
			in->c_tz = (int)i;
		else if (col_is(in, i, "peak_tm"))
			in->c_tm = (int)i;
	}
	if (!param)
		param = rdb_value_col(in, "00065") >= 0 ? "00065" : "gage_ht";
	in->c_val = rdb_value_col(in, param);
	if (in->c_dt < 0 || in->c_val < 0 || (in->c_site < 0 && !in->o.station)) {
		msg_errat(in->name, in->line, "broken RDB header: no '%s' column",
			  in->c_dt < 0 ? "datetime" : in->c_val < 0 ? param : "site_no");
		return -1;
	}
	in->scale = 1;
	for (int i = 0; feet_params[i]; i++)
		if (!strcmp(param, feet_params[i]))
			in->scale = 30.48;
	if (in->scale == 1)
		msg_warn("%s: parameter '%s' is not a level in feet: values stored as given",
			 in->name, param);
	for (size_t i = 0; i < in->ncol; i++)
		if (in->coln[i] == in->coln[in->c_val] + 3 &&
		    !memcmp(in->col[i], in->col[in->c_val], in->coln[in->c_val]) &&
		    ends_with(in->col[i], in->coln[i], "_cd"))
			in->c_cd = (int)i;
	return 0;
}

static int rdb_header(struct flood_in *in)
{
	const char *f[RDB_MAXCOLS];
	size_t fn[RDB_MAXCOLS], k;
	int rc;

	while ((rc = rdb_line(in)) > 0 && in->cur.len && in->cur.s[0] == '#')
		;
	if (rc <= 0) {
		if (rc == 0)
			msg_errat(in->name, in->line, "broken RDB header: no header line");
		return -1;
	}
	/* the header: the names live in in->header */
	buf_add(&in->header, in->cur.s, in->cur.len);
	in->ncol = rdb_split(in->header.s, in->header.len, in->col, in->coln, RDB_MAXCOLS);
	if (rdb_columns(in, in->o.parameter) < 0)
		return -1;
	if (rdb_line(in) <= 0) {
		msg_errat(in->name, in->line + 1, "broken RDB header: no format line");
		return -1;
	}
	k = rdb_split(buf_str(&in->cur), in->cur.len, f, fn, RDB_MAXCOLS);
	for (size_t i = 0; i < k; i++) {
		size_t d = 0;
		while (d < fn[i] && f[i][d] >= '0' && f[i][d] <= '9')
			d++;
		if (k != in->ncol || !d || d + 1 != fn[i] || !strchr("sdn", f[i][d])) {
			msg_errat(in->name, in->line, "broken RDB header: expected the format "
				  "line (5s, 15s, 20d ...), found '%.*s'",
				  (int)(fn[i] > 20 ? 20 : fn[i]), f[i]);
			return -1;
		}
	}
	return 0;
}

static int tz_minutes(const char *s, size_t n)
{
	static const struct { const char *z; int m; } zones[] = {
		{ "UTC", 0 }, { "GMT", 0 }, { "Z", 0 }, { "EST", -300 }, { "EDT", -240 },
		{ "CST", -360 }, { "CDT", -300 }, { "MST", -420 }, { "MDT", -360 },
		{ "PST", -480 }, { "PDT", -420 }, { "AKST", -540 }, { "AKDT", -480 },
		{ "HST", -600 }, { "AST", -240 }, { "ADT", -180 }, { "SST", -660 },
		{ "ChST", 600 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(zones); i++)
		if (strlen(zones[i].z) == n && !memcmp(s, zones[i].z, n))
			return zones[i].m;
	return INT32_MIN;
}

static int rdb_time(struct flood_in *in, const char **f, const size_t *fn,
		    struct flood_reading *r)
{
	char tbuf[64];
	int zone = in->o.zone_min;
	size_t n;

	if (in->c_tz >= 0) {
		zone = tz_minutes(f[in->c_tz], fn[in->c_tz]);
		if (zone == INT32_MIN) {
			snprintf(in->qbuf, sizeof in->qbuf, "unknown time zone '%.*s'",
				 (int)(fn[in->c_tz] > 10 ? 10 : fn[in->c_tz]), f[in->c_tz]);
			r->reason = in->qbuf;
			return -1;
		}
	}
	n = (size_t)snprintf(tbuf, sizeof tbuf, "%.*s", (int)(fn[in->c_dt] > 30 ? 30 : fn[in->c_dt]),
			     f[in->c_dt]);
	if (in->c_tm >= 0 && fn[in->c_tm])
		n = (size_t)snprintf(tbuf, sizeof tbuf, "%.*s %.*s", (int)(fn[in->c_dt] > 20 ? 20 : fn[in->c_dt]),
				     f[in->c_dt], (int)(fn[in->c_tm] > 10 ? 10 : fn[in->c_tm]), f[in->c_tm]);
	if (n >= sizeof tbuf)
		n = sizeof tbuf - 1;
	if (parse_at(in, tbuf, n, zone, r) < 0) {
		snprintf(in->qbuf, sizeof in->qbuf, "time '%s': %s", tbuf, r->reason);
		r->reason = in->qbuf;
		return -1;
	}
	return 0;
}

static int rdb_reading(struct flood_in *in, struct flood_reading *r)
{
	const char *f[RDB_MAXCOLS], *v;
	size_t fn[RDB_MAXCOLS], k, vn;
	int rc;

next:
	for (;;) {
		if ((rc = rdb_line(in)) <= 0)
			return rc;
		if (in->cur.len && in->cur.s[0] != '#')
			break;
	}
	memset(r, 0, sizeof *r);
	r->line = in->line;
	k = rdb_split(buf_str(&in->cur), in->cur.len, f, fn, RDB_MAXCOLS);
	if (k != in->ncol) {
		snprintf(in->qbuf, sizeof in->qbuf, "expected %zu fields, found %zu", in->ncol, k);
		r->reason = in->qbuf;
		return 2;
	}
	if (in->o.station) {
		r->station = in->o.station;
		r->station_len = strlen(in->o.station);
	} else {
		r->station = f[in->c_site];
		r->station_len = fn[in->c_site];
	}
	if (rdb_time(in, f, fn, r) < 0)
		return 2;
	v = f[in->c_val];
	vn = fn[in->c_val];
	text_trim(&v, &vn);
	if (!vn || (v[0] >= 'A' && v[0] <= 'z') || v[0] == '*') {
		in->skipped++;   /* no value, or a code in its place */
		goto next;
	}
	if (strnum_double(v, vn, &r->cm) < 0) {
		snprintf(in->qbuf, sizeof in->qbuf, "value '%.*s': not a number",
			 (int)(vn > 20 ? 20 : vn), v);
		r->reason = in->qbuf;
		return 2;
	}
	r->cm *= in->scale;
	if (in->c_cd >= 0 && fn[in->c_cd]) {
		r->quality = f[in->c_cd];
		r->quality_len = fn[in->c_cd];
	}
	return 1;
}

/* ---- the source ----------------------------------------------------------- */

static int is_rdb_name(const char *p)
{
	size_t n = p ? strlen(p) : 0;
	return ends_with(p ? p : "", n, ".rdb") || ends_with(p ? p : "", n, ".rdb.gz");
}

struct flood_in *flood_in_open(const char *path, const struct flood_in_opts *o,
			       int *status)
{
	struct flood_in *in = xcalloc(1, sizeof *in);

	in->o = *o;
	in->tpo.date_format = o->date_format;
	in->tpo.zone_min = o->zone_min;
	*status = 0;
	if (o->rdb || is_rdb_name(path)) {
		in->name = xstrdup(path && strcmp(path, "-") ? path : "-");
		in->tin = encoding_open(path, o->enc);
		if (!in->tin) {
			msg_err("cannot open '%s': %s", in->name, strerror(errno));
			*status = EXIT_NO_INPUT;
			goto fail;
		}
		if (rdb_header(in) < 0) {
			*status = in->status ? in->status : EXIT_DATA_ERR;
			goto fail;
		}
		return in;
	}
	in->ro = (struct rec_opts){ o->fmt, o->enc, o->maps, o->nmaps, o->date_format,
				    REC_O_MAP_HINT };
	in->rec = rec_open(path, flood_in_fields, NFIELDS, &in->ro, status);
	if (!in->rec)
		goto fail;
	in->name = xstrdup(rec_name(in->rec));
	if (rec_format(in->rec) == REC_CSV || rec_format(in->rec) == REC_TSV) {
		struct buf h = BUF_INIT;
		rec_header_csv(in->rec, &h);
		/* at and level_cm are REC_F_REQUIRED: rec_open() said so */
		if (h.len && !o->station && !rec_has(in->rec, F_STATION)) {
			msg_errat(in->name, rec_header_line(in->rec), "no column for 'station' "
				  "(header: %s); name it with --map or give --station", h.s);
			buf_free(&h);
			*status = EXIT_DATA_ERR;
			goto fail;
		}
		buf_free(&h);
	}
	return in;
fail:
	flood_in_close(in);
	return NULL;
}

int flood_in_next(struct flood_in *in, struct flood_reading *r)
{
	return in->rec ? rec_reading(in, r) : rdb_reading(in, r);
}

int flood_in_status(const struct flood_in *in)
{
	return in->status ? in->status : EXIT_DATA_ERR;
}

const char *flood_in_name(const struct flood_in *in)
{
	return in->name;
}

long long flood_in_skipped(const struct flood_in *in)
{
	return in->skipped;
}

/* a tab-separated line as CSV */
static void tabs_to_csv(struct buf *out, const char *s, size_t n)
{
	const char *e = s + n;

	buf_reset(out);
	while (s <= e) {
		const char *t = memchr(s, '\t', (size_t)(e - s));
		size_t k = t ? (size_t)(t - s) : (size_t)(e - s);
		int q = memchr(s, ',', k) || memchr(s, '"', k);
		if (q)
			buf_addc(out, '"');
		for (size_t i = 0; i < k; i++) {
			if (s[i] == '"')
				buf_addc(out, '"');
			buf_addc(out, s[i]);
		}
		if (q)
			buf_addc(out, '"');
		if (!t)
			break;
		buf_addc(out, ',');
		s = t + 1;
	}
}

void flood_in_reject(struct flood_in *in, struct rejects *rj,
		     const struct flood_reading *r)
{
	struct buf h = BUF_INIT, raw = BUF_INIT;

	if (in->rec) {
		rejects_add_rec(rj, in->rec, r->line, r->reason);
		return;
	}
	tabs_to_csv(&h, buf_str(&in->header), in->header.len);
	tabs_to_csv(&raw, buf_str(&in->cur), in->cur.len);
	rejects_add(rj, buf_str(&h), buf_str(&raw), raw.len, in->name, r->line, r->reason);
	buf_free(&h);
	buf_free(&raw);
}

void flood_in_close(struct flood_in *in)
{
	if (!in)
		return;
	if (in->rec)
		rec_close(in->rec);
	if (in->tin)
		encoding_close(in->tin);
	buf_free(&in->chunk);
	buf_free(&in->cur);
	buf_free(&in->header);
	free(in->name);
	free(in);
}
