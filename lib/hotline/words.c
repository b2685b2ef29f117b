/*
 * words.c - statuses, satisfaction levels, request types and urgency of
 * 12345 tickets (see words.h).
 */
#include "common.h"

#include "hotline/words.h"
#include "text.h"

struct word {
	const char *w;
	int v;
};

static const char *const status_names[HOTLINE_NSTATUS] = {
	"received", "signed", "handling", "postponed", "returned", "done",
	"revisited",
};

static const char *const status_zh[HOTLINE_NSTATUS] = {
	"待签收", "已签收", "办理中", "延期", "已退回", "已办结", "已回访",
};

static const struct word status_words[] = {
	{ "待签收", HOTLINE_RECEIVED }, { "待受理", HOTLINE_RECEIVED }, { "已受理", HOTLINE_RECEIVED },
	{ "受理", HOTLINE_RECEIVED }, { "待派单", HOTLINE_RECEIVED }, { "已派单", HOTLINE_RECEIVED },
	{ "待处理", HOTLINE_RECEIVED }, { "新建", HOTLINE_RECEIVED }, { "已转办", HOTLINE_RECEIVED },
	{ "open", HOTLINE_RECEIVED }, { "new", HOTLINE_RECEIVED }, { "submitted", HOTLINE_RECEIVED },
	{ "pending", HOTLINE_RECEIVED },
	{ "已签收", HOTLINE_SIGNED }, { "签收", HOTLINE_SIGNED }, { "待办理", HOTLINE_SIGNED },
	{ "已接单", HOTLINE_SIGNED }, { "accepted", HOTLINE_SIGNED }, { "acknowledged", HOTLINE_SIGNED },
	{ "办理中", HOTLINE_HANDLING }, { "处理中", HOTLINE_HANDLING }, { "处置中", HOTLINE_HANDLING },
	{ "正在办理", HOTLINE_HANDLING }, { "在办", HOTLINE_HANDLING }, { "in progress", HOTLINE_HANDLING },
	{ "processing", HOTLINE_HANDLING }, { "started", HOTLINE_HANDLING },
	{ "延期", HOTLINE_POSTPONED }, { "已延期", HOTLINE_POSTPONED }, { "延期办理", HOTLINE_POSTPONED },
	{ "申请延期", HOTLINE_POSTPONED }, { "延期中", HOTLINE_POSTPONED }, { "extended", HOTLINE_POSTPONED },
	{ "deferred", HOTLINE_POSTPONED },
	{ "已退回", HOTLINE_RETURNED }, { "退回", HOTLINE_RETURNED }, { "退单", HOTLINE_RETURNED },
	{ "已退单", HOTLINE_RETURNED }, { "sent back", HOTLINE_RETURNED },
	{ "已办结", HOTLINE_DONE }, { "办结", HOTLINE_DONE }, { "已完成", HOTLINE_DONE },
	{ "完成", HOTLINE_DONE }, { "已处理", HOTLINE_DONE }, { "处理完毕", HOTLINE_DONE },
	{ "已解决", HOTLINE_DONE }, { "已答复", HOTLINE_DONE }, { "closed", HOTLINE_DONE },
	{ "completed", HOTLINE_DONE }, { "resolved", HOTLINE_DONE }, { "finished", HOTLINE_DONE },
	{ "已回访", HOTLINE_REVISITED }, { "回访", HOTLINE_REVISITED }, { "已评价", HOTLINE_REVISITED },
	{ "已回访办结", HOTLINE_REVISITED }, { "evaluated", HOTLINE_REVISITED },
	{ NULL, 0 },
};

static const char *const sat_names[HOTLINE_NSAT] = {
	"very_satisfied", "satisfied", "basically_satisfied", "dissatisfied",
};

static const char *const sat_zh[HOTLINE_NSAT] = {
	"非常满意", "满意", "基本满意", "不满意",
};

static const struct word sat_words[] = {
	{ "非常满意", HOTLINE_SAT_VERY }, { "很满意", HOTLINE_SAT_VERY }, { "very satisfied", HOTLINE_SAT_VERY },
	{ "满意", HOTLINE_SAT_SATISFIED }, { "satisfied", HOTLINE_SAT_SATISFIED },
	{ "基本满意", HOTLINE_SAT_BASIC }, { "比较满意", HOTLINE_SAT_BASIC }, { "一般", HOTLINE_SAT_BASIC },
	{ "basically satisfied", HOTLINE_SAT_BASIC }, { "fair", HOTLINE_SAT_BASIC },
	{ "不满意", HOTLINE_SAT_NO }, { "非常不满意", HOTLINE_SAT_NO }, { "很不满意", HOTLINE_SAT_NO },
	{ "dissatisfied", HOTLINE_SAT_NO }, { "unsatisfied", HOTLINE_SAT_NO },
	{ "未回访", HOTLINE_SAT_NONE }, { "未评价", HOTLINE_SAT_NONE }, { "无法联系", HOTLINE_SAT_NONE },
	{ "未接通", HOTLINE_SAT_NONE }, { "拒绝评价", HOTLINE_SAT_NONE }, { "无", HOTLINE_SAT_NONE },
	{ "-", HOTLINE_SAT_NONE }, { "none", HOTLINE_SAT_NONE }, { "not asked", HOTLINE_SAT_NONE },
	{ NULL, 0 },
};

static const char *const type_names[] = { "咨询", "求助", "投诉", "举报", "建议" };

static const struct word type_words[] = {
	{ "咨询", 0 }, { "consultation", 0 }, { "consult", 0 }, { "inquiry", 0 },
	{ "enquiry", 0 }, { "求助", 1 }, { "help", 1 }, { "request for help", 1 },
	{ "投诉", 2 }, { "complaint", 2 }, { "举报", 3 }, { "report", 3 },
	{ "建议", 4 }, { "suggestion", 4 }, { NULL, 0 },
};

static const struct word urgent_words[] = {
	{ "紧急", 1 }, { "特急", 1 }, { "加急", 1 }, { "急", 1 }, { "是", 1 },
	{ "urgent", 1 }, { "high", 1 }, { "yes", 1 }, { "y", 1 }, { "true", 1 },
	{ "1", 1 }, { "一般", 0 }, { "普通", 0 }, { "正常", 0 }, { "不紧急", 0 },
	{ "否", 0 }, { "normal", 0 }, { "low", 0 }, { "no", 0 }, { "n", 0 },
	{ "false", 0 }, { "0", 0 }, { NULL, 0 },
};

/* Does s (n bytes, trimmed) read as lit?  ASCII case ignored, '_' and '-'
 * are spaces. */
static int word_eq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n && lit[i]; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c == '_' || c == '-')
			c = lit[i] == '-' ? '-' : ' ';
		if (c != lit[i])
			return 0;
	}
	return i == n && lit[i] == '\0';
}

static int word_find(const struct word *w, const char *s, size_t n)
{
	text_trim(&s, &n);
	for (; w->w; w++)
		if (word_eq(s, n, w->w))
			return w->v;
	return -1;
}

/* A closed set of words: the stored names, the Chinese ones, and the words
 * of the exports that read as each. */
struct vocab {
	const char *const *names;
	const char *const *zh;
	const struct word *words;
	int n;
};

static const struct vocab statuses = { status_names, status_zh, status_words, HOTLINE_NSTATUS };
static const struct vocab levels = { sat_names, sat_zh, sat_words, HOTLINE_NSAT };

static const char *vocab_name(const struct vocab *v, int i, int zh)
{
	return i >= 0 && i < v->n ? (zh ? v->zh : v->names)[i] : NULL;
}

/* An export's word, else a stored name; -1 when it is neither. */
static int vocab_parse(const struct vocab *v, const char *s, size_t n)
{
	int r = word_find(v->words, s, n);

	if (r < 0) {
		text_trim(&s, &n);
		for (int i = 0; i < v->n; i++)
			if (word_eq(s, n, v->names[i]))
				return i;
	}
	return r;
}

const char *hotline_status_name(int st)
{
	return vocab_name(&statuses, st, 0);
}

const char *hotline_status_zh(int st)
{
	return vocab_name(&statuses, st, 1);
}

int hotline_status_parse(const char *s, size_t n)
{
	return vocab_parse(&statuses, s, n);
}

int hotline_status_by_name(const char *s)
{
	for (int i = 0; s && i < HOTLINE_NSTATUS; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

int hotline_status_done(int st)
{
	return st == HOTLINE_DONE || st == HOTLINE_REVISITED;
}

const char *hotline_sat_name(int level)
{
	return vocab_name(&levels, level, 0);
}

const char *hotline_sat_zh(int level)
{
	return vocab_name(&levels, level, 1);
}

int hotline_sat_parse(const char *s, size_t n)
{
	return vocab_parse(&levels, s, n);
}

int hotline_sat_list(const char *s, unsigned *mask, const char **bad, size_t *badlen)
{
	*mask = 0;
	while (*s) {
		size_t n = strcspn(s, ",，");
		int v;
		if (n) {
			v = hotline_sat_parse(s, n);
			if (v < 0 || v == HOTLINE_SAT_NONE) {
				*bad = s;
				*badlen = n;
				return -1;
			}
			*mask |= 1u << v;
		}
		s += n;
		if (strncmp(s, "，", 3) == 0)
			s += 3;
		else if (*s == ',')
			s++;
	}
	return 0;
}

const char *hotline_type_canon(const char *s, size_t n)
{
	int v = word_find(type_words, s, n);
	return v < 0 ? NULL : type_names[v];
}

int hotline_urgent_parse(const char *s, size_t n)
{
	return word_find(urgent_words, s, n);
}
