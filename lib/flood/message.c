/*
 * message.c - transition texts from templates (see message.h).
 */
#include "common.h"

#include <math.h>
#include <sys/types.h>

#include "buf.h"
#include "encoding.h"
#include "flood/message.h"
#include "msg.h"
#include "out.h"
#include "text.h"
#include "timeparse.h"

static const char default_templates[] =
	"blue = {name} {what} {cm} cm（蓝色预警，超过 {threshold} cm），{trend}请加强巡查\n"
	"yellow = {name} {what} {cm} cm（黄色预警，超过 {threshold} cm），{trend}请做好封闭交通准备\n"
	"orange = {name} {what} {cm} cm（橙色预警，超过 {threshold} cm 封闭线），{trend}请立即封闭交通并派员值守\n"
	"red = {name} {what} {cm} cm（红色预警，超过 {threshold} cm），{trend}请立即封闭交通、疏散人员并报告防汛指挥部\n"
	"deescalated = {name} {what}回落至 {cm} cm，预警降为{color}（{threshold} cm），请继续值守\n"
	"cleared = {name} {what}回落至 {cm} cm，{color}预警解除，请确认安全后恢复通行\n"
	"stale = {name} 水位计 {minutes} 分钟无数据（最后一次 {since}），请检查设备和通信\n"
	"back = {name} 水位计恢复正常，{what} {cm} cm\n"
	"rising = {name} {what} {cm} cm，水位快速上涨（每小时 {rate} cm），请提前做好封闭准备\n"
	"bad = {name} 水位计读数异常（{reason}），请检查设备\n";

static const char *const fields[] = {
	"name", "station", "place", "what", "cm", "level_cm", "color", "level",
	"threshold", "from_color", "at", "time", "rate", "rise10", "trend",
	"minutes", "since", "reason", "peak", NULL,
};

/* keys: an event (0..7), a level (8..11), or an event and a level */
#define NKEYS (FE_RISE_END * (FLOOD_NLEVELS + 1) + FLOOD_NLEVELS)

struct flood_msgs {
	char *text[NKEYS];
};

static int key_index(const char *k, size_t n)
{
	const char *dot = memchr(k, '.', n);
	size_t en = dot ? (size_t)(dot - k) : n;

	for (int l = 1; !dot && l <= FLOOD_NLEVELS; l++) {
		const char *ln = flood_level_name(l);
		if (strlen(ln) == n && !memcmp(k, ln, n))
			return FE_RISE_END * (FLOOD_NLEVELS + 1) + l - 1;
	}
	for (int e = 0; e < FE_RISE_END; e++) {
		if (strlen(flood_event_names[e]) != en || memcmp(k, flood_event_names[e], en))
			continue;
		if (!dot)
			return e * (FLOOD_NLEVELS + 1);
		for (int l = 1; l <= FLOOD_NLEVELS; l++) {
			const char *ln = flood_level_name(l);
			if (strlen(ln) == n - en - 1 && !memcmp(dot + 1, ln, n - en - 1))
				return e * (FLOOD_NLEVELS + 1) + l;
		}
	}
	return -1;
}

static int check_fields(const char *file, long line, const char *t)
{
	for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
		const char *q = strchr(p, '}');
		size_t n;
		int ok = 0;
		if (!q) {
			msg_errat(file, line, "'{' without '}'");
			return -1;
		}
		n = (size_t)(q - p - 1);
		for (int i = 0; fields[i]; i++)
			if (strlen(fields[i]) == n && !memcmp(p + 1, fields[i], n))
				ok = 1;
		if (!ok) {
			msg_errat(file, line, "unknown field '{%.*s}' (see cityops-config(5))",
				  (int)n, p + 1);
			return -1;
		}
	}
	return 0;
}

static int parse_line(struct flood_msgs *m, const char *file, long line,
		      const char *s, size_t n)
{
	const char *eq, *k = s, *v;
	size_t kn, vn;
	int i;

	text_trim(&s, &n);
	if (!n || s[0] == '#')
		return 0;
	eq = memchr(s, '=', n);
	if (!eq) {
		msg_errat(file, line, "expected KEY = TEXT");
		return -1;
	}
	k = s;
	kn = (size_t)(eq - s);
	text_trim(&k, &kn);
	v = eq + 1;
	vn = n - (size_t)(v - s);
	text_trim(&v, &vn);
	if ((i = key_index(k, kn)) < 0) {
		msg_errat(file, line, "unknown key '%.*s' (an event such as 'opened' or "
			  "'cleared', a level such as 'orange', or both: 'opened.orange')",
			  (int)kn, k);
		return -1;
	}
	free(m->text[i]);
	m->text[i] = xstrndup(v, vn);
	return check_fields(file, line, m->text[i]);
}

static int parse_text(struct flood_msgs *m, const char *file, const char *s, size_t n)
{
	long line = 0;

	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;
		line++;
		if (parse_line(m, file, line, s, len) < 0)
			return -1;
		s += len + (nl != NULL);
		n -= len + (nl != NULL);
	}
	return 0;
}

int flood_msgs_load(struct flood_msgs **out, const char *path)
{
	struct flood_msgs *m = xcalloc(1, sizeof *m);
	struct buf b = BUF_INIT;
	int st = 0;

	if (parse_text(m, "(built in)", default_templates, sizeof default_templates - 1) < 0) {
		st = EXIT_SOFTWARE_ERR;
		goto out;
	}
	if (path && (st = encoding_slurp(path, &b, 0, EXIT_CONFIG)) == 0 &&
	    parse_text(m, path, buf_str(&b), b.len) < 0)
		st = EXIT_CONFIG;
out:
	buf_free(&b);
	if (st) {
		flood_msgs_free(m);
		m = NULL;
	}
	*out = m;
	return st;
}

void flood_msgs_free(struct flood_msgs *m)
{
	if (!m)
		return;
	for (int i = 0; i < NKEYS; i++)
		free(m->text[i]);
	free(m);
}

static const char *pick(const struct flood_msgs *m, const struct flood_event *e)
{
	int base = (int)e->kind * (FLOOD_NLEVELS + 1);

	if (e->level >= 1 && e->level <= FLOOD_NLEVELS && m->text[base + e->level])
		return m->text[base + e->level];
	if (m->text[base])
		return m->text[base];
	if ((e->kind == FE_OPENED || e->kind == FE_ESCALATED) && e->level >= 1)
		return m->text[FE_RISE_END * (FLOOD_NLEVELS + 1) + e->level - 1];
	return "{name} {what} {cm} cm";
}

static const char *bad_zh(const char *why)
{
	if (!why)
		return "读数不合理";
	if (!strcmp(why, "negative"))
		return "读数为负";
	if (!strcmp(why, "above max_cm"))
		return "超出量程";
	if (!strcmp(why, "jump"))
		return "读数突变";
	return why;
}

static void field(struct buf *o, const char *f, size_t n, const struct station *st,
		  const struct flood_event *e, int zone_min)
{
	char num[64], tm[TIMEPARSE_TEXT_LEN];
	double r10 = e->rate / 6;

#define IS(name) (strlen(name) == n && !memcmp(f, name, n))
	if (IS("name"))
		buf_adds(o, st->name);
	else if (IS("station"))
		buf_adds(o, st->id);
	else if (IS("place"))
		buf_adds(o, st->place ? st->place : "");
	else if (IS("what"))
		buf_adds(o, st->kind == STATION_RIVER ? "水位" : "积水");
	else if (IS("cm") || IS("level_cm") || IS("peak")) {
		out_decimals(IS("peak") ? e->peak : e->cm, IS("level_cm") ? 1 : 0, num);
		buf_adds(o, e->has_cm ? num : "-");
	} else if (IS("color") || IS("level")) {
		const char *c = IS("color") ? flood_level_zh(e->level) : flood_level_name(e->level);
		buf_adds(o, c ? c : "");
	} else if (IS("threshold")) {
		out_decimals(e->level >= 1 ? st->thr[e->level] : 0,
			     e->level >= 1 && st->thr[e->level] != floor(st->thr[e->level]), num);
		buf_adds(o, num);
	} else if (IS("from_color")) {
		buf_adds(o, e->from ? flood_level_zh(e->from) : "");
	} else if (IS("at") || IS("time") || IS("since")) {
		timeparse_format(IS("since") ? e->since : e->at, zone_min, tm);
		buf_add(o, IS("time") ? tm + 11 : tm, IS("time") ? 5 : strlen(tm));
	} else if (IS("rate") || IS("rise10")) {
		out_decimals(IS("rate") ? e->rate : r10, 0, num);
		buf_adds(o, e->has_rate ? num : "-");
	} else if (IS("trend")) {
		if (e->has_rate && fabs(r10) >= 0.5) {
			out_decimals(fabs(r10), 0, num);
			buf_addf(o, "10 分钟%s %s cm，", r10 > 0 ? "上涨" : "回落", num);
		}
	} else if (IS("minutes")) {
		buf_addf(o, "%lld", (long long)((e->at - e->since) / 60));
	} else if (IS("reason")) {
		buf_adds(o, bad_zh(e->why));
	}
#undef IS
}

void flood_msg_render(const struct flood_msgs *m, const struct station *st,
		      const struct flood_event *e, int zone_min, struct buf *out)
{
	const char *t = pick(m, e);

	buf_reset(out);
	for (const char *p = t; *p;) {
		const char *q = strchr(p, '{');
		const char *r = q ? strchr(q, '}') : NULL;
		if (!q || !r) {
			buf_adds(out, p);
			break;
		}
		buf_add(out, p, (size_t)(q - p));
		field(out, q + 1, (size_t)(r - q - 1), st, e, zone_min);
		p = r + 1;
	}
}
