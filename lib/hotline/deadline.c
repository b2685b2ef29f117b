/*
 * deadline.c - the time limits of 12345 tickets and their due times (see
 * deadline.h).
 */
#include "common.h"

#include "calendar.h"
#include "config.h"
#include "hotline/deadline.h"
#include "hotline/words.h"
#include "msg.h"
#include "rec.h"
#include "text.h"

#define KEY_URGENT "urgent"
#define KEY_ANY "*"

struct limit_row {
	char *type;           /* canonical type, KEY_URGENT or KEY_ANY */
	int clock;            /* a clock time: minutes after midnight, else -1 */
	struct calendar_limit lim;
	char text[24];        /* as the rule shows it: "15wd", "18:00" */
};

struct hotline_limits {
	struct limit_row *rows;
	size_t n, cap;
};

static const char *const builtin[][2] = {
	{ KEY_URGENT, "18:00" }, { "咨询", "3wd" }, { "求助", "3wd" },
	{ "投诉", "15wd" }, { "举报", "15wd" }, { "建议", "15wd" },
};

/* "18:00", "当日18:00", "same day 18:00" -> minutes after midnight; -1 */
static int parse_clock(const char *s)
{
	static const char *const prefixes[] = { "当日", "当天", "same day", "same-day" };
	int h, m;

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0) {
			s += strlen(prefixes[i]);
			while (*s == ' ')
				s++;
			break;
		}
	if (!(s[0] >= '0' && s[0] <= '9'))
		return -1;
	h = s[0] - '0';
	s++;
	if (*s >= '0' && *s <= '9')
		h = h * 10 + (*s++ - '0');
	if (*s != ':' || !(s[1] >= '0' && s[1] <= '5') || !(s[2] >= '0' && s[2] <= '9') ||
	    s[3] != '\0')
		return -1;
	m = (s[1] - '0') * 10 + (s[2] - '0');
	return h < 24 ? h * 60 + m : -1;
}

static const char *type_key(const char *s)
{
	size_t n = strlen(s);
	const char *t;

	if (strcmp(s, KEY_URGENT) == 0 || strcmp(s, "紧急") == 0)
		return KEY_URGENT;
	if (strcmp(s, KEY_ANY) == 0 || strcmp(s, "default") == 0 || strcmp(s, "其他") == 0)
		return KEY_ANY;
	t = hotline_type_canon(s, n);
	return t ? t : s;
}

/* Set the limit of a type, replacing an earlier row of it; -1 bad limit. */
static int limits_set(struct hotline_limits *l, const char *type, const char *limit)
{
	struct limit_row r;
	size_t i;

	memset(&r, 0, sizeof r);
	r.clock = parse_clock(limit);
	if (r.clock < 0 && calendar_parse_limit(limit, &r.lim) < 0)
		return -1;
	if (r.clock >= 0)
		snprintf(r.text, sizeof r.text, "%02d:%02d", r.clock / 60, r.clock % 60);
	else
		calendar_format_limit(&r.lim, r.text, sizeof r.text);
	type = type_key(type);
	for (i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].type, type) == 0)
			break;
	if (i == l->n) {
		XGROW(l->rows, l->n + 1, l->cap);
		l->rows[l->n++].type = xstrdup(type);
	}
	r.type = l->rows[i].type;
	l->rows[i] = r;
	return 0;
}

static const struct rec_field limit_fields[] = {
	{ "type", "诉求类型|类型|工单类型", 0 },
	{ "limit", "时限|办理时限", 0 },
};

static int limit_row(void *ctx, const char *file, long line,
		     const char *const *v, const size_t *len)
{
	char *type = v[0] ? text_dup_trimmed(v[0], len[0]) : NULL;
	char *lim = v[1] ? text_dup_trimmed(v[1], len[1]) : NULL;
	int ret = -1;

	if (!type || !lim)
		msg_errat(file, line, "a limit needs a type and a limit");
	else if (type[0] == '#')
		ret = 0; /* a comment */
	else if (limits_set(ctx, type, lim) < 0)
		msg_errat(file, line, "bad limit '%s' (a time of day as 18:00, or " CALENDAR_LIMIT_HELP ")", lim);
	else
		ret = 0;
	free(type);
	free(lim);
	return ret;
}

int hotline_limits_load(struct hotline_limits **out, const char *path)
{
	struct hotline_limits *l = xcalloc(1, sizeof *l);
	int st = 0;

	for (size_t i = 0; i < ARRAY_SIZE(builtin); i++)
		limits_set(l, builtin[i][0], builtin[i][1]);
	if (path)
		st = config_read(path, limit_fields, ARRAY_SIZE(limit_fields), 0x3, 0,
				 limit_row, l);
	if (st) {
		hotline_limits_free(l);
		l = NULL;
	}
	*out = l;
	return st;
}

void hotline_limits_free(struct hotline_limits *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->rows[i].type);
	free(l->rows);
	free(l);
}

static const struct limit_row *find(const struct hotline_limits *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].type, key) == 0)
			return &l->rows[i];
	return NULL;
}

int hotline_due(const struct hotline_limits *l, const struct calendar *cal, int zone_min,
	   int64_t received, const char *type, int urgent, int64_t *due,
	   char *rule, size_t rulen)
{
	const struct limit_row *r = NULL;
	const char *name = NULL;
	int64_t local = received + (int64_t)zone_min * 60, d;

	if (urgent && (r = find(l, KEY_URGENT)) != NULL)
		name = KEY_URGENT;
	if (!r && type && (r = find(l, type)) != NULL)
		name = type;
	if (!r && (r = find(l, KEY_ANY)) != NULL)
		name = KEY_ANY;
	if (!r)
		return 0;
	if (r->clock >= 0) {
		int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
		d = day * 86400 + (int64_t)r->clock * 60;
		if (d <= local)
			d += 86400;
	} else {
		d = calendar_apply_limit(cal, local, &r->lim);
		if (d == CALENDAR_NEVER)
			return 0;
	}
	*due = d - (int64_t)zone_min * 60;
	snprintf(rule, rulen, "%s %s", name, r->text);
	return 1;
}
