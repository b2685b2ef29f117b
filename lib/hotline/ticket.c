/*
 * ticket.c - the fields of a 12345 ticket export and the normalisation of
 * one record (see ticket.h).
 */
#include "common.h"

#include <math.h>
#include <stdarg.h>

#include "buf.h"
#include "hotline/mask.h"
#include "hotline/ticket.h"
#include "hotline/words.h"
#include "rec.h"
#include "strnum.h"
#include "text.h"
#include "timeparse.h"

const char *const hotline_col_name[TK_NCOLS] = {
	"id", "received_at", "channel", "type", "category", "title", "content",
	"address", "caller", "phone", "urgent", "unit", "due_at", "status",
	"signed_at", "done_at", "reply", "result", "satisfaction",
	"revisited_at", "lat", "lon",
};

const struct rec_field hotline_fields[HF_NFIELDS] = {
	[TK_ID] = { "id", "工单编号|工单号|受理编号|编号|ticket_id|service_request_id", REC_F_REQUIRED },
	[TK_RECEIVED_AT] = { "received_at", "受理时间|来电时间|登记时间|创建时间|requested_datetime|created_at", REC_F_TIME },
	[TK_CHANNEL] = { "channel", "受理渠道|来源渠道|渠道|来电渠道|受理方式", 0 },
	[TK_TYPE] = { "type", "诉求类型|工单类型|来电类型|request_type", 0 },
	[TK_CATEGORY] = { "category", "诉求分类|问题分类|业务分类|工单分类|service_name", 0 },
	[TK_TITLE] = { "title", "诉求标题|工单标题|标题|主题", 0 },
	[TK_CONTENT] = { "content", "诉求内容|问题描述|来电内容|工单内容|内容|description", 0 },
	[TK_ADDRESS] = { "address", "诉求地址|事发地址|问题地址|地址", 0 },
	[TK_CALLER] = { "caller", "来电人|来电人姓名|诉求人|联系人|姓名", REC_F_PRIVATE },
	[TK_PHONE] = { "phone", "来电号码|联系电话|联系方式|电话|手机号码", REC_F_PRIVATE },
	[TK_URGENT] = { "urgent", "紧急程度|是否紧急|urgency", 0 },
	[TK_UNIT] = { "unit", "承办单位|责任单位|处置单位|办理单位|agency_responsible", 0 },
	[TK_DUE_AT] = { "due_at", "办理时限|截止时间|到期时间|deadline|expected_datetime", REC_F_TIME },
	[TK_STATUS] = { "status", "办理状态|工单状态|状态", 0 },
	[TK_SIGNED_AT] = { "signed_at", "签收时间|接单时间", REC_F_TIME },
	[TK_DONE_AT] = { "done_at", "办结时间|完成时间|答复时间|closed_at", REC_F_TIME },
	[TK_REPLY] = { "reply", "答复内容|回复内容|答复意见|status_notes", 0 },
	[TK_RESULT] = { "result", "办理结果|处理结果|处理意见", 0 },
	[TK_SATISFACTION] = { "satisfaction", "满意度|满意程度|回访评价|评价结果", 0 },
	[TK_REVISITED_AT] = { "revisited_at", "回访时间|评价时间", REC_F_TIME },
	[TK_LAT] = { "lat", "纬度|latitude", 0 },
	[TK_LON] = { "lon", "经度|long|longitude|lng", 0 },
	[HF_UPDATED] = { "updated", "更新时间|updated_datetime|updated_at", REC_F_TIME },
};

int hotline_col_masked(int c)
{
	return c == TK_CALLER || c == TK_PHONE || c == TK_TITLE ||
	       c == TK_CONTENT || c == TK_REPLY || c == TK_RESULT;
}

int hotline_col_time(int c)
{
	return c == TK_RECEIVED_AT || c == TK_DUE_AT || c == TK_SIGNED_AT ||
	       c == TK_DONE_AT || c == TK_REVISITED_AT;
}

void hotline_ticket_init(struct hotline_ticket *t)
{
	memset(t, 0, sizeof *t);
}

void hotline_ticket_free(struct hotline_ticket *t)
{
	buf_free(&t->data);
}

static void bad(struct hotline_ticket *t, const char *fmt, ...) ATTR_PRINTF(2, 3);
static void bad(struct hotline_ticket *t, const char *fmt, ...)
{
	va_list ap;

	if (t->reason[0])
		return; /* the first problem is the one reported */
	va_start(ap, fmt);
	vsnprintf(t->reason, sizeof t->reason, fmt, ap);
	va_end(ap);
}

/* At most 40 bytes of a value for a message, cut on a character. */
static int shown(const char *s, size_t n)
{
	return (int)text_cut(s, n, 40);
}

static void put(struct hotline_ticket *t, int c, const char *s, size_t n)
{
	t->off[c] = t->data.len;
	t->n[c] = n;
	buf_add(&t->data, s, n);
	buf_addc(&t->data, '\0');
	t->v[c] = ""; /* given; pointed into data at the end */
}

void hotline_mask_col(struct buf *b, int c, const char *s, size_t n)
{
	if (c == TK_CALLER)
		hotline_mask_name(b, s, n);
	else if (c == TK_PHONE)
		hotline_mask_phone(b, s, n);
	else if (hotline_col_masked(c))
		hotline_mask_text(b, s, n);
	else
		buf_add(b, s, n);
}

void hotline_coord_text(struct buf *b, double x)
{
	long long u = llround(fabs(x) * 1e7);
	char frac[8];
	int k = 7;

	for (int i = 6; i >= 0; i--) {
		frac[i] = (char)('0' + u % 10);
		u /= 10;
	}
	while (k > 0 && frac[k - 1] == '0')
		k--;
	buf_addf(b, "%s%lld", x < 0 && (u || k) ? "-" : "", u);
	if (k) {
		buf_addc(b, '.');
		buf_add(b, frac, (size_t)k);
	}
}

/* A time as the store keeps it, in text[]; -1 after bad(). */
static int norm_time(struct hotline_ticket *t, const struct hotline_norm *nm, int c,
		     const char *s, size_t n, char text[TIMEPARSE_TEXT_LEN])
{
	const char *why = NULL, *name = c < TK_NCOLS ? hotline_col_name[c] : "updated";
	int64_t v;

	if (timeparse_read(s, n, &nm->tpo, nm->src ? rec_date_format(nm->src, (size_t)c) : NULL,
			   &v, &why) < 0) {
		bad(t, "%s '%.*s': %s", name, shown(s, n), s,
		    why ? why : "unrecognised time");
		return -1;
	}
	if (c != TK_DUE_AT && v > nm->now + 86400) {
		bad(t, "%s '%.*s' is in the future", name, shown(s, n), s);
		return -1;
	}
	timeparse_format(v, nm->tpo.zone_min, text);
	return 0;
}

static void norm_coord(struct hotline_ticket *t, int c, const char *s, size_t n)
{
	double x, lim = c == TK_LAT ? 90 : 180;
	struct buf b = BUF_INIT;

	if (strnum_double(s, n, &x) < 0 || x < -lim || x > lim) {
		bad(t, "%s '%.*s' is not a %s", hotline_col_name[c], shown(s, n), s,
		    c == TK_LAT ? "latitude" : "longitude");
		return;
	}
	hotline_coord_text(&b, x);
	put(t, c, b.s, b.len);
	buf_free(&b);
}

static void norm_word(struct hotline_ticket *t, int c, const char *s, size_t n)
{
	int v;

	switch (c) {
	case TK_STATUS:
		if ((v = hotline_status_parse(s, n)) < 0)
			bad(t, "unknown status '%.*s'", shown(s, n), s);
		else
			put(t, c, hotline_status_name(v), strlen(hotline_status_name(v)));
		break;
	case TK_SATISFACTION:
		if ((v = hotline_sat_parse(s, n)) < 0)
			bad(t, "unknown satisfaction '%.*s' (非常满意, 满意, 基本满意, 不满意)",
			    shown(s, n), s);
		else if (v != HOTLINE_SAT_NONE)
			put(t, c, hotline_sat_name(v), strlen(hotline_sat_name(v)));
		break;
	case TK_URGENT:
		if ((v = hotline_urgent_parse(s, n)) < 0)
			bad(t, "unknown urgency '%.*s' (紧急 or 一般)", shown(s, n), s);
		else
			put(t, c, v ? "1" : "0", 1);
		break;
	default: {
		const char *canon = hotline_type_canon(s, n);
		if (canon)
			put(t, c, canon, strlen(canon));
		else
			put(t, c, s, n);
	}
	}
}

static void norm_field(struct hotline_ticket *t, const struct hotline_norm *nm, int c,
		       const char *s, size_t n)
{
	char text[TIMEPARSE_TEXT_LEN];

	if (hotline_col_time(c)) {
		if (norm_time(t, nm, c, s, n, text) == 0)
			put(t, c, text, strlen(text));
	} else if (c == TK_LAT || c == TK_LON) {
		norm_coord(t, c, s, n);
	} else if (c == TK_STATUS || c == TK_SATISFACTION || c == TK_URGENT ||
		   c == TK_TYPE) {
		norm_word(t, c, s, n);
	} else if (hotline_col_masked(c) && !nm->keep_pii) {
		struct buf b = BUF_INIT;
		hotline_mask_col(&b, c, s, n);
		put(t, c, buf_str(&b), b.len);
		buf_free(&b);
	} else {
		put(t, c, s, n);
	}
}

static int check_id(struct hotline_ticket *t, const char *s, size_t n)
{
	if (!s) {
		bad(t, "missing id");
		return -1;
	}
	if (n > HOTLINE_ID_MAX) {
		bad(t, "id longer than %d bytes", HOTLINE_ID_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			bad(t, "id holds a control character");
			return -1;
		}
	return 0;
}

/* A 64-bit multiply-rotate step over 8 bytes at a time: the raw hash runs
 * over every byte of every row of a re-sync, where FNV's byte at a time
 * would cost more than the lookup it saves. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w * 0x9E3779B97F4A7C15ULL;
	h = (h << 31 | h >> 33) * 0xC2B2AE3D27D4EB4FULL;
	return h;
}

static uint64_t mix_bytes(uint64_t h, const char *s, size_t n)
{
	uint64_t w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = mix(h, w);
	}
	w = 0;
	memcpy(&w, s, n);
	return mix(h, w ^ (uint64_t)n << 56);
}

uint64_t hotline_raw_hash(const struct rec *r, const struct hotline_norm *nm)
{
	const char *df = nm->tpo.date_format;
	uint64_t h = mix(HOTLINE_HASH_VERSION, (uint64_t)nm->keep_pii << 32 |
					  (uint64_t)(nm->tpo.zone_min + 100000));

	if (df)
		h = mix_bytes(h, df, strlen(df));
	for (int f = 0; f < HF_NFIELDS; f++) {
		if (!r->v[f])
			continue;
		h = mix(h, (uint64_t)f << 40 | r->len[f]);
		h = mix_bytes(h, r->v[f], r->len[f]);
	}
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	return h;
}

int hotline_ticket_read(struct hotline_ticket *t, const struct hotline_norm *nm,
		   const struct rec *r)
{
	size_t upd_off = 0, upd_n = 0;

	buf_reset(&t->data);
	t->reason[0] = '\0';
	for (int c = 0; c < TK_NCOLS; c++)
		t->v[c] = NULL;
	for (int c = 0; c < HF_NFIELDS && !t->reason[0]; c++) {
		const char *s = r->v[c];
		size_t n = r->len[c];
		if (s)
			text_trim(&s, &n);
		if (s && n == 0)
			s = NULL;
		if (c == TK_ID && check_id(t, s, n) < 0)
			break;
		if (!s)
			continue;
		if (c == HF_UPDATED) {
			char text[TIMEPARSE_TEXT_LEN];
			if (norm_time(t, nm, c, s, n, text) == 0) {
				upd_off = t->data.len;
				upd_n = strlen(text);
				buf_add(&t->data, text, upd_n + 1);
			}
			continue;
		}
		norm_field(t, nm, c, s, n);
	}
	if (t->reason[0])
		return -1;
	/* Open311 closes a request with its updated time only */
	if (upd_n && !t->v[TK_DONE_AT] && t->v[TK_STATUS]) {
		if (hotline_status_done(hotline_status_by_name(t->data.s + t->off[TK_STATUS]))) {
			t->off[TK_DONE_AT] = upd_off;
			t->n[TK_DONE_AT] = upd_n;
			t->v[TK_DONE_AT] = "";
		}
	}
	for (int c = 0; c < TK_NCOLS; c++)
		if (t->v[c])
			t->v[c] = t->data.s + t->off[c];
	return 0;
}
