/* hotline: the words of ticket exports, masking, deadlines, the
 * normalisation of a record and its raw hash, and the merge of a row into
 * a stored ticket. */
#include "common.h"

#include "buf.h"
#include "calendar.h"
#include "hotline/deadline.h"
#include "hotline/mask.h"
#include "hotline/ticket.h"
#include "hotline/upsert.h"
#include "hotline/words.h"
#include "tap.h"
#include "timeparse.h"

static void test_words(void)
{
	static const struct { const char *w; int st; } statuses[] = {
		{ "待签收", HOTLINE_RECEIVED }, { "  已受理　", HOTLINE_RECEIVED }, { "OPEN", HOTLINE_RECEIVED },
		{ "已签收", HOTLINE_SIGNED }, { "办理中", HOTLINE_HANDLING }, { "In_Progress", HOTLINE_HANDLING },
		{ "in-progress", HOTLINE_HANDLING }, { "延期", HOTLINE_POSTPONED }, { "已退回", HOTLINE_RETURNED },
		{ "已办结", HOTLINE_DONE }, { "Closed", HOTLINE_DONE }, { "已回访", HOTLINE_REVISITED },
		{ "revisited", HOTLINE_REVISITED }, { "待审核", -1 }, { "", -1 }, { "done it", -1 },
	};
	const char *bad;
	size_t badn;
	unsigned mask;

	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		is_int(hotline_status_parse(statuses[i].w, strlen(statuses[i].w)), statuses[i].st,
		       "status '%s'", statuses[i].w);
	is_str(hotline_status_name(HOTLINE_POSTPONED), "postponed", "status name");
	is_str(hotline_status_zh(HOTLINE_DONE), "已办结", "status in Chinese");
	ok(hotline_status_done(HOTLINE_REVISITED) && !hotline_status_done(HOTLINE_RETURNED), "done and revisited are done");
	is_int(hotline_sat_parse("非常满意", 12), HOTLINE_SAT_VERY, "非常满意");
	is_int(hotline_sat_parse("满意", 6), HOTLINE_SAT_SATISFIED, "满意 is not 非常满意");
	is_int(hotline_sat_parse("未回访", 9), HOTLINE_SAT_NONE, "未回访 is no value");
	is_int(hotline_sat_parse("很好", 6), -1, "很好 is unknown");
	ok(hotline_sat_list("非常满意，满意,basically_satisfied", &mask, &bad, &badn) == 0 &&
	   mask == HOTLINE_SAT_DEFAULT, "a list of levels, with a full-width comma");
	ok(hotline_sat_list("满意,很好", &mask, &bad, &badn) < 0 && badn == 6 &&
	   strncmp(bad, "很好", badn) == 0, "the unknown level is named");
	is_str(hotline_type_canon("Complaint", 9), "投诉", "an English type");
	ok(hotline_type_canon("表扬", 6) == NULL, "another type is not canonical");
	is_int(hotline_urgent_parse("特急", 6), 1, "特急 is urgent");
	is_int(hotline_urgent_parse("一般", 6), 0, "一般 is not");
	is_int(hotline_urgent_parse("maybe", 5), -1, "maybe is unknown");
}

static void mask_is(void (*fn)(struct buf *, const char *, size_t), const char *in,
		    const char *want)
{
	struct buf b = BUF_INIT, again = BUF_INIT;

	fn(&b, in, strlen(in));
	is_str(buf_str(&b), want, "mask '%s'", in);
	fn(&again, buf_str(&b), b.len);
	is_str(buf_str(&again), want, "masking '%s' again changes nothing", want);
	buf_free(&b);
	buf_free(&again);
}

static void text_mask(struct buf *b, const char *s, size_t n)
{
	hotline_mask_text(b, s, n);
}

static void test_mask(void)
{
	mask_is(hotline_mask_name, "张三", "张*");
	mask_is(hotline_mask_name, "欧阳娜娜", "欧***");
	mask_is(hotline_mask_name, "张", "*");
	mask_is(hotline_mask_name, "", "");
	mask_is(hotline_mask_name, "Li Lei", "L*****");
	mask_is(hotline_mask_phone, "13812345678", "138****5678");
	mask_is(hotline_mask_phone, "138-1234-5678", "138-****-5678");
	mask_is(hotline_mask_phone, "0375-5012345", "037*-***2345");
	mask_is(hotline_mask_phone, "5012345", "*****45");
	mask_is(hotline_mask_phone, "110", "***");
	mask_is(text_mask, "请回电13812345678谢谢", "请回电138****5678谢谢");
	mask_is(text_mask, "单号138123456789不是手机", "单号138123456789不是手机");
	mask_is(text_mask, "12812345678 and 13812345678", "12812345678 and 138****5678");
	mask_is(text_mask, "13812345678", "138****5678");
}

static int64_t at(const char *s)
{
	struct timeparse_opts o = { NULL, 480 };
	int64_t t = 0;

	timeparse_parse(s, strlen(s), &o, &t, NULL);
	return t;
}

static void due_is(const struct hotline_limits *l, const struct calendar *c,
		   const char *received, const char *type, int urgent,
		   const char *want, const char *want_rule)
{
	int64_t due;
	char text[TIMEPARSE_TEXT_LEN] = "", rule[64] = "";

	if (hotline_due(l, c, 480, at(received), type, urgent, &due, rule, sizeof rule) == 1)
		timeparse_format(due, 480, text);
	is_str(want ? text : (text[0] ? text : NULL), want, "%s %s%s", received,
	       type ? type : "(no type)", urgent ? " urgent" : "");
	if (want_rule)
		is_str(rule, want_rule, "  by the rule %s", want_rule);
}

static void test_deadlines(void)
{
	struct calendar *c = NULL;
	struct hotline_limits *l = NULL;

	if (calendar_load(&c, NULL, NULL) != 0 || hotline_limits_load(&l, NULL) != 0) {
		ok(0, "the built-in calendar and limits load");
		return;
	}
	/* 国庆 2023: 29 Sep - 6 Oct off, 7 and 8 Oct make-up days */
	due_is(l, c, "2023-09-28 09:00", "咨询", 0, "2023-10-09 09:00:00", "咨询 3wd");
	due_is(l, c, "2023-09-28 10:00", "投诉", 0, "2023-10-25 10:00:00", "投诉 15wd");
	due_is(l, c, "2023-09-30 10:00", "求助", 0, "2023-10-09 10:00:00", NULL); /* 7, 8, 9 Oct */
	/* 元旦 2024 */
	due_is(l, c, "2023-12-29 09:00", "建议", 0, "2024-01-22 09:00:00", NULL);
	/* urgent: 18:00 the same day, or the next when it came in later */
	due_is(l, c, "2023-10-08 16:00", "求助", 1, "2023-10-08 18:00:00", "urgent 18:00");
	due_is(l, c, "2023-10-08 18:00", "投诉", 1, "2023-10-09 18:00:00", NULL);
	due_is(l, c, "2023-10-01 23:59", NULL, 1, "2023-10-02 18:00:00", NULL);
	due_is(l, c, "2023-10-08 16:00", "表扬", 0, NULL, NULL);
	due_is(l, c, "2023-10-08 16:00", NULL, 0, NULL, NULL);
	hotline_limits_free(l);
	calendar_free(c);
}

/* A record of the input fields: name=value pairs. */
static void rec_of(struct rec *r, const char **v, size_t *len, const char *const *kv)
{
	memset(r, 0, sizeof *r);
	for (int f = 0; f < HF_NFIELDS; f++) {
		v[f] = NULL;
		len[f] = 0;
	}
	for (; *kv; kv += 2)
		for (int f = 0; f < HF_NFIELDS; f++)
			if (strcmp(hotline_fields[f].name, kv[0]) == 0) {
				v[f] = kv[1];
				len[f] = strlen(kv[1]);
			}
	r->v = v;
	r->len = len;
	r->line = 2;
}

static void test_normalise(void)
{
	static const char *const row[] = {
		"id", " T1 ", "received_at", "2023年9月28日 9时05分", "status", "已办结",
		"caller", "张三", "phone", "13812345678", "content", "　请回电13987654321　",
		"urgent", "是", "satisfaction", "未回访", "lat", "33.7460001", "lon", "112.906",
		"type", "complaint", NULL,
	};
	static const char *const open311[] = {
		"id", "S1", "received_at", "2010-04-14T06:37:38-08:00", "status", "closed",
		"updated", "2010-04-15T06:00:00-08:00", NULL,
	};
	struct hotline_norm nm = { { NULL, 480 }, NULL, 0, 2000000000 };
	struct hotline_ticket t;
	struct rec r, r2;
	const char *v[HF_NFIELDS];
	size_t len[HF_NFIELDS];
	uint64_t h;

	hotline_ticket_init(&t);
	rec_of(&r, v, len, row);
	ok(hotline_ticket_read(&t, &nm, &r) == 0, "a good record reads: %s", t.reason);
	is_str(t.v[TK_ID], "T1", "the id, trimmed");
	is_str(t.v[TK_RECEIVED_AT], "2023-09-28 09:05:00", "a Chinese time");
	is_str(t.v[TK_STATUS], "done", "the status");
	is_str(t.v[TK_CALLER], "张*", "the caller, masked");
	is_str(t.v[TK_PHONE], "138****5678", "the number, masked");
	is_str(t.v[TK_CONTENT], "请回电139****4321", "the content, trimmed and masked");
	is_str(t.v[TK_URGENT], "1", "urgent");
	ok(t.v[TK_SATISFACTION] == NULL, "未回访: no satisfaction");
	is_str(t.v[TK_LAT], "33.7460001", "a latitude");
	is_str(t.v[TK_LON], "112.906", "a longitude, no trailing zeros");
	is_str(t.v[TK_TYPE], "投诉", "the type");
	ok(t.v[TK_UNIT] == NULL, "a field not given is NULL");
	h = hotline_raw_hash(&r, &nm);
	ok(h == hotline_raw_hash(&r, &nm), "the raw hash is stable");
	nm.keep_pii = 1;
	ok(h != hotline_raw_hash(&r, &nm), "--keep-pii hashes otherwise");
	ok(hotline_ticket_read(&t, &nm, &r) == 0 && strcmp(t.v[TK_PHONE], "13812345678") == 0,
	   "--keep-pii keeps the number");
	nm.keep_pii = 0;
	len[TK_CONTENT]--;
	ok(h != hotline_raw_hash(&r, &nm), "a byte less, another hash");
	rec_of(&r2, v, len, open311);
	ok(hotline_ticket_read(&t, &nm, &r2) == 0, "an Open311 request reads");
	is_str(t.v[TK_RECEIVED_AT], "2010-04-14 22:37:38", "from -08:00 to the store's zone");
	is_str(t.v[TK_DONE_AT], "2010-04-15 22:00:00", "closed: done at its updated time");
	v[TK_RECEIVED_AT] = "2023-02-30";
	len[TK_RECEIVED_AT] = 10;
	ok(hotline_ticket_read(&t, &nm, &r2) < 0 &&
	   strcmp(t.reason, "received_at '2023-02-30': invalid date") == 0,
	   "a bad date is a reason: %s", t.reason);
	hotline_ticket_free(&t);
}

static void test_merge(void)
{
	static const char *const first[] = {
		"id", "M1", "received_at", "2023-09-28 09:00", "type", "咨询", "caller", "张三",
		"category", "市容环境", "status", "已签收", NULL,
	};
	static const char *const later[] = {
		"id", "M1", "caller", "张三", "done_at", "2023-10-09 11:00", NULL,
	};
	struct hotline_norm nm = { { NULL, 480 }, NULL, 0, 2000000000 };
	struct calendar *c = NULL;
	struct hotline_limits *l = NULL;
	struct hotline_merge_ctx mc;
	struct hotline_stored a, b;
	struct hotline_ticket t;
	struct rec r;
	const char *v[HF_NFIELDS];
	size_t len[HF_NFIELDS];
	int changed = 0;

	calendar_load(&c, NULL, NULL);
	hotline_limits_load(&l, NULL);
	mc.limits = l;
	mc.cal = c;
	mc.zone_min = 480;
	hotline_ticket_init(&t);
	hotline_stored_init(&a);
	hotline_stored_init(&b);
	rec_of(&r, v, len, first);
	hotline_ticket_read(&t, &nm, &r);
	hotline_merge(&a, NULL, &t, &mc);
	is_str(a.v[TK_DUE_AT], "2023-10-09 09:00:00", "a new ticket's deadline");
	is_str(a.due_rule, "咨询 3wd", "and its rule");
	a.alert = xstrdup("overdue");
	rec_of(&r, v, len, later);
	hotline_ticket_read(&t, &nm, &r);
	hotline_merge(&b, &a, &t, &mc);
	for (int k = 0; k < TK_NCOLS; k++)
		if (hotline_stored_diff(&a, &b, k))
			changed |= 1 << k;
	is_int(changed, (1 << TK_DONE_AT) | (1 << TK_STATUS), "only done_at and the status change");
	is_str(b.v[TK_STATUS], "done", "a done_at and no status: done");
	is_str(b.v[TK_CATEGORY], "市容环境", "a field not given is kept");
	is_str(b.v[TK_CALLER], "张*", "the same caller unmasked is no change");
	is_str(b.alert, "overdue", "the deadline did not change: nor did its alert");
	hotline_stored_free(&a);
	hotline_stored_free(&b);
	hotline_ticket_free(&t);
	hotline_limits_free(l);
	calendar_free(c);
}

static void test_hash_text(void)
{
	char hex[17];

	hotline_hash_text(0x0123456789abcdefULL, hex);
	is_str(hex, "0123456789abcdef", "a hash as text");
	ok(hotline_hash_parse(hex) == 0x0123456789abcdefULL, "and back");
	ok(hotline_hash_parse("xyz") == 0 && hotline_hash_parse(NULL) == 0, "anything else is 0");
}

int main(void)
{
	test_words();
	test_mask();
	test_deadlines();
	test_normalise();
	test_merge();
	test_hash_text();
	return tap_done();
}
