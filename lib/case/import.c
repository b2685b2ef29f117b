#include "common.h"

#include <math.h>
#include <pthread.h>
#include <time.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "csvio.h"
#include "db.h"
#include "case/case.h"
#include "case/import.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "strnum.h"
#include "case/taxonomy.h"
#include "timeparse.h"
#include "zio.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Input fields, in this order; aliases are matched as DESIGN §3 says. */
enum {
	F_ID, F_SOURCE, F_KIND, F_CLASS_CODE, F_BIG_CLASS, F_SMALL_CLASS,
	F_CATEGORY, F_DESCRIPTION, F_ADDRESS, F_DISTRICT, F_STREET, F_COMMUNITY,
	F_GRID, F_LON, F_LAT, F_OBJECT_ID, F_REPORTER, F_REPORTED_AT,
	F_REGISTERED_AT, F_DISPATCHED_AT, F_HANDLED_AT, F_CLOSED_AT, F_DUE_AT,
	F_STATE, F_UNIT, F_SELF_DISPOSED, F_REWORKS, F_POSTPONEMENTS,
	F_TICKET_ID, NFIELDS
};

const struct rec_field import_fields[] = {
	[F_ID] = { "id", "案件编号|案卷编号|工单编号|案件号|案卷号|编号|case_id|unique_key|service_request_id", REC_F_REQUIRED },
	[F_SOURCE] = { "source", "来源|案件来源|问题来源|上报渠道" },
	[F_KIND] = { "kind", "问题类型|案件类型|案卷类型" },
	[F_CLASS_CODE] = { "class_code", "小类编码|类别编码|分类编码|问题编码" },
	[F_BIG_CLASS] = { "big_class", "大类|问题大类|大类名称|案件大类" },
	[F_SMALL_CLASS] = { "small_class", "小类|问题小类|小类名称|案件小类" },
	[F_CATEGORY] = { "category", "类别|案件类别|问题类别" },
	[F_DESCRIPTION] = { "description", "问题描述|诉求内容|案件描述|描述|内容" },
	[F_ADDRESS] = { "address", "问题地址|事发地址|案件地址|地址|位置描述|incident_address" },
	[F_DISTRICT] = { "district", "区县|所属区县|区域|borough" },
	[F_STREET] = { "street", "街道|所属街道|乡镇|街道办事处|街乡" },
	[F_COMMUNITY] = { "community", "社区|所属社区|居委会|村社区" },
	[F_GRID] = { "grid", "网格|单元网格|网格编码|网格号" },
	[F_LON] = { "lon", "经度|longitude|lng|x坐标" },
	[F_LAT] = { "lat", "纬度|latitude|y坐标" },
	[F_OBJECT_ID] = { "object_id", "部件编号|部件标识|部件标识码|对象编号" },
	[F_REPORTER] = { "reporter", "上报人|监督员|采集员|信息采集员|上报人员" },
	[F_REPORTED_AT] = { "reported_at", "上报时间|发现时间|受理时间|created_date|created_at|创建时间", REC_F_REQUIRED | REC_F_TIME },
	[F_REGISTERED_AT] = { "registered_at", "立案时间", REC_F_TIME },
	[F_DISPATCHED_AT] = { "dispatched_at", "派遣时间|派单时间", REC_F_TIME },
	[F_HANDLED_AT] = { "handled_at", "处置时间|处理时间|处置完成时间|反馈时间", REC_F_TIME },
	[F_CLOSED_AT] = { "closed_at", "结案时间|closed_date|关闭时间", REC_F_TIME },
	[F_DUE_AT] = { "due_at", "处置时限|办理时限|截止时间|应结案时间|due_date|deadline", REC_F_TIME },
	[F_STATE] = { "state", "status|案件状态|办理状态|状态|案卷状态" },
	[F_UNIT] = { "unit", "处置单位|责任单位|承办单位|权属单位|处置部门" },
	[F_SELF_DISPOSED] = { "self_disposed", "自行处置|简易处置|是否自行处置" },
	[F_REWORKS] = { "reworks", "返工次数" },
	[F_POSTPONEMENTS] = { "postponements", "延期次数" },
	[F_TICKET_ID] = { "ticket_id", "12345工单号|热线工单号|热线编号" },
};
const size_t import_nfields = NFIELDS;

/* Text columns of a normalised row. */
enum {
	T_ID, T_SOURCE, T_KIND, T_CLASS_CODE, T_BIG_CLASS, T_SMALL_CLASS,
	T_DESCRIPTION, T_ADDRESS, T_DISTRICT, T_STREET, T_COMMUNITY, T_GRID,
	T_OBJECT_ID, T_REPORTER, T_REPORTED_AT, T_REGISTERED_AT,
	T_DISPATCHED_AT, T_HANDLED_AT, T_CLOSED_AT, T_DUE_AT, T_STATE, T_UNIT,
	T_TICKET_ID, T_CATEGORY, T_REASON, T_RAW, NTEXT
};
#define NOVAL UINT32_MAX

enum state {
	ST_REPORTED, ST_REGISTERED, ST_DISPATCHED, ST_HANDLING, ST_HANDLED,
	ST_CLOSED, ST_PARKED, ST_VOID, NSTATES
};
static const char *const state_names[NSTATES] = {
	"reported", "registered", "dispatched", "handling", "handled",
	"closed", "parked", "void",
};

struct nrow {
	long line;
	int bad;
	int warn_order;
	int has_xy;
	int self_disposed, reworks, postponements;
	double lon, lat;
	int64_t t_reported;
	uint32_t off[NTEXT], len[NTEXT];
};

#define BLOCK_ROWS 1024
#define BLOCK_BYTES (1u << 20)
#define NBLOCKS 4

struct block {
	struct nrow row[BLOCK_ROWS];
	size_t n;
	struct buf data;
	int end;
	int status;
};

struct import_run {
	struct db *db;
	const struct import_opts *o;
	struct timeparse_opts tpo;
	int64_t now;
	char now_text[TIMEPARSE_TEXT_LEN];
	FILE *tmp;                /* printed records wait here for the commit */
	int tmp_failed;
	int landed, failed_files;
	struct zout *rejz;
	struct buf rej_header;    /* header written last to the rejects file */
	int status;
	/* per file */
	struct rec_src *src;
	int has_state_col;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct block *blocks[NBLOCKS];
	int full[NBLOCKS];        /* block i holds rows for the writer */
	size_t prod_i, cons_i;
	_Atomic int cancel;       /* set by the writer, read by the reader */
	int bulk;                 /* loading into empty tables */
};

static double elapsed(struct timespec t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

/* ---- normalising (the reader thread) ---------------------------------- */

static void trim(const char **s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t len = *n;

	for (;;) {
		if (len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
			p++;
			len--;
		} else if (len >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 3;
			len -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (len && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
			    p[len - 1] == '\r' || p[len - 1] == '\n')) {
			len--;
		} else if (len >= 3 && p[len - 3] == 0xE3 && p[len - 2] == 0x80 &&
			   p[len - 1] == 0x80) {
			len -= 3;
		} else {
			break;
		}
	}
	*s = (const char *)p;
	*n = len;
}

static void put(struct nrow *nr, struct buf *d, int col, const char *s, size_t n)
{
	nr->off[col] = (uint32_t)d->len;
	nr->len[col] = (uint32_t)n;
	buf_add(d, s, n);
}

static void puts_(struct nrow *nr, struct buf *d, int col, const char *s)
{
	put(nr, d, col, s, strlen(s));
}

static void bad(struct nrow *nr, struct buf *d, const char *fmt, ...)
	ATTR_PRINTF(3, 4);
static void bad(struct nrow *nr, struct buf *d, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (nr->bad)
		return; /* the first reason is the one reported */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	nr->bad = 1;
	puts_(nr, d, T_REASON, msg);
}

/* Shorten a value for a message: at most 40 bytes, cut on a UTF-8 boundary. */
static int shown(const char *s, size_t n)
{
	size_t k = n > 40 ? 40 : n;
	while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return (int)k;
}

static int eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int ieq(const char *s, size_t n, const char *lit)
{
	if (strlen(lit) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

struct state_word {
	const char *w;
	int st;
	int self;
};

static const struct state_word state_words[] = {
	{ "待受理", ST_REPORTED, 0 }, { "待立案", ST_REPORTED, 0 },
	{ "已上报", ST_REPORTED, 0 }, { "上报", ST_REPORTED, 0 },
	{ "已立案", ST_REGISTERED, 0 }, { "立案", ST_REGISTERED, 0 },
	{ "已受理", ST_REGISTERED, 0 }, { "待派遣", ST_REGISTERED, 0 },
	{ "已派遣", ST_DISPATCHED, 0 }, { "派遣", ST_DISPATCHED, 0 },
	{ "待处置", ST_DISPATCHED, 0 }, { "待签收", ST_DISPATCHED, 0 },
	{ "处置中", ST_HANDLING, 0 }, { "处理中", ST_HANDLING, 0 },
	{ "办理中", ST_HANDLING, 0 }, { "已签收", ST_HANDLING, 0 },
	{ "已处置", ST_HANDLED, 0 }, { "待核查", ST_HANDLED, 0 },
	{ "已处理", ST_HANDLED, 0 }, { "待结案", ST_HANDLED, 0 },
	{ "已结案", ST_CLOSED, 0 }, { "结案", ST_CLOSED, 0 },
	{ "已办结", ST_CLOSED, 0 }, { "办结", ST_CLOSED, 0 },
	{ "已关闭", ST_CLOSED, 0 }, { "已完成", ST_CLOSED, 0 },
	{ "自行处置", ST_CLOSED, 1 }, { "简易处置", ST_CLOSED, 1 },
	{ "缓办", ST_PARKED, 0 }, { "挂账", ST_PARKED, 0 },
	{ "缓办/挂账", ST_PARKED, 0 }, { "作废", ST_VOID, 0 },
	{ "已作废", ST_VOID, 0 }, { "不予立案", ST_VOID, 0 },
	{ "reported", ST_REPORTED, 0 }, { "new", ST_REPORTED, 0 },
	{ "draft", ST_REPORTED, 0 }, { "registered", ST_REGISTERED, 0 },
	{ "open", ST_REGISTERED, 0 }, { "pending", ST_REGISTERED, 0 },
	{ "dispatched", ST_DISPATCHED, 0 }, { "assigned", ST_DISPATCHED, 0 },
	{ "handling", ST_HANDLING, 0 }, { "in progress", ST_HANDLING, 0 },
	{ "started", ST_HANDLING, 0 }, { "handled", ST_HANDLED, 0 },
	{ "closed", ST_CLOSED, 0 }, { "resolved", ST_CLOSED, 0 },
	{ "completed", ST_CLOSED, 0 }, { "self_disposed", ST_CLOSED, 1 },
	{ "parked", ST_PARKED, 0 }, { "void", ST_VOID, 0 },
	{ "cancelled", ST_VOID, 0 }, { "canceled", ST_VOID, 0 },
	{ "duplicate", ST_VOID, 0 }, { "rejected", ST_VOID, 0 },
	{ "closed (duplicate)", ST_VOID, 0 }, { "open (duplicate)", ST_VOID, 0 },
	{ "new (duplicate)", ST_VOID, 0 }, { "closed (transferred)", ST_CLOSED, 0 },
	{ "email sent", ST_DISPATCHED, 0 }, { "transferred", ST_DISPATCHED, 0 },
	{ "on hold", ST_PARKED, 0 }, { "deferred", ST_PARKED, 0 },
	{ NULL, 0, 0 },
};

/* -1 unknown, -2 "say nothing" (derive it from the times) */
static int parse_state(const char *s, size_t n, int *self)
{
	*self = 0;
	if (n == 1 && s[0] >= '1' && s[0] <= '8')
		return s[0] - '1';
	if (ieq(s, n, "unspecified") || ieq(s, n, "unknown"))
		return -2;
	for (const struct state_word *w = state_words; w->w; w++)
		if (ieq(s, n, w->w)) {
			*self = w->self;
			return w->st;
		}
	return -1;
}

static int parse_bool(const char *s, size_t n)
{
	if (eq(s, n, "1") || ieq(s, n, "true") || ieq(s, n, "yes") ||
	    ieq(s, n, "y") || eq(s, n, "是"))
		return 1;
	if (eq(s, n, "0") || ieq(s, n, "false") || ieq(s, n, "no") ||
	    ieq(s, n, "n") || eq(s, n, "否"))
		return 0;
	return -1;
}

static const char *const time_names[] = {
	"reported_at", "registered_at", "dispatched_at", "handled_at",
	"closed_at", "due_at",
};
static const int time_fields[] = {
	F_REPORTED_AT, F_REGISTERED_AT, F_DISPATCHED_AT, F_HANDLED_AT,
	F_CLOSED_AT, F_DUE_AT,
};
static const int time_cols[] = {
	T_REPORTED_AT, T_REGISTERED_AT, T_DISPATCHED_AT, T_HANDLED_AT,
	T_CLOSED_AT, T_DUE_AT,
};

static int parse_time(struct import_run *r, int f, const char *s, size_t n,
		      int64_t *t, const char **why)
{
	struct timeparse_opts o = r->tpo;

	if (!o.date_format) /* the form rec detected, if any */
		o.date_format = rec_date_format(r->src, (size_t)f);
	if (timeparse_parse(s, n, &o, t, why) == 0)
		return 0;
	if (o.date_format) {
		/* a value in a standard form still reads without the format */
		struct timeparse_opts plain = o;
		const char *why2;
		plain.date_format = NULL;
		if (timeparse_parse(s, n, &plain, t, &why2) == 0)
			return 0;
		if (!r->tpo.date_format && why)
			*why = why2; /* not the user's --date-format */
	}
	return -1;
}

static void normalise_fields(struct import_run *r, const struct rec *in,
			     struct nrow *nr, struct buf *d);

static void normalise(struct import_run *r, const struct rec *in, int rc,
		      struct nrow *nr, struct buf *d)
{
	memset(nr, 0, sizeof *nr);
	for (int i = 0; i < NTEXT; i++)
		nr->len[i] = NOVAL;
	nr->line = in->line;
	if (rc == 2)
		bad(nr, d, "%s", in->reason);
	else
		normalise_fields(r, in, nr, d);
	if (nr->bad) {
		/* the row as read, for the rejects file */
		struct buf raw = BUF_INIT;
		rec_raw_csv(r->src, &raw);
		put(nr, d, T_RAW, buf_str(&raw), raw.len);
		buf_free(&raw);
	}
}

static void normalise_fields(struct import_run *r, const struct rec *in,
			     struct nrow *nr, struct buf *d)
{
	const char *v[NFIELDS];
	size_t len[NFIELDS];
	int64_t t[6];
	int has_t[6];
	int kind = -1, st = -1, self = 0;
	const struct tax_class *cls = NULL;
	const struct taxonomy *tax = r->o->tax;

	for (int i = 0; i < NFIELDS; i++) {
		v[i] = in->v[i];
		len[i] = in->len[i];
		if (v[i]) {
			trim(&v[i], &len[i]);
			if (len[i] == 0)
				v[i] = NULL;
		}
	}

	/* id and the times */
	if (!v[F_ID]) {
		bad(nr, d, "missing id");
		return;
	}
	if (len[F_ID] > 256) {
		bad(nr, d, "id longer than 256 bytes");
		return;
	}
	put(nr, d, T_ID, v[F_ID], len[F_ID]);
	for (int i = 0; i < 6; i++) {
		const char *why = NULL;
		int f = time_fields[i];
		has_t[i] = 0;
		if (!v[f]) {
			if (i == 0) {
				bad(nr, d, "missing reported_at");
				return;
			}
			continue;
		}
		if (parse_time(r, f, v[f], len[f], &t[i], &why) < 0) {
			bad(nr, d, "%s '%.*s': %s", time_names[i], shown(v[f], len[f]),
			    v[f], why ? why : "unrecognised time");
			return;
		}
		if (i < 5 && t[i] > r->now + 86400) {
			bad(nr, d, "%s '%.*s' is in the future", time_names[i],
			    shown(v[f], len[f]), v[f]);
			return;
		}
		has_t[i] = 1;
		{
			char txt[TIMEPARSE_TEXT_LEN];
			timeparse_format(t[i], r->tpo.zone_min, txt);
			put(nr, d, time_cols[i], txt, TIMEPARSE_TEXT_LEN - 1);
		}
	}
	nr->t_reported = t[0];
	for (int i = 1; i < 5; i++)
		if (has_t[i] && t[i] < t[0])
			nr->warn_order = i;

	/* coordinates */
	if (v[F_LON] || v[F_LAT]) {
		double lon = 0, lat = 0;
		if (!v[F_LON] || !v[F_LAT]) {
			bad(nr, d, "%s without %s", v[F_LON] ? "lon" : "lat",
			    v[F_LON] ? "lat" : "lon");
			return;
		}
		if (strnum_double(v[F_LON], len[F_LON], &lon) < 0) {
			bad(nr, d, "lon '%.*s' is not a number", shown(v[F_LON], len[F_LON]), v[F_LON]);
			return;
		}
		if (strnum_double(v[F_LAT], len[F_LAT], &lat) < 0) {
			bad(nr, d, "lat '%.*s' is not a number", shown(v[F_LAT], len[F_LAT]), v[F_LAT]);
			return;
		}
		if (lon < -180 || lon > 180) {
			bad(nr, d, "lon '%.*s' out of range (-180 to 180)", shown(v[F_LON], len[F_LON]), v[F_LON]);
			return;
		}
		if (lat < -90 || lat > 90) {
			bad(nr, d, "lat '%.*s' out of range (-90 to 90)", shown(v[F_LAT], len[F_LAT]), v[F_LAT]);
			return;
		}
		if (!(lon == 0 && lat == 0)) { /* 0,0 is how exports say "none" */
			nr->has_xy = 1;
			nr->lon = lon;
			nr->lat = lat;
		}
	}

	/* kind and class */
	if (v[F_KIND]) {
		kind = tax_kind_parse(v[F_KIND], len[F_KIND]);
		if (kind < 0) {
			bad(nr, d, "unknown kind '%.*s' (部件/component or 事件/event)",
			    shown(v[F_KIND], len[F_KIND]), v[F_KIND]);
			return;
		}
	}
	if (kind < 0 && v[F_CATEGORY] && eq(v[F_CATEGORY], len[F_CATEGORY], "部件"))
		kind = TAX_COMPONENT;
	{
		enum tax_kind k = kind < 0 ? TAX_ANY : (enum tax_kind)kind;
		int amb = 0, amb2 = 0;
		if (v[F_CLASS_CODE]) {
			cls = tax_by_code(tax, k, v[F_CLASS_CODE], len[F_CLASS_CODE], &amb);
			if (!cls && !amb) /* a name in the code column */
				cls = tax_by_name(tax, k, v[F_CLASS_CODE], len[F_CLASS_CODE], &amb2);
		}
		if (!cls && v[F_SMALL_CLASS]) {
			int a3 = 0;
			cls = tax_by_name(tax, k, v[F_SMALL_CLASS], len[F_SMALL_CLASS], &a3);
			if (!cls && !a3)
				cls = tax_by_code(tax, k, v[F_SMALL_CLASS], len[F_SMALL_CLASS], &a3);
			amb2 |= a3;
		}
		if (!cls && (amb || amb2)) {
			bad(nr, d, "class '%.*s' is both a component and an event class: give the kind",
			    v[F_CLASS_CODE] ? shown(v[F_CLASS_CODE], len[F_CLASS_CODE]) : shown(v[F_SMALL_CLASS], len[F_SMALL_CLASS]),
			    v[F_CLASS_CODE] ? v[F_CLASS_CODE] : v[F_SMALL_CLASS]);
			return;
		}
	}
	if (cls) {
		kind = cls->kind;
		puts_(nr, d, T_CLASS_CODE, cls->code);
		puts_(nr, d, T_SMALL_CLASS, cls->name);
		puts_(nr, d, T_BIG_CLASS, cls->big_class);
	} else {
		const char *big = v[F_BIG_CLASS];
		size_t bl = len[F_BIG_CLASS];
		if (!big && v[F_CATEGORY] && !eq(v[F_CATEGORY], len[F_CATEGORY], "部件")) {
			big = v[F_CATEGORY];
			bl = len[F_CATEGORY];
		}
		if (kind < 0)
			kind = TAX_EVENT;
		if (v[F_CLASS_CODE])
			put(nr, d, T_CLASS_CODE, v[F_CLASS_CODE], len[F_CLASS_CODE]);
		if (v[F_SMALL_CLASS])
			put(nr, d, T_SMALL_CLASS, v[F_SMALL_CLASS], len[F_SMALL_CLASS]);
		if (big) {
			const char *canon = tax_big_class(tax, (enum tax_kind)kind, big, bl);
			if (canon)
				puts_(nr, d, T_BIG_CLASS, canon);
			else
				put(nr, d, T_BIG_CLASS, big, bl);
		}
	}
	puts_(nr, d, T_KIND, kind == TAX_COMPONENT ? "component" : "event");
	if (kind == TAX_COMPONENT)
		puts_(nr, d, T_CATEGORY, "部件");
	else if (nr->len[T_BIG_CLASS] != NOVAL) {
		nr->off[T_CATEGORY] = nr->off[T_BIG_CLASS];
		nr->len[T_CATEGORY] = nr->len[T_BIG_CLASS];
	}

	/* state */
	if (v[F_STATE]) {
		st = parse_state(v[F_STATE], len[F_STATE], &self);
		if (st == -1) {
			bad(nr, d, "unknown state '%.*s'", shown(v[F_STATE], len[F_STATE]), v[F_STATE]);
			return;
		}
	}
	if (st < 0)
		st = has_t[4] ? ST_CLOSED : ST_REGISTERED;
	puts_(nr, d, T_STATE, state_names[st]);
	nr->self_disposed = self;
	if (v[F_SELF_DISPOSED]) {
		int b = parse_bool(v[F_SELF_DISPOSED], len[F_SELF_DISPOSED]);
		if (b < 0) {
			bad(nr, d, "self_disposed '%.*s' is not yes or no",
			    shown(v[F_SELF_DISPOSED], len[F_SELF_DISPOSED]), v[F_SELF_DISPOSED]);
			return;
		}
		nr->self_disposed = b || self;
	}
	{
		int fs[2] = { F_REWORKS, F_POSTPONEMENTS };
		int *dst[2] = { &nr->reworks, &nr->postponements };
		for (int i = 0; i < 2; i++) {
			char tmp[24];
			const char *why;
			long long x;
			if (!v[fs[i]])
				continue;
			if (len[fs[i]] >= sizeof tmp) {
				bad(nr, d, "%s '%.*s' is not a count", import_fields[fs[i]].name,
				    shown(v[fs[i]], len[fs[i]]), v[fs[i]]);
				return;
			}
			memcpy(tmp, v[fs[i]], len[fs[i]]);
			tmp[len[fs[i]]] = '\0';
			x = strnum_ll(tmp, 0, 1000000, &why);
			if (why) {
				bad(nr, d, "%s '%s' is not a count", import_fields[fs[i]].name, tmp);
				return;
			}
			*dst[i] = (int)x;
		}
	}

	/* the plain text columns */
	{
		static const int plain[][2] = {
			{ F_DESCRIPTION, T_DESCRIPTION }, { F_ADDRESS, T_ADDRESS },
			{ F_DISTRICT, T_DISTRICT }, { F_STREET, T_STREET },
			{ F_COMMUNITY, T_COMMUNITY }, { F_GRID, T_GRID },
			{ F_OBJECT_ID, T_OBJECT_ID }, { F_REPORTER, T_REPORTER },
			{ F_UNIT, T_UNIT }, { F_TICKET_ID, T_TICKET_ID },
			{ F_SOURCE, T_SOURCE },
		};
		for (size_t i = 0; i < ARRAY_SIZE(plain); i++)
			if (v[plain[i][0]])
				put(nr, d, plain[i][1], v[plain[i][0]], len[plain[i][0]]);
		if (!v[F_SOURCE] && r->o->source)
			puts_(nr, d, T_SOURCE, r->o->source);
	}
}

static void *reader_main(void *arg)
{
	struct import_run *r = arg;

	for (;;) {
		struct block *b;
		struct rec in;
		int rc;

		pthread_mutex_lock(&r->mu);
		while (r->full[r->prod_i] && !r->cancel)
			pthread_cond_wait(&r->cv, &r->mu);
		b = r->blocks[r->prod_i];
		pthread_mutex_unlock(&r->mu);
		b->n = 0;
		b->end = 0;
		b->status = 0;
		buf_reset(&b->data);
		while (b->n < BLOCK_ROWS && b->data.len < BLOCK_BYTES) {
			if (r->cancel) {
				b->end = 1;
				break;
			}
			rc = rec_next(r->src, &in);
			if (rc == 0) {
				b->end = 1;
				break;
			}
			if (rc < 0) {
				b->end = 1;
				b->status = rec_status(r->src);
				break;
			}
			normalise(r, &in, rc, &b->row[b->n], &b->data);
			b->n++;
		}
		pthread_mutex_lock(&r->mu);
		r->full[r->prod_i] = 1;
		r->prod_i = (r->prod_i + 1) % NBLOCKS;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		if (b->end)
			return NULL;
	}
}

/* The next block of rows from the reader; *waited grows by the wait. */
static struct block *take_block(struct import_run *r, double *waited)
{
	struct timespec w0;
	struct block *b;

	clock_gettime(CLOCK_MONOTONIC, &w0);
	pthread_mutex_lock(&r->mu);
	while (!r->full[r->cons_i])
		pthread_cond_wait(&r->cv, &r->mu);
	b = r->blocks[r->cons_i];
	pthread_mutex_unlock(&r->mu);
	*waited += elapsed(w0);
	return b;
}

/* Hand the block taken back to the reader; 1 when it was the last. */
static int give_back(struct import_run *r)
{
	int end;

	pthread_mutex_lock(&r->mu);
	end = r->blocks[r->cons_i]->end;
	r->full[r->cons_i] = 0;
	r->cons_i = (r->cons_i + 1) % NBLOCKS;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return end;
}

/* ---- writing (the store's thread) -------------------------------------- */

static const char sql_insert[] =
	"INSERT INTO cases(id, source, kind, class_code, big_class, small_class,"
	" description, address, district, street, community, grid, object_id,"
	" reporter, reported_at, registered_at, dispatched_at, handled_at,"
	" closed_at, due_at, state, unit, ticket_id, lon, lat, self_disposed,"
	" reworks, postponements, batch_id, updated_at)"
	" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,"
	"?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30)";

static const char sql_update[] =
	"UPDATE cases SET source=?2, kind=?3, class_code=?4, big_class=?5,"
	" small_class=?6, description=?7, address=?8, district=?9, street=?10,"
	" community=?11, grid=?12, object_id=?13, reporter=?14, reported_at=?15,"
	" registered_at=?16, dispatched_at=?17, handled_at=?18, closed_at=?19,"
	" due_at=?20, state=?21, unit=?22, ticket_id=?23, lon=?24, lat=?25,"
	" self_disposed=?26, reworks=?27, postponements=?28, batch_id=?29,"
	" updated_at=?30"
	" WHERE id=?1 AND NOT (source IS ?2 AND kind IS ?3 AND class_code IS ?4"
	" AND big_class IS ?5 AND small_class IS ?6 AND description IS ?7"
	" AND address IS ?8 AND district IS ?9 AND street IS ?10"
	" AND community IS ?11 AND grid IS ?12 AND object_id IS ?13"
	" AND reporter IS ?14 AND reported_at IS ?15 AND registered_at IS ?16"
	" AND dispatched_at IS ?17 AND handled_at IS ?18 AND closed_at IS ?19"
	" AND due_at IS ?20 AND state IS ?21 AND unit IS ?22 AND ticket_id IS ?23"
	" AND lon IS ?24 AND lat IS ?25 AND self_disposed IS ?26"
	" AND reworks IS ?27 AND postponements IS ?28)";

static const char sql_old_times[] =
	"SELECT reported_at, registered_at, dispatched_at, handled_at, closed_at"
	" FROM cases WHERE id = ?1";

static const char sql_event[] =
	"INSERT INTO case_events(case_id, step, at, unit, batch_id)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";

static const char sql_batch_new[] =
	"INSERT INTO batches(tool, source, started_at) VALUES ('case-import', ?1, ?2)";

static const char sql_batch_end[] =
	"UPDATE batches SET finished_at=?2, rows_read=?3, rows_inserted=?4,"
	" rows_updated=?5, rows_unchanged=?6, rows_rejected=?7, status=?8"
	" WHERE id=?1";

struct file_stats {
	long long read, inserted, updated, unchanged, rejected, order_warned;
	int64_t tmin, tmax;
	int any_xy;
};

static const char *col(const struct block *b, const struct nrow *nr, int c,
		       size_t *n)
{
	if (nr->len[c] == NOVAL) {
		*n = 0;
		return NULL;
	}
	*n = nr->len[c];
	return b->data.s + nr->off[c];
}

static void bind_text(sqlite3_stmt *st, int i, const struct block *b,
		      const struct nrow *nr, int c)
{
	size_t n;
	const char *s = col(b, nr, c, &n);
	if (s)
		sqlite3_bind_text(st, i, s, (int)n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_row(struct import_run *r, sqlite3_stmt *st, const struct block *b,
		     const struct nrow *nr, sqlite3_int64 batch)
{
	for (int c = T_ID; c <= T_TICKET_ID; c++)
		bind_text(st, c + 1, b, nr, c);
	if (nr->has_xy) {
		sqlite3_bind_double(st, 24, nr->lon);
		sqlite3_bind_double(st, 25, nr->lat);
	} else {
		sqlite3_bind_null(st, 24);
		sqlite3_bind_null(st, 25);
	}
	sqlite3_bind_int(st, 26, nr->self_disposed);
	sqlite3_bind_int(st, 27, nr->reworks);
	sqlite3_bind_int(st, 28, nr->postponements);
	sqlite3_bind_int64(st, 29, batch);
	sqlite3_bind_text(st, 30, r->now_text, -1, SQLITE_STATIC);
}

static const char *const step_names[] = {
	"report", "register", "dispatch", "handle", "close",
};

/* Events for the steps whose time is new; old[i] NULL when inserting. */
static int add_events(struct import_run *r, const struct block *b,
		      const struct nrow *nr, sqlite3_int64 batch,
		      char old[5][TIMEPARSE_TEXT_LEN], const int *had)
{
	for (int i = 0; i < 5; i++) {
		size_t n;
		const char *t = col(b, nr, time_cols[i], &n);
		sqlite3_stmt *st;
		const char *step = step_names[i];
		if (!t)
			continue;
		if (had && had[i] && strlen(old[i]) == n && memcmp(old[i], t, n) == 0)
			continue;
		if (i == 4 && nr->self_disposed)
			step = "self_dispose";
		st = db_stmt(r->db, sql_event);
		if (!st)
			return -1;
		bind_text(st, 1, b, nr, T_ID);
		sqlite3_bind_text(st, 2, step, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, t, (int)n, SQLITE_STATIC);
		if (i == 2)
			bind_text(st, 4, b, nr, T_UNIT);
		sqlite3_bind_int64(st, 5, batch);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

enum { UP_INSERTED, UP_UPDATED, UP_UNCHANGED, UP_EXISTS, UP_ERROR };

static int upsert(struct import_run *r, const struct block *b,
		  const struct nrow *nr, sqlite3_int64 batch)
{
	sqlite3_stmt *st = db_stmt(r->db, sql_insert);
	int rc;
	char old[5][TIMEPARSE_TEXT_LEN];
	int had[5];

	if (!st)
		return UP_ERROR;
	bind_row(r, st, b, nr, batch);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		if (r->bulk)
			return UP_INSERTED; /* events come in one statement after the load */
		return add_events(r, b, nr, batch, NULL, NULL) < 0 ? UP_ERROR
								  : UP_INSERTED;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_CONSTRAINT_PRIMARYKEY && rc != SQLITE_CONSTRAINT_UNIQUE &&
	    sqlite3_extended_errcode(r->db->h) != SQLITE_CONSTRAINT_PRIMARYKEY)
		return UP_ERROR;
	if (r->o->on_conflict == CONFLICT_FAIL)
		return UP_EXISTS;
	if (r->o->on_conflict == CONFLICT_SKIP)
		return UP_UNCHANGED;
	st = db_stmt(r->db, sql_old_times);
	if (!st)
		return UP_ERROR;
	bind_text(st, 1, b, nr, T_ID);
	if (sqlite3_step(st) != SQLITE_ROW)
		return UP_ERROR;
	for (int i = 0; i < 5; i++) {
		const unsigned char *t = sqlite3_column_text(st, i);
		had[i] = t != NULL;
		snprintf(old[i], TIMEPARSE_TEXT_LEN, "%s", t ? (const char *)t : "");
	}
	sqlite3_reset(st);
	st = db_stmt(r->db, sql_update);
	if (!st)
		return UP_ERROR;
	bind_row(r, st, b, nr, batch);
	if (sqlite3_step(st) != SQLITE_DONE)
		return UP_ERROR;
	if (sqlite3_changes(r->db->h) == 0)
		return UP_UNCHANGED;
	if (r->bulk)
		return UP_UPDATED;
	return add_events(r, b, nr, batch, old, had) < 0 ? UP_ERROR : UP_UPDATED;
}

static void write_reject(struct import_run *r, const struct block *b,
			 const struct nrow *nr)
{
	struct buf line = BUF_INIT, hdr = BUF_INIT;
	size_t n;
	const char *s;

	if (!r->rejz)
		return;
	rec_header_csv(r->src, &hdr);
	buf_adds(&hdr, ",reject_file,reject_line,reject_reason");
	if (!r->rej_header.s || strcmp(r->rej_header.s, hdr.s) != 0) {
		zout_write(r->rejz, hdr.s, hdr.len);
		zout_write(r->rejz, "\n", 1);
		buf_reset(&r->rej_header);
		buf_add(&r->rej_header, hdr.s, hdr.len);
	}
	s = col(b, nr, T_RAW, &n);
	buf_add(&line, s ? s : "", n);
	buf_addc(&line, ',');
	csvio_quote(&line, rec_name(r->src), strlen(rec_name(r->src)), ',');
	buf_addf(&line, ",%ld,", nr->line);
	s = col(b, nr, T_REASON, &n);
	csvio_quote(&line, s ? s : "", n, ',');
	buf_addc(&line, '\n');
	zout_write(r->rejz, line.s, line.len);
	buf_free(&line);
	buf_free(&hdr);
}

/* ---- duplicates ------------------------------------------------------- */

struct dent {
	int64_t t;
	double lat, lon;
	uint64_t cls;
	int64_t cx, cy;
	int dup;
	int64_t next;      /* older entry in the same bucket: sequence number */
	char *id;
};

struct dwin {
	struct dent *e;
	size_t cap;        /* power of two */
	int64_t head, tail; /* valid sequence numbers: [head, tail) */
	int64_t *bucket;   /* newest sequence in the bucket, or -1 */
	size_t nb;         /* power of two */
};

static uint64_t hash64(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	if (!h)
		h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t cell_bucket(const struct dwin *w, uint64_t cls, int64_t cx, int64_t cy)
{
	uint64_t h = hash64(&cls, sizeof cls, 0);
	h = hash64(&cx, sizeof cx, h);
	h = hash64(&cy, sizeof cy, h);
	return (size_t)(h & (w->nb - 1));
}

static double dist_m(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180, R = 6371008.8;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * R * asin(sqrt(a < 1 ? a : 1));
}

static void dwin_grow(struct dwin *w)
{
	size_t ncap = w->cap ? w->cap * 2 : 1024;
	struct dent *ne = xcalloc(ncap, sizeof *ne);
	for (int64_t s = w->head; s < w->tail; s++)
		ne[(size_t)s & (ncap - 1)] = w->e[(size_t)s & (w->cap - 1)];
	free(w->e);
	w->e = ne;
	w->cap = ncap;
	/* buckets: twice the entries, rebuilt from the live entries */
	free(w->bucket);
	w->nb = ncap * 2;
	w->bucket = xmalloc(w->nb * sizeof *w->bucket);
	for (size_t i = 0; i < w->nb; i++)
		w->bucket[i] = -1;
	for (int64_t s = w->head; s < w->tail; s++) {
		struct dent *d = &w->e[(size_t)s & (ncap - 1)];
		size_t bk = cell_bucket(w, d->cls, d->cx, d->cy);
		d->next = w->bucket[bk];
		w->bucket[bk] = s;
	}
}

static int dup_pass(struct import_run *r, sqlite3_int64 batch,
		    const struct file_stats *fs)
{
	const double radius = r->o->dup_radius_m;
	const int64_t window = r->o->dup_window_s;
	char lo[TIMEPARSE_TEXT_LEN], hi[TIMEPARSE_TEXT_LEN];
	sqlite3_stmt *sel = NULL, *upd = NULL;
	struct dwin w;
	int rc, ret = -1;

	if (radius <= 0 || window <= 0 || !fs->any_xy)
		return 0;
	memset(&w, 0, sizeof w);
	timeparse_format(fs->tmin - window, r->tpo.zone_min, lo);
	timeparse_format(fs->tmax + window, r->tpo.zone_min, hi);
	if (sqlite3_prepare_v2(r->db->h,
		"SELECT id, coalesce(class_code, small_class, big_class), lon, lat,"
		" reported_at, batch_id = ?3, duplicate_of FROM cases"
		" WHERE reported_at BETWEEN ?1 AND ?2 AND lat IS NOT NULL"
		" AND lon IS NOT NULL ORDER BY reported_at, rowid", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db->h,
		"UPDATE cases SET duplicate_of = ?2 WHERE id = ?1", -1, &upd, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(sel, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(sel, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int64(sel, 3, batch);
	dwin_grow(&w);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(sel, 0);
		const char *cls = (const char *)sqlite3_column_text(sel, 1);
		double lon = sqlite3_column_double(sel, 2);
		double lat = sqlite3_column_double(sel, 3);
		const char *at = (const char *)sqlite3_column_text(sel, 4);
		int mine = sqlite3_column_int(sel, 5);
		const char *olddup = (const char *)sqlite3_column_text(sel, 6);
		int64_t t;
		struct dent *best = NULL, *d;
		double mx = 111320.0 * cos(lat * M_PI / 180);
		int64_t cx, cy;
		uint64_t ch;

		if (!cls || !at || timeparse_parse(at, strlen(at), &r->tpo, &t, NULL) < 0)
			continue;
		/* expire what is older than the window */
		while (w.head < w.tail && w.e[(size_t)w.head & (w.cap - 1)].t < t - window) {
			free(w.e[(size_t)w.head & (w.cap - 1)].id);
			w.e[(size_t)w.head & (w.cap - 1)].id = NULL;
			w.head++;
		}
		ch = hash64(cls, strlen(cls), 0);
		cx = (int64_t)floor(lon * (mx > 1 ? mx : 1) / radius);
		cy = (int64_t)floor(lat * 110540.0 / radius);
		for (int dx = -1; dx <= 1; dx++)
			for (int dy = -1; dy <= 1; dy++) {
				size_t bk = cell_bucket(&w, ch, cx + dx, cy + dy);
				for (int64_t s = w.bucket[bk]; s >= w.head; s = d->next) {
					d = &w.e[(size_t)s & (w.cap - 1)];
					if (d->dup || d->cls != ch || d->cx != cx + dx ||
					    d->cy != cy + dy)
						continue;
					if (dist_m(lat, lon, d->lat, d->lon) > radius)
						continue;
					if (!best || d->t < best->t ||
					    (d->t == best->t && s < (int64_t)(best - w.e)))
						best = d;
				}
			}
		if (mine) {
			const char *want = best ? best->id : NULL;
			if (!(want == NULL && olddup == NULL) &&
			    !(want && olddup && strcmp(want, olddup) == 0)) {
				sqlite3_bind_text(upd, 1, id, -1, SQLITE_TRANSIENT);
				if (want)
					sqlite3_bind_text(upd, 2, want, -1, SQLITE_TRANSIENT);
				else
					sqlite3_bind_null(upd, 2);
				if (sqlite3_step(upd) != SQLITE_DONE)
					goto out;
				sqlite3_reset(upd);
			}
		}
		if ((size_t)(w.tail - w.head) + 1 > w.cap)
			dwin_grow(&w);
		d = &w.e[(size_t)w.tail & (w.cap - 1)];
		d->t = t;
		d->lat = lat;
		d->lon = lon;
		d->cls = ch;
		d->cx = cx;
		d->cy = cy;
		d->dup = best != NULL;
		d->id = xstrdup(id);
		{
			size_t bk = cell_bucket(&w, ch, cx, cy);
			d->next = w.bucket[bk];
			w.bucket[bk] = w.tail;
		}
		w.tail++;
	}
	ret = rc == SQLITE_DONE ? 0 : -1;
out:
	for (int64_t s = w.head; s < w.tail; s++)
		free(w.e[(size_t)s & (w.cap - 1)].id);
	free(w.e);
	free(w.bucket);
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return ret;
}

/* ---- the run ------------------------------------------------------------ */

static void keep_record(struct import_run *r, const struct block *b,
			const struct nrow *nr);

struct import_run *import_begin(struct db *d, const struct import_opts *o,
				int *status)
{
	struct import_run *r = xcalloc(1, sizeof *r);

	*status = 0;
	r->db = d;
	r->o = o;
	r->tpo.date_format = o->date_format;
	r->tpo.zone_min = db_zone_min(d);
	r->now = (int64_t)time(NULL);
	timeparse_format(r->now, r->tpo.zone_min, r->now_text);
	r->tmp = tmpfile();
	if (!r->tmp) {
		msg_err("cannot create a temporary file: %s", strerror(errno));
		*status = EXIT_CANT_CREATE;
		free(r);
		return NULL;
	}
	if (o->rejects) {
		r->rejz = zout_open_output(o->rejects, status);
		if (!r->rejz) {
			fclose(r->tmp);
			free(r);
			return NULL;
		}
	}
	return r;
}

static void progress(const char *name, long long n, int done)
{
	if (done)
		fprintf(stderr, "\r\033[K");
	else
		fprintf(stderr, "\r%s: %s: %lld rows", prog_name, name, n);
}

/* Drop the indexes and triggers of a bulk load (create = 0) or make them
 * again (1).  The tables are empty, so are the month facts the triggers
 * would have kept: they go too. */
static int set_bulk_ddl(struct import_run *r, int create)
{
	const char *const *ddl = case_bulk_ddl();
	if (!create && db_exec(r->db, "DELETE FROM stat_months") != SQLITE_OK)
		return -1;
	for (; *ddl; ddl += 2)
		if (db_exec(r->db, ddl[create]) != SQLITE_OK)
			return -1;
	return 0;
}

/* The events of a bulk load, every step whose time a row carries, in one
 * statement: far cheaper than a million statements from here. */
static int bulk_events(struct import_run *r, sqlite3_int64 batch)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(r->db->h,
		"INSERT INTO case_events(case_id, step, at, unit, batch_id)"
		" SELECT c.id, CASE WHEN s.k = 4 AND c.self_disposed THEN 'self_dispose'"
		"  ELSE s.step END,"
		"  CASE s.k WHEN 0 THEN c.reported_at WHEN 1 THEN c.registered_at"
		"  WHEN 2 THEN c.dispatched_at WHEN 3 THEN c.handled_at"
		"  ELSE c.closed_at END AS t,"
		"  CASE s.k WHEN 2 THEN c.unit END, ?1"
		" FROM cases AS c CROSS JOIN (SELECT 0 AS k, 'report' AS step"
		"  UNION ALL SELECT 1, 'register' UNION ALL SELECT 2, 'dispatch'"
		"  UNION ALL SELECT 3, 'handle' UNION ALL SELECT 4, 'close') AS s"
		" WHERE c.batch_id = ?1 AND t IS NOT NULL ORDER BY c.rowid, s.k",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, batch);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int table_empty(struct import_run *r, int *empty)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(r->db->h,
		"SELECT NOT EXISTS (SELECT 1 FROM cases) AND NOT EXISTS (SELECT 1 FROM case_events)",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	*empty = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int import_one(struct import_run *r, const char *path)
{
	struct rec_opts ro = { (enum rec_fmt)r->o->co->input_format,
			       r->o->co->encoding, r->o->maps, r->o->nmaps,
			       r->o->date_format, REC_O_MAP_HINT | (r->o->co->dry_run && msg_verbose
						 ? REC_O_LOG_MAPPING : 0) };
	struct file_stats fs;
	pthread_t th;
	int st = 0, started = 0, bulk = 0, db_failed = 0, fatal = 0;
	int show = opt_progress(r->o->co);
	sqlite3_int64 batch = 0;
	sqlite3_stmt *s;
	const char *name;
	time_t last_tick = time(NULL);
	int status_out = 0;
	off_t tmp_start = ftello(r->tmp);
	struct timespec t0;
	double waited = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	memset(&fs, 0, sizeof fs);
	fs.tmin = INT64_MAX;
	fs.tmax = INT64_MIN;
	r->src = rec_open(path, import_fields, NFIELDS, &ro, &st);
	if (!r->src)
		return st;
	name = rec_name(r->src);

	if (db_begin(r->db) != SQLITE_OK) {
		st = db_fail(r->db, name);
		rec_close(r->src);
		r->src = NULL;
		return st;
	}
	s = db_stmt(r->db, sql_batch_new);
	if (!s)
		goto dberr;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->now_text, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr;
	batch = sqlite3_last_insert_rowid(r->db->h);
	if (table_empty(r, &bulk) < 0)
		goto dberr;
	r->bulk = bulk;
	if (bulk && set_bulk_ddl(r, 0) < 0)
		goto dberr;
	db_exec(r->db, "PRAGMA cache_size = -16384");

	/* the reader thread */
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	for (int i = 0; i < NBLOCKS; i++) {
		r->blocks[i] = xcalloc(1, sizeof *r->blocks[i]);
		r->full[i] = 0;
	}
	r->prod_i = r->cons_i = 0;
	r->cancel = 0;
	if (pthread_create(&th, NULL, reader_main, r) != 0) {
		msg_err("cannot start a thread: %s", strerror(errno));
		st = EXIT_SOFTWARE_ERR;
		goto rollback;
	}
	started = 1;
	for (;;) {
		struct block *b = take_block(r, &waited);
		for (size_t i = 0; i < b->n; i++) {
			const struct nrow *nr = &b->row[i];
			size_t n;
			const char *reason;
			int up;

			fs.read++;
			if (nr->bad) {
				reason = col(b, nr, T_REASON, &n);
				msg_errat(name, nr->line, "%.*s", (int)n, reason);
				fs.rejected++;
				write_reject(r, b, nr);
				continue;
			}
			if (db_failed || (fs.rejected && !r->o->keep_going))
				continue; /* the file will roll back: just validate */
			up = upsert(r, b, nr, batch);
			if (up == UP_ERROR) {
				db_failed = 1;
				st = db_fail(r->db, name);
				r->cancel = 1;
				continue;
			}
			if (up == UP_EXISTS) {
				size_t idn;
				const char *id = col(b, nr, T_ID, &idn);
				msg_errat(name, nr->line, "case '%.*s' is already in the store",
					  (int)idn, id);
				fs.rejected++;
				write_reject(r, b, nr);
				continue;
			}
			if (up == UP_INSERTED)
				fs.inserted++;
			else if (up == UP_UPDATED)
				fs.updated++;
			else
				fs.unchanged++;
			if (nr->warn_order && fs.order_warned++ < 10)
				msg_warnat(name, nr->line, "%s is before reported_at",
					   time_names[nr->warn_order]);
			if (nr->has_xy)
				fs.any_xy = 1;
			if (nr->t_reported < fs.tmin)
				fs.tmin = nr->t_reported;
			if (nr->t_reported > fs.tmax)
				fs.tmax = nr->t_reported;
			keep_record(r, b, nr);
		}
		if (b->status)
			fatal = b->status;
		if (give_back(r))
			break;
		if (show && time(NULL) != last_tick) {
			last_tick = time(NULL);
			progress(name, fs.read, 0);
		}
	}
	pthread_join(th, NULL);
	started = 0;
	msg_repeats_end(name); /* the rows not shown, before the summary */
	if (show)
		progress(name, fs.read, 1);
	if (fs.order_warned > 10)
		msg_warn("%s: %lld more rows with a step before reported_at",
			 name, fs.order_warned - 10);
	if (db_failed)
		goto rollback;
	if (fatal) {
		st = fatal;
		goto rollback;
	}
	if (fs.rejected && !r->o->keep_going) {
		msg_err("%s: %lld bad row%s: nothing imported from this file%s",
			name, fs.rejected, fs.rejected == 1 ? "" : "s",
			r->rejz ? "" : " (--keep-going keeps the good rows)");
		st = EXIT_DATA_ERR;
		goto rollback;
	}
	msg_verb("%s: rows written in %.2f s (%.2f s waiting for the reader)", name, elapsed(t0), waited);
	if (bulk && bulk_events(r, batch) < 0)
		goto dberr;
	msg_verb("%s: events written at %.2f s", name, elapsed(t0));
	if (bulk && set_bulk_ddl(r, 1) < 0)
		goto dberr;
	msg_verb("%s: indexes built at %.2f s", name, elapsed(t0));
	if (dup_pass(r, batch, &fs) < 0)
		goto dberr;
	msg_verb("%s: duplicates swept at %.2f s", name, elapsed(t0));
	s = db_stmt(r->db, sql_batch_end);
	if (!s)
		goto dberr;
	{
		char fin[TIMEPARSE_TEXT_LEN];
		timeparse_format((int64_t)time(NULL), r->tpo.zone_min, fin);
		sqlite3_bind_int64(s, 1, batch);
		sqlite3_bind_text(s, 2, fin, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 3, fs.read);
		sqlite3_bind_int64(s, 4, fs.inserted);
		sqlite3_bind_int64(s, 5, fs.updated);
		sqlite3_bind_int64(s, 6, fs.unchanged);
		sqlite3_bind_int64(s, 7, fs.rejected);
		sqlite3_bind_text(s, 8, fs.rejected ? "partial" : "ok", -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto dberr;
	}
	if (r->o->co->dry_run) {
		db_rollback(r->db);
	} else if (db_commit(r->db) != SQLITE_OK) {
		goto dberr;
	}
	msg_verb("%s: committed at %.2f s", name, elapsed(t0));
	msg_info("%s: %lld read, %lld inserted, %lld updated, %lld unchanged, "
		 "%lld rejected%s", name, fs.read, fs.inserted, fs.updated,
		 fs.unchanged, fs.rejected,
		 r->o->co->dry_run ? " (dry run: nothing written)" : "");
	status_out = 0;
	r->landed++;
	goto done;
dberr:
	st = db_fail(r->db, name);
rollback:
	if (started) {
		/* stop the reader and drain what it had made */
		double ignored = 0;
		r->cancel = 1;
		pthread_mutex_lock(&r->mu);
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		do
			take_block(r, &ignored);
		while (!give_back(r));
		pthread_join(th, NULL);
	}
	db_rollback(r->db);
	status_out = st ? st : EXIT_SOFTWARE_ERR;
	/* the records kept for this file did not land: drop them */
	if (fflush(r->tmp) != 0 || ftruncate(fileno(r->tmp), tmp_start) != 0 ||
	    fseeko(r->tmp, tmp_start, SEEK_SET) != 0)
		r->tmp_failed = 1;
done:
	r->bulk = 0;
	for (int i = 0; i < NBLOCKS; i++) {
		if (r->blocks[i]) {
			buf_free(&r->blocks[i]->data);
			free(r->blocks[i]);
			r->blocks[i] = NULL;
		}
	}
	if (batch || started) {
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->cv);
	}
	rec_close(r->src);
	r->src = NULL;
	return status_out;
}

int import_file(struct import_run *r, const char *path)
{
	int st = import_one(r, path);
	if (st)
		r->failed_files++;
	return st;
}

/* A committed-to-be record, kept as four length-prefixed fields. */
static void keep_record(struct import_run *r, const struct block *b,
			const struct nrow *nr)
{
	static const int cols[4] = { T_ID, T_STATE, T_CATEGORY, T_REPORTED_AT };
	for (int i = 0; i < 4; i++) {
		size_t n;
		const char *v = col(b, nr, cols[i], &n);
		uint32_t len = v ? (uint32_t)n : NOVAL;
		if (fwrite(&len, sizeof len, 1, r->tmp) != 1 ||
		    (v && n && fwrite(v, 1, n, r->tmp) != n))
			r->tmp_failed = 1;
	}
}

/* Print the records of the files that landed; 0 or 74. */
int import_end(struct import_run *r)
{
	static const struct out_col cols[] = {
		{ "id", OUT_STR, "编号" }, { "state", OUT_STR, "状态" },
		{ "category", OUT_STR, "类别" }, { "reported_at", OUT_STR, "上报时间" },
	};
	const char *path = r->o->co->output;
	struct zout *z;
	struct out *o;
	struct buf b = BUF_INIT;
	int st = 0;

	if (!r->landed && r->failed_files)
		goto out; /* nothing landed: print nothing, not even a header */
	if (r->tmp_failed || fflush(r->tmp) != 0 || fseeko(r->tmp, 0, SEEK_SET) != 0) {
		msg_err("cannot keep the imported records in a temporary file: %s",
			strerror(errno));
		st = EXIT_IO_ERR;
		goto out;
	}
	z = zout_open_output(path, &st);
	if (!z)
		goto out;
	o = out_new(z, r->o->out_format, cols, ARRAY_SIZE(cols),
		    r->o->co->bom ? OUT_F_BOM : 0);
	for (;;) {
		const char *vals[4];
		size_t lens[4], offs[4];
		uint32_t len;
		int i;

		buf_reset(&b);
		for (i = 0; i < 4; i++) {
			if (fread(&len, sizeof len, 1, r->tmp) != 1)
				break;
			offs[i] = b.len;
			lens[i] = len == NOVAL ? 0 : len;
			if (len == NOVAL) {
				offs[i] = SIZE_MAX;
				continue;
			}
			buf_grow(&b, len + 1);
			if (len && fread(b.s + b.len, 1, len, r->tmp) != len)
				break;
			b.len += len;
			b.s[b.len++] = '\0';
		}
		if (i < 4)
			break;
		for (i = 0; i < 4; i++)
			vals[i] = offs[i] == SIZE_MAX ? NULL : b.s + offs[i];
		if (out_row(o, vals, lens) < 0)
			break;
	}
	{
		int failed = out_finish(o) < 0;
		out_free(o);
		st = zout_finish(z, failed);
	}
out:
	buf_free(&b);
	fclose(r->tmp);
	if (r->rejz) {
		int rs = zout_finish(r->rejz, 0);
		if (rs && !st)
			st = rs;
	}
	buf_free(&r->rej_header);
	free(r);
	return st;
}
