#include "common.h"

#include <stdarg.h>

#include "buf.h"
#include "rec.h"
#include "strnum.h"
#include "text.h"
#include "timeparse.h"
#include "case/case.h"
#include "case/normalise.h"
#include "case/taxonomy.h"

const struct rec_field import_fields[NFIELDS] = {
	[F_ID] = { "id", "案件编号|案卷编号|工单编号|案件号|案卷号|编号|case_id|unique_key|service_request_id|service_request_num|case_enquiry_id|sr_number|request_id", REC_F_REQUIRED },
	[F_SOURCE] = { "source", "来源|案件来源|问题来源|上报渠道|method_received|open_data_channel_type", 0 },
	[F_KIND] = { "kind", "问题类型|案件类型|案卷类型", 0 },
	[F_CLASS_CODE] = { "class_code", "小类编码|类别编码|分类编码|问题编码", 0 },
	[F_BIG_CLASS] = { "big_class", "大类|问题大类|大类名称|案件大类|complaint_type|sr_type|reason|service_name", 0 },
	[F_SMALL_CLASS] = { "small_class", "小类|问题小类|小类名称|案件小类|descriptor|type|subtype", 0 },
	[F_CATEGORY] = { "category", "类别|案件类别|问题类别", 0 },
	[F_DESCRIPTION] = { "description", "问题描述|诉求内容|案件描述|描述|内容|case_title|resolution_description", 0 },
	[F_ADDRESS] = { "address", "问题地址|事发地址|案件地址|地址|位置描述|incident_address|location", 0 },
	[F_DISTRICT] = { "district", "区县|所属区县|区域|borough", 0 },
	[F_STREET] = { "street", "街道|所属街道|乡镇|街道办事处|街乡", 0 },
	[F_COMMUNITY] = { "community", "社区|所属社区|居委会|村社区|neighborhood", 0 },
	[F_GRID] = { "grid", "网格|单元网格|网格编码|网格号", 0 },
	[F_LON] = { "lon", "经度|longitude|lng|x坐标", 0 },
	[F_LAT] = { "lat", "纬度|latitude|y坐标", 0 },
	[F_OBJECT_ID] = { "object_id", "部件编号|部件标识|部件标识码|对象编号", 0 },
	[F_REPORTER] = { "reporter", "上报人|监督员|采集员|信息采集员|上报人员", 0 },
	[F_REPORTED_AT] = { "reported_at", "上报时间|发现时间|受理时间|created_date|created_at|创建时间|open_dt|opened_date|requested_datetime|date_created", REC_F_REQUIRED | REC_F_TIME },
	[F_REGISTERED_AT] = { "registered_at", "立案时间", REC_F_TIME },
	[F_DISPATCHED_AT] = { "dispatched_at", "派遣时间|派单时间", REC_F_TIME },
	[F_HANDLED_AT] = { "handled_at", "处置时间|处理时间|处置完成时间|反馈时间", REC_F_TIME },
	[F_CLOSED_AT] = { "closed_at", "结案时间|closed_date|关闭时间|close_date|closed_dt|date_closed|resolved_date", REC_F_TIME },
	[F_DUE_AT] = { "due_at", "处置时限|办理时限|截止时间|应结案时间|due_date|deadline|sla_target_dt|target_date", REC_F_TIME },
	[F_STATE] = { "state", "status|案件状态|办理状态|状态|案卷状态|sr_status|case_status|request_status", 0 },
	[F_UNIT] = { "unit", "处置单位|责任单位|承办单位|权属单位|处置部门|agency|department|agency_responsible", 0 },
	[F_SELF_DISPOSED] = { "self_disposed", "自行处置|简易处置|是否自行处置", 0 },
	[F_REWORKS] = { "reworks", "返工次数", 0 },
	[F_POSTPONEMENTS] = { "postponements", "延期次数", 0 },
	[F_TICKET_ID] = { "ticket_id", "12345工单号|热线工单号|热线编号", 0 },
};

const char *const crow_time_names[CROW_NTIMES] = {
	"reported_at", "registered_at", "dispatched_at", "handled_at",
	"closed_at", "due_at",
};
static const int time_fields[CROW_NTIMES] = {
	F_REPORTED_AT, F_REGISTERED_AT, F_DISPATCHED_AT, F_HANDLED_AT,
	F_CLOSED_AT, F_DUE_AT,
};
const int crow_time_cols[CROW_NTIMES] = {
	T_REPORTED_AT, T_REGISTERED_AT, T_DISPATCHED_AT, T_HANDLED_AT,
	T_CLOSED_AT, T_DUE_AT,
};

/* The input's values of one record, trimmed; NULL when empty. */
struct fields {
	const char *v[NFIELDS];
	size_t len[NFIELDS];
};

/* The row being made and the buffer its text goes to. */
struct maker {
	const struct normaliser *n;
	struct crow *row;
	struct buf *data;
};

static void put(struct maker *m, int col, const char *s, size_t len)
{
	m->row->off[col] = (uint32_t)m->data->len;
	m->row->len[col] = (uint32_t)len;
	buf_add(m->data, s, len);
}

static void put_str(struct maker *m, int col, const char *s)
{
	put(m, col, s, strlen(s));
}

/* Refuse the row; the first reason is the one reported.  Returns -1. */
static int bad(struct maker *m, const char *fmt, ...) ATTR_PRINTF(2, 3);
static int bad(struct maker *m, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (m->row->bad)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	m->row->bad = 1;
	put_str(m, T_REASON, msg);
	return -1;
}

/* A value shortened for a message: at most 40 bytes, cut on a UTF-8
 * boundary; use as "%.*s", SHOWN(f, i). */
static int shown_len(const char *s, size_t n)
{
	size_t k = n > 40 ? 40 : n;
	while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return (int)k;
}
#define SHOWN(f, i) shown_len((f)->v[i], (f)->len[i]), (f)->v[i]

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

/* Exports' words for a state, and whether they mean self-disposal. */
struct state_word {
	const char *w;
	enum case_state st;
	int self;
};

static const struct state_word state_words[] = {
	{ "待受理", CASE_REPORTED, 0 }, { "待立案", CASE_REPORTED, 0 },
	{ "已上报", CASE_REPORTED, 0 }, { "上报", CASE_REPORTED, 0 },
	{ "已立案", CASE_REGISTERED, 0 }, { "立案", CASE_REGISTERED, 0 },
	{ "已受理", CASE_REGISTERED, 0 }, { "待派遣", CASE_REGISTERED, 0 },
	{ "已派遣", CASE_DISPATCHED, 0 }, { "派遣", CASE_DISPATCHED, 0 },
	{ "待处置", CASE_DISPATCHED, 0 }, { "待签收", CASE_DISPATCHED, 0 },
	{ "处置中", CASE_HANDLING, 0 }, { "处理中", CASE_HANDLING, 0 },
	{ "办理中", CASE_HANDLING, 0 }, { "已签收", CASE_HANDLING, 0 },
	{ "已处置", CASE_HANDLED, 0 }, { "待核查", CASE_HANDLED, 0 },
	{ "已处理", CASE_HANDLED, 0 }, { "待结案", CASE_HANDLED, 0 },
	{ "已结案", CASE_CLOSED, 0 }, { "结案", CASE_CLOSED, 0 },
	{ "已办结", CASE_CLOSED, 0 }, { "办结", CASE_CLOSED, 0 },
	{ "已关闭", CASE_CLOSED, 0 }, { "已完成", CASE_CLOSED, 0 },
	{ "自行处置", CASE_CLOSED, 1 }, { "简易处置", CASE_CLOSED, 1 },
	{ "缓办", CASE_PARKED, 0 }, { "挂账", CASE_PARKED, 0 },
	{ "缓办/挂账", CASE_PARKED, 0 }, { "作废", CASE_VOID, 0 },
	{ "已作废", CASE_VOID, 0 }, { "不予立案", CASE_VOID, 0 },
	{ "reported", CASE_REPORTED, 0 }, { "new", CASE_REPORTED, 0 },
	{ "draft", CASE_REPORTED, 0 }, { "registered", CASE_REGISTERED, 0 },
	{ "open", CASE_REGISTERED, 0 }, { "pending", CASE_REGISTERED, 0 },
	{ "dispatched", CASE_DISPATCHED, 0 }, { "assigned", CASE_DISPATCHED, 0 },
	{ "handling", CASE_HANDLING, 0 }, { "in progress", CASE_HANDLING, 0 },
	{ "started", CASE_HANDLING, 0 }, { "handled", CASE_HANDLED, 0 },
	{ "closed", CASE_CLOSED, 0 }, { "resolved", CASE_CLOSED, 0 },
	{ "completed", CASE_CLOSED, 0 }, { "self_disposed", CASE_CLOSED, 1 },
	{ "parked", CASE_PARKED, 0 }, { "void", CASE_VOID, 0 },
	{ "cancelled", CASE_VOID, 0 }, { "canceled", CASE_VOID, 0 },
	{ "duplicate", CASE_VOID, 0 }, { "rejected", CASE_VOID, 0 },
	{ "closed (duplicate)", CASE_VOID, 0 }, { "open (duplicate)", CASE_VOID, 0 },
	{ "new (duplicate)", CASE_VOID, 0 }, { "closed (transferred)", CASE_CLOSED, 0 },
	{ "email sent", CASE_DISPATCHED, 0 }, { "transferred", CASE_DISPATCHED, 0 },
	{ "on hold", CASE_PARKED, 0 }, { "deferred", CASE_PARKED, 0 },
	{ "in-progress", CASE_HANDLING, 0 }, { "acknowledged", CASE_REGISTERED, 0 },
	{ "submitted", CASE_REPORTED, 0 }, { "received", CASE_REGISTERED, 0 },
	{ "closed (duplicate)", CASE_VOID, 0 }, { "archived", CASE_CLOSED, 0 },
	{ "completed (duplicate)", CASE_VOID, 0 }, { "invalid", CASE_VOID, 0 },
	{ "withdrawn", CASE_VOID, 0 }, { "overdue", CASE_HANDLING, 0 },
	{ NULL, 0, 0 },
};

#define STATE_UNKNOWN (-1)
#define STATE_FROM_TIMES (-2)   /* "unspecified": derive it from the times */

static int parse_state(const char *s, size_t n, int *self)
{
	*self = 0;
	if (n == 1 && s[0] >= '1' && s[0] <= '8')
		return s[0] - '1';
	if (ieq(s, n, "unspecified") || ieq(s, n, "unknown"))
		return STATE_FROM_TIMES;
	for (const struct state_word *w = state_words; w->w; w++)
		if (ieq(s, n, w->w)) {
			*self = w->self;
			return (int)w->st;
		}
	return STATE_UNKNOWN;
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

/* A time of input field f: in --date-format, else in the form rec
 * detected for its column, and in any standard form too. */
static int parse_time(const struct normaliser *n, int f, const char *s, size_t len,
		      int64_t *t, const char **why)
{
	const char *detected = n->src ? rec_date_format(n->src, (size_t)f) : NULL;

	return timeparse_read(s, len, n->tpo, detected, t, why);
}

/* The id and the times; 0 or -1 (the row is bad). */
static int norm_id_times(struct maker *m, const struct fields *f)
{
	int64_t t[CROW_NTIMES];
	int has[CROW_NTIMES];

	if (!f->v[F_ID])
		return bad(m, "missing id");
	if (f->len[F_ID] > 256)
		return bad(m, "id longer than 256 bytes");
	put(m, T_ID, f->v[F_ID], f->len[F_ID]);
	for (int i = 0; i < CROW_NTIMES; i++) {
		const char *why = NULL;
		int fi = time_fields[i], canon;
		char txt[TIMEPARSE_TEXT_LEN];
		has[i] = f->v[fi] != NULL;
		if (!has[i] && i == 0)
			return bad(m, "missing reported_at");
		if (!has[i])
			continue;
		/* in the store's own form: read fast and kept as it is */
		canon = !m->n->tpo->date_format &&
			timeparse_canonical(f->v[fi], f->len[fi], m->n->tpo->zone_min, &t[i]) == 0;
		if (!canon && parse_time(m->n, fi, f->v[fi], f->len[fi], &t[i], &why) < 0)
			return bad(m, "%s '%.*s': %s", crow_time_names[i], SHOWN(f, fi),
				   why ? why : "unrecognised time");
		if (i < 5 && t[i] > m->n->now + 86400)
			return bad(m, "%s '%.*s' is in the future", crow_time_names[i],
				   SHOWN(f, fi));
		if (canon) {
			put(m, crow_time_cols[i], f->v[fi], f->len[fi]);
			continue;
		}
		timeparse_format(t[i], m->n->tpo->zone_min, txt);
		put(m, crow_time_cols[i], txt, TIMEPARSE_TEXT_LEN - 1);
	}
	m->row->t_reported = t[0];
	for (int i = 1; i < 5; i++)
		if (has[i] && t[i] < t[0])
			m->row->warn_order = i;
	return 0;
}

static int norm_coords(struct maker *m, const struct fields *f)
{
	double lon = 0, lat = 0;

	if (!f->v[F_LON] && !f->v[F_LAT])
		return 0;
	if (!f->v[F_LON] || !f->v[F_LAT])
		return bad(m, "%s without %s", f->v[F_LON] ? "lon" : "lat",
			   f->v[F_LON] ? "lat" : "lon");
	if (strnum_double(f->v[F_LON], f->len[F_LON], &lon) < 0)
		return bad(m, "lon '%.*s' is not a number", SHOWN(f, F_LON));
	if (strnum_double(f->v[F_LAT], f->len[F_LAT], &lat) < 0)
		return bad(m, "lat '%.*s' is not a number", SHOWN(f, F_LAT));
	if (lon < -180 || lon > 180)
		return bad(m, "lon '%.*s' out of range (-180 to 180)", SHOWN(f, F_LON));
	if (lat < -90 || lat > 90)
		return bad(m, "lat '%.*s' out of range (-90 to 90)", SHOWN(f, F_LAT));
	if (!(lon == 0 && lat == 0)) { /* 0,0 is how exports say "none" */
		m->row->has_xy = 1;
		m->row->lon = lon;
		m->row->lat = lat;
	}
	return 0;
}

/* The class a code or name resolves to through the taxonomy; NULL with
 * *amb set when it names classes of both kinds. */
static const struct taxonomy_class *find_class(const struct taxonomy *tax, enum taxonomy_kind k,
					  const struct fields *f, int *amb)
{
	const struct taxonomy_class *cls = NULL;
	int a1 = 0, a2 = 0;

	if (f->v[F_CLASS_CODE]) {
		cls = taxonomy_by_code(tax, k, f->v[F_CLASS_CODE], f->len[F_CLASS_CODE], &a1);
		if (!cls && !a1) /* a name in the code column */
			cls = taxonomy_by_name(tax, k, f->v[F_CLASS_CODE], f->len[F_CLASS_CODE], &a2);
	}
	if (!cls && f->v[F_SMALL_CLASS]) {
		int a3 = 0;
		cls = taxonomy_by_name(tax, k, f->v[F_SMALL_CLASS], f->len[F_SMALL_CLASS], &a3);
		if (!cls && !a3)
			cls = taxonomy_by_code(tax, k, f->v[F_SMALL_CLASS], f->len[F_SMALL_CLASS], &a3);
		a2 |= a3;
	}
	*amb = !cls && (a1 || a2);
	return cls;
}

/* A class the taxonomy does not know: kept as the export gives it, the big
 * class spelled as the taxonomy spells it. */
static void unknown_class(struct maker *m, const struct fields *f, int kind)
{
	const char *big = f->v[F_BIG_CLASS];
	size_t bl = f->len[F_BIG_CLASS];

	if (!big && f->v[F_CATEGORY] && !eq(f->v[F_CATEGORY], f->len[F_CATEGORY], "部件")) {
		big = f->v[F_CATEGORY];
		bl = f->len[F_CATEGORY];
	}
	if (f->v[F_CLASS_CODE])
		put(m, T_CLASS_CODE, f->v[F_CLASS_CODE], f->len[F_CLASS_CODE]);
	if (f->v[F_SMALL_CLASS])
		put(m, T_SMALL_CLASS, f->v[F_SMALL_CLASS], f->len[F_SMALL_CLASS]);
	if (big) {
		const char *canon = taxonomy_big_class(m->n->tax, (enum taxonomy_kind)kind, big, bl);
		if (canon)
			put_str(m, T_BIG_CLASS, canon);
		else
			put(m, T_BIG_CLASS, big, bl);
	}
}

/* Kind, class, big class and the report's category: none when the record
 * names none of them. */
static int norm_class(struct maker *m, const struct fields *f)
{
	const struct taxonomy_class *cls;
	int kind = -1, amb;

	if (!f->v[F_KIND] && !f->v[F_CLASS_CODE] && !f->v[F_SMALL_CLASS] &&
	    !f->v[F_BIG_CLASS] && !f->v[F_CATEGORY])
		return 0;
	if (f->v[F_KIND] && (kind = taxonomy_kind_parse(f->v[F_KIND], f->len[F_KIND])) < 0)
		return bad(m, "unknown kind '%.*s' (部件/component or 事件/event)",
			   SHOWN(f, F_KIND));
	if (kind < 0 && f->v[F_CATEGORY] && eq(f->v[F_CATEGORY], f->len[F_CATEGORY], "部件"))
		kind = TAXONOMY_COMPONENT;
	cls = find_class(m->n->tax, kind < 0 ? TAXONOMY_ANY : (enum taxonomy_kind)kind, f, &amb);
	if (amb) {
		int i = f->v[F_CLASS_CODE] ? F_CLASS_CODE : F_SMALL_CLASS;
		return bad(m, "class '%.*s' is both a component and an event class: give the kind",
			   SHOWN(f, i));
	}
	if (cls) {
		kind = cls->kind;
		put_str(m, T_CLASS_CODE, cls->code);
		put_str(m, T_SMALL_CLASS, cls->name);
		put_str(m, T_BIG_CLASS, cls->big_class);
	} else {
		if (kind < 0)
			kind = TAXONOMY_EVENT;
		unknown_class(m, f, kind);
	}
	put_str(m, T_KIND, kind == TAXONOMY_COMPONENT ? "component" : "event");
	if (kind == TAXONOMY_COMPONENT) {
		put_str(m, T_CATEGORY, "部件");
	} else if (m->row->len[T_BIG_CLASS] != CROW_NONE) {
		m->row->off[T_CATEGORY] = m->row->off[T_BIG_CLASS];
		m->row->len[T_CATEGORY] = m->row->len[T_BIG_CLASS];
	}
	return 0;
}

/* The state, self-disposal and the two counters. */
static int norm_state(struct maker *m, const struct fields *f)
{
	static const int counters[2] = { F_REWORKS, F_POSTPONEMENTS };
	int *dst[2] = { &m->row->reworks, &m->row->postponements };
	int st = STATE_FROM_TIMES, self = 0;

	if (f->v[F_STATE] &&
	    (st = parse_state(f->v[F_STATE], f->len[F_STATE], &self)) == STATE_UNKNOWN)
		return bad(m, "unknown state '%.*s'", SHOWN(f, F_STATE));
	if (st < 0 && m->row->len[T_CLOSED_AT] != CROW_NONE)
		st = CASE_CLOSED;
	if (st >= 0)
		put_str(m, T_STATE, case_states[st].name);
	m->row->self_disposed = f->v[F_STATE] ? self : CROW_ABSENT;
	m->row->reworks = m->row->postponements = CROW_ABSENT;
	if (f->v[F_SELF_DISPOSED]) {
		int b = parse_bool(f->v[F_SELF_DISPOSED], f->len[F_SELF_DISPOSED]);
		if (b < 0)
			return bad(m, "self_disposed '%.*s' is not yes or no",
				   SHOWN(f, F_SELF_DISPOSED));
		m->row->self_disposed = b || self;
	}
	for (int i = 0; i < 2; i++) {
		char tmp[24];
		const char *why;
		int fi = counters[i];
		if (!f->v[fi])
			continue;
		if (f->len[fi] >= sizeof tmp)
			return bad(m, "%s '%.*s' is not a count", import_fields[fi].name, SHOWN(f, fi));
		memcpy(tmp, f->v[fi], f->len[fi]);
		tmp[f->len[fi]] = '\0';
		*dst[i] = (int)strnum_ll(tmp, 0, 1000000, &why);
		if (why)
			return bad(m, "%s '%s' is not a count", import_fields[fi].name, tmp);
	}
	return 0;
}

/* The columns stored as they come. */
static void norm_plain(struct maker *m, const struct fields *f)
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
		if (f->v[plain[i][0]])
			put(m, plain[i][1], f->v[plain[i][0]], f->len[plain[i][0]]);
	if (!f->v[F_SOURCE] && m->n->source)
		put_str(m, T_SOURCE, m->n->source);
}

void normalise_record(const struct normaliser *n, const struct rec *in, int rc,
		      struct crow *row, struct buf *data,
		      void (*raw_csv)(void *ctx, struct buf *out), void *ctx)
{
	struct maker m = { n, row, data };
	struct fields f;

	memset(row, 0, sizeof *row);
	for (int i = 0; i < NTEXT; i++)
		row->len[i] = CROW_NONE;
	row->line = in->line;
	if (rc == 2) {
		bad(&m, "%s", in->reason);
	} else {
		for (int i = 0; i < NFIELDS; i++) {
			f.v[i] = in->v[i];
			f.len[i] = in->len[i];
			if (f.v[i]) {
				text_trim(&f.v[i], &f.len[i]);
				if (f.len[i] == 0)
					f.v[i] = NULL;
			}
		}
		if (norm_id_times(&m, &f) == 0 && norm_coords(&m, &f) == 0 &&
		    norm_class(&m, &f) == 0 && norm_state(&m, &f) == 0)
			norm_plain(&m, &f);
	}
	if (row->bad) {
		struct buf raw = BUF_INIT;
		raw_csv(ctx, &raw);
		put(&m, T_RAW, buf_str(&raw), raw.len);
		buf_free(&raw);
	}
}

const char *crow_col(const struct crow *row, const struct buf *data, int c,
		     size_t *len)
{
	if (row->len[c] == CROW_NONE) {
		*len = 0;
		return NULL;
	}
	*len = row->len[c];
	return data->s + row->off[c];
}
