#include "common.h"

#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "msg.h"
#include "rec.h"
#include "strnum.h"
#include "text.h"
#include "timeparse.h"

#define DAY_SECS 86400

enum { K_NONE = 0, K_HOLIDAY = 1, K_WORKDAY = 2 };

struct calendar_entry {
	int64_t day;
	size_t seq;        /* order of addition: a later entry wins */
	int kind;
	char *name;
};

struct calendar {
	struct calendar_entry *e;   /* sorted by day, one per day after load */
	size_t n, cap;
	int64_t lo, hi;        /* span of e[] */
	unsigned char *ov;     /* kind per day over [lo, hi] */
	int np;                /* work periods, seconds of the day */
	int32_t ps[CALENDAR_MAX_PERIODS], pe[CALENDAR_MAX_PERIODS];
	int32_t day_secs;      /* working seconds in a working day */
};

/*
 * The State Council's schedules: runs of days off (H) and make-up working
 * days (W).  Runs list every day of a holiday, weekends included; only the
 * Monday-to-Friday ones and the make-up weekends change the rule.
 */
#define H K_HOLIDAY
#define W K_WORKDAY
static const struct span {
	short y;
	unsigned char m, d, ndays, kind;
	const char *name;
} builtin[] = {
	/* 2019: 国办发明电〔2018〕15号; 劳动节 as changed by 国办发明电〔2019〕2号 */
	{ 2018, 12, 29, 1, W, "元旦" },
	{ 2018, 12, 30, 3, H, "元旦" },
	{ 2019, 2, 2, 2, W, "春节" },
	{ 2019, 2, 4, 7, H, "春节" },
	{ 2019, 4, 5, 3, H, "清明节" },
	{ 2019, 4, 28, 1, W, "劳动节" },
	{ 2019, 5, 1, 4, H, "劳动节" },
	{ 2019, 5, 5, 1, W, "劳动节" },
	{ 2019, 6, 7, 3, H, "端午节" },
	{ 2019, 9, 13, 3, H, "中秋节" },
	{ 2019, 9, 29, 1, W, "国庆节" },
	{ 2019, 10, 1, 7, H, "国庆节" },
	{ 2019, 10, 12, 1, W, "国庆节" },
	/* 2020: 国办发明电〔2019〕16号; 春节 extended to 2 February by
	 * 国办发明电〔2020〕1号, which also cancelled the 1 February make-up day */
	{ 2020, 1, 1, 1, H, "元旦" },
	{ 2020, 1, 19, 1, W, "春节" },
	{ 2020, 1, 24, 10, H, "春节" },
	{ 2020, 4, 4, 3, H, "清明节" },
	{ 2020, 4, 26, 1, W, "劳动节" },
	{ 2020, 5, 1, 5, H, "劳动节" },
	{ 2020, 5, 9, 1, W, "劳动节" },
	{ 2020, 6, 25, 3, H, "端午节" },
	{ 2020, 6, 28, 1, W, "端午节" },
	{ 2020, 9, 27, 1, W, "国庆节、中秋节" },
	{ 2020, 10, 1, 8, H, "国庆节、中秋节" },
	{ 2020, 10, 10, 1, W, "国庆节、中秋节" },
	/* 2021: 国办发明电〔2020〕27号 */
	{ 2021, 1, 1, 3, H, "元旦" },
	{ 2021, 2, 7, 1, W, "春节" },
	{ 2021, 2, 11, 7, H, "春节" },
	{ 2021, 2, 20, 1, W, "春节" },
	{ 2021, 4, 3, 3, H, "清明节" },
	{ 2021, 4, 25, 1, W, "劳动节" },
	{ 2021, 5, 1, 5, H, "劳动节" },
	{ 2021, 5, 8, 1, W, "劳动节" },
	{ 2021, 6, 12, 3, H, "端午节" },
	{ 2021, 9, 18, 1, W, "中秋节" },
	{ 2021, 9, 19, 3, H, "中秋节" },
	{ 2021, 9, 26, 1, W, "国庆节" },
	{ 2021, 10, 1, 7, H, "国庆节" },
	{ 2021, 10, 9, 1, W, "国庆节" },
	/* 2022: 国办发明电〔2021〕11号 */
	{ 2022, 1, 1, 3, H, "元旦" },
	{ 2022, 1, 29, 2, W, "春节" },
	{ 2022, 1, 31, 7, H, "春节" },
	{ 2022, 4, 2, 1, W, "清明节" },
	{ 2022, 4, 3, 3, H, "清明节" },
	{ 2022, 4, 24, 1, W, "劳动节" },
	{ 2022, 4, 30, 5, H, "劳动节" },
	{ 2022, 5, 7, 1, W, "劳动节" },
	{ 2022, 6, 3, 3, H, "端午节" },
	{ 2022, 9, 10, 3, H, "中秋节" },
	{ 2022, 10, 1, 7, H, "国庆节" },
	{ 2022, 10, 8, 2, W, "国庆节" },
	/* 2023: 国办发明电〔2022〕16号 */
	{ 2022, 12, 31, 3, H, "元旦" },
	{ 2023, 1, 21, 7, H, "春节" },
	{ 2023, 1, 28, 2, W, "春节" },
	{ 2023, 4, 5, 1, H, "清明节" },
	{ 2023, 4, 23, 1, W, "劳动节" },
	{ 2023, 4, 29, 5, H, "劳动节" },
	{ 2023, 5, 6, 1, W, "劳动节" },
	{ 2023, 6, 22, 3, H, "端午节" },
	{ 2023, 6, 25, 1, W, "端午节" },
	{ 2023, 9, 29, 8, H, "中秋节、国庆节" },
	{ 2023, 10, 7, 2, W, "中秋节、国庆节" },
	/* 2024: 国办发明电〔2023〕7号 */
	{ 2023, 12, 30, 3, H, "元旦" },
	{ 2024, 2, 4, 1, W, "春节" },
	{ 2024, 2, 10, 8, H, "春节" },
	{ 2024, 2, 18, 1, W, "春节" },
	{ 2024, 4, 4, 3, H, "清明节" },
	{ 2024, 4, 7, 1, W, "清明节" },
	{ 2024, 4, 28, 1, W, "劳动节" },
	{ 2024, 5, 1, 5, H, "劳动节" },
	{ 2024, 5, 11, 1, W, "劳动节" },
	{ 2024, 6, 8, 3, H, "端午节" },
	{ 2024, 9, 14, 1, W, "中秋节" },
	{ 2024, 9, 15, 3, H, "中秋节" },
	{ 2024, 9, 29, 1, W, "国庆节" },
	{ 2024, 10, 1, 7, H, "国庆节" },
	{ 2024, 10, 12, 1, W, "国庆节" },
	/* 2025: 国办发明电〔2024〕12号 (除夕 and 5月2日 added as holidays) */
	{ 2025, 1, 1, 1, H, "元旦" },
	{ 2025, 1, 26, 1, W, "春节" },
	{ 2025, 1, 28, 8, H, "春节" },
	{ 2025, 2, 8, 1, W, "春节" },
	{ 2025, 4, 4, 3, H, "清明节" },
	{ 2025, 4, 27, 1, W, "劳动节" },
	{ 2025, 5, 1, 5, H, "劳动节" },
	{ 2025, 5, 31, 3, H, "端午节" },
	{ 2025, 9, 28, 1, W, "国庆节、中秋节" },
	{ 2025, 10, 1, 8, H, "国庆节、中秋节" },
	{ 2025, 10, 11, 1, W, "国庆节、中秋节" },
	/* 2026: 国办发明电〔2025〕7号 */
	{ 2026, 1, 1, 3, H, "元旦" },
	{ 2026, 1, 4, 1, W, "元旦" },
	{ 2026, 2, 14, 1, W, "春节" },
	{ 2026, 2, 15, 9, H, "春节" },
	{ 2026, 2, 28, 1, W, "春节" },
	{ 2026, 4, 4, 3, H, "清明节" },
	{ 2026, 5, 1, 5, H, "劳动节" },
	{ 2026, 5, 9, 1, W, "劳动节" },
	{ 2026, 6, 19, 3, H, "端午节" },
	{ 2026, 9, 20, 1, W, "国庆节" },
	{ 2026, 9, 25, 3, H, "中秋节" },
	{ 2026, 10, 1, 7, H, "国庆节" },
	{ 2026, 10, 10, 1, W, "国庆节" },
};
#undef H
#undef W

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if (a % b != 0 && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int calendar_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday */
	int64_t w = ((day % 7) + 7 + 3) % 7;
	return (int)w + 1;
}

static int kind_at(const struct calendar *c, int64_t day)
{
	if (c->ov && day >= c->lo && day <= c->hi)
		return c->ov[day - c->lo];
	return K_NONE;
}

int calendar_is_workday(const struct calendar *c, int64_t day)
{
	int k = kind_at(c, day);
	if (k != K_NONE)
		return k == K_WORKDAY;
	return calendar_weekday(day) <= 5;
}

static void add_entry(struct calendar *c, int64_t day, int kind,
		      const char *name, size_t nlen)
{
	struct calendar_entry *e;

	XGROW(c->e, c->n + 1, c->cap);
	e = &c->e[c->n];
	e->day = day;
	e->seq = c->n;
	e->kind = kind;
	e->name = nlen ? xstrndup(name, nlen) : NULL;
	c->n++;
}

static void add_builtin(struct calendar *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(builtin); i++) {
		const struct span *s = &builtin[i];
		int64_t d0 = timeparse_days_from_civil(s->y, s->m, s->d);
		for (unsigned k = 0; k < s->ndays; k++)
			add_entry(c, d0 + k, s->kind, s->name, strlen(s->name));
	}
}

/* ---- work hours ---- */

static const char *skip_sp(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "8:30" or "08:30" -> minutes of the day; 24:00 only when end is set. */
static int parse_hm(const char **pp, int end, int *out)
{
	const char *p = *pp;
	int h = 0, m, nd = 0;

	while (*p >= '0' && *p <= '9' && nd < 2) {
		h = h * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || *p != ':')
		return -1;
	p++;
	if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'))
		return -1;
	m = (p[0] - '0') * 10 + (p[1] - '0');
	p += 2;
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end)))
		return -1;
	*out = h * 60 + m;
	*pp = p;
	return 0;
}

static int parse_hours(struct calendar *c, const char *spec)
{
	const char *p = spec;
	const char *why = NULL;
	int np = 0;
	int s[CALENDAR_MAX_PERIODS], e[CALENDAR_MAX_PERIODS];

	for (;;) {
		int a, b;
		p = skip_sp(p);
		if (parse_hm(&p, 0, &a) < 0) {
			why = "expected HH:MM-HH:MM[,HH:MM-HH:MM...]";
			goto bad;
		}
		p = skip_sp(p);
		if (*p != '-' && *p != '~') {
			why = "expected HH:MM-HH:MM[,HH:MM-HH:MM...]";
			goto bad;
		}
		p = skip_sp(p + 1);
		if (parse_hm(&p, 1, &b) < 0) {
			why = "expected HH:MM-HH:MM[,HH:MM-HH:MM...]";
			goto bad;
		}
		if (b <= a) {
			why = "a period must end after it starts";
			goto bad;
		}
		if (np == CALENDAR_MAX_PERIODS) {
			why = "at most 4 periods";
			goto bad;
		}
		if (np > 0 && a < e[np - 1]) {
			why = "periods must be in order and must not overlap";
			goto bad;
		}
		s[np] = a;
		e[np] = b;
		np++;
		p = skip_sp(p);
		if (*p == '\0')
			break;
		if (*p != ',' && *p != ';') {
			why = "expected HH:MM-HH:MM[,HH:MM-HH:MM...]";
			goto bad;
		}
		p++;
	}
	c->np = np;
	c->day_secs = 0;
	for (int i = 0; i < np; i++) {
		c->ps[i] = s[i] * 60;
		c->pe[i] = e[i] * 60;
		c->day_secs += c->pe[i] - c->ps[i];
	}
	return 0;
bad:
	msg_err("bad work hours '%s': %s", spec, why);
	return -1;
}

/* ---- calendar.csv ---- */

static int ascii_ieq(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w);
	if (n != wl)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char a = s[i], b = w[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

static int kind_parse(const char *s, size_t n)
{
	static const char *const hol[] = { "holiday", "rest", "off", "假日",
					    "休", "放假", "节假日", "休息" };
	static const char *const work[] = { "workday", "work", "班", "补班",
					     "工作日", "上班" };

	text_trim(&s, &n);
	for (size_t i = 0; i < ARRAY_SIZE(hol); i++)
		if (ascii_ieq(s, n, hol[i]))
			return K_HOLIDAY;
	for (size_t i = 0; i < ARRAY_SIZE(work); i++)
		if (ascii_ieq(s, n, work[i]))
			return K_WORKDAY;
	return K_NONE;
}

static const struct rec_field calendar_fields[] = {
	{ "date", "日期", 0 },
	{ "kind", "类型|类别|type", 0 },
	{ "name", "名称|节日|节假日|说明|备注", 0 },
};

static int add_row(struct calendar *c, const char *path, long line,
		   const char *const *v, const size_t *len)
{
	const char *ds = v[0], *ks = v[1], *ns = v[2];
	size_t dn = ds ? len[0] : 0, kn = ks ? len[1] : 0, nn = ns ? len[2] : 0;
	struct timeparse_opts o = { NULL, 0 };
	const char *why = NULL;
	int64_t t;
	int kind;

	if (ds)
		text_trim(&ds, &dn);
	if (dn && ds[0] == '#')
		return 0;
	if (!dn) {
		msg_errat(path, line, "missing date");
		return -1;
	}
	if (timeparse_parse(ds, dn, &o, &t, &why) < 0) {
		if (!why)
			why = "invalid date";
	} else if (t % DAY_SECS != 0) {
		why = "a date without a time of day expected";
	} else {
		why = NULL;
	}
	if (why) {
		msg_errat(path, line, "bad date '%.*s': %s", (int)dn, ds, why);
		return -1;
	}
	kind = ks ? kind_parse(ks, kn) : K_NONE;
	if (kind == K_NONE) {
		msg_errat(path, line, "unknown kind '%.*s' (holiday or workday)",
			  (int)kn, ks ? ks : "");
		return -1;
	}
	if (ns)
		text_trim(&ns, &nn);
	add_entry(c, t / DAY_SECS, kind, ns, nn);
	return 0;
}

static int calendar_row(void *ctx, const char *file, long line,
			const char *const *v, const size_t *len)
{
	return add_row(ctx, file, line, v, len);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct calendar_entry *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort, keep the last entry of each day, build the per-day table. */
static void finish(struct calendar *c)
{
	size_t w = 0;

	if (c->n == 0)
		return;
	qsort(c->e, c->n, sizeof *c->e, entry_cmp);
	for (size_t i = 0; i < c->n; i++) {
		if (w > 0 && c->e[w - 1].day == c->e[i].day) {
			free(c->e[w - 1].name);
			c->e[w - 1] = c->e[i];
		} else {
			c->e[w++] = c->e[i];
		}
	}
	c->n = w;
	c->lo = c->e[0].day;
	c->hi = c->e[c->n - 1].day;
	c->ov = xcalloc((size_t)(c->hi - c->lo + 1), 1);
	for (size_t i = 0; i < c->n; i++)
		c->ov[c->e[i].day - c->lo] = (unsigned char)c->e[i].kind;
}

int calendar_load(struct calendar **out, const char *path,
		  const char *work_hours)
{
	struct calendar *c = xcalloc(1, sizeof *c);
	int st = 0;

	*out = NULL;
	if (parse_hours(c, work_hours ? work_hours : CALENDAR_DEFAULT_HOURS) < 0) {
		st = EXIT_USAGE;
		goto out;
	}
	add_builtin(c);
	if (path) {
		st = config_read(path, calendar_fields, ARRAY_SIZE(calendar_fields), 0x3, 0,
				 calendar_row, c);
		if (st)
			goto out;
	}
	finish(c);
	*out = c;
	c = NULL;
out:
	calendar_free(c);
	return st;
}

void calendar_free(struct calendar *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->e[i].name);
	free(c->e);
	free(c->ov);
	free(c);
}

const char *calendar_day_name(const struct calendar *c, int64_t day)
{
	size_t lo = 0, hi = c->n;

	if (kind_at(c, day) == K_NONE)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->e[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->e[lo].day == day ? c->e[lo].name : NULL;
}

int64_t calendar_last_day(const struct calendar *c)
{
	return c->n ? c->hi : INT64_MIN;
}

/* ---- working time ---- */

/* Working seconds of a working day inside [x, y) (seconds of the day). */
static int64_t overlap(const struct calendar *c, int64_t x, int64_t y)
{
	int64_t sum = 0;
	for (int i = 0; i < c->np; i++) {
		int64_t s = x > c->ps[i] ? x : c->ps[i];
		int64_t e = y < c->pe[i] ? y : c->pe[i];
		if (e > s)
			sum += e - s;
	}
	return sum;
}

/* Working days in [d1, d2): Monday to Friday by arithmetic, then the
 * table's days inside the range. */
static int64_t count_workdays(const struct calendar *c, int64_t d1, int64_t d2)
{
	int64_t n, len, a, b;

	if (d2 <= d1)
		return 0;
	len = d2 - d1;
	n = len / 7 * 5;
	for (int64_t d = d1 + len / 7 * 7; d < d2; d++)
		n += calendar_weekday(d) <= 5;
	if (!c->ov)
		return n;
	a = d1 > c->lo ? d1 : c->lo;
	b = d2 < c->hi + 1 ? d2 : c->hi + 1;
	for (int64_t d = a; d < b; d++) {
		int k = c->ov[d - c->lo];
		int weekday = calendar_weekday(d) <= 5;
		if (k == K_HOLIDAY && weekday)
			n--;
		else if (k == K_WORKDAY && !weekday)
			n++;
	}
	return n;
}

/* The first working day from day on, itself included; CALENDAR_NEVER past the
 * horizon from start, or after CALENDAR_GAP_DAYS days off in a row (a calendar
 * that never works again). */
static int64_t workday_from(const struct calendar *c, int64_t day, int64_t start)
{
	for (int gap = 0;; day++) {
		if (day - start > CALENDAR_HORIZON_DAYS)
			return CALENDAR_NEVER;
		if (calendar_is_workday(c, day))
			return day;
		if (++gap > CALENDAR_GAP_DAYS)
			return CALENDAR_NEVER;
	}
}

int64_t calendar_next_working_time(const struct calendar *c, int64_t t)
{
	int64_t day, start, sod;

	if (t == CALENDAR_NEVER)
		return CALENDAR_NEVER;
	day = start = floor_div(t, DAY_SECS);
	sod = t - day * DAY_SECS;
	for (;; day++, sod = 0) {
		if ((day = workday_from(c, day, start)) == CALENDAR_NEVER)
			return CALENDAR_NEVER;
		if (day != start)
			sod = 0;
		for (int i = 0; i < c->np; i++)
			if (sod < c->pe[i])
				return day * DAY_SECS + (sod > c->ps[i] ? sod : c->ps[i]);
	}
}

int64_t calendar_add_working_days(const struct calendar *c, int64_t t, int n)
{
	int64_t day, start, sod;

	if (n <= 0 || t == CALENDAR_NEVER)
		return t;
	day = start = floor_div(t, DAY_SECS);
	sod = t - day * DAY_SECS;
	for (; n > 0; n--)
		if ((day = workday_from(c, day + 1, start)) == CALENDAR_NEVER)
			return CALENDAR_NEVER;
	return day * DAY_SECS + sod;
}

int64_t calendar_add_working_minutes(const struct calendar *c, int64_t t,
				int64_t minutes)
{
	int64_t day, start, sod, need;

	if (minutes <= 0 || t == CALENDAR_NEVER)
		return t;
	/* a working day has at most 1440 minutes */
	if (minutes > (int64_t)CALENDAR_HORIZON_DAYS * 1440)
		return CALENDAR_NEVER;
	need = minutes * 60;
	day = start = floor_div(t, DAY_SECS);
	sod = t - day * DAY_SECS;
	for (;; day++, sod = 0) {
		if ((day = workday_from(c, day, start)) == CALENDAR_NEVER)
			return CALENDAR_NEVER;
		if (day != start)
			sod = 0;
		if (sod == 0 && need > c->day_secs) {
			need -= c->day_secs;
			continue;
		}
		for (int i = 0; i < c->np; i++) {
			int64_t s = sod > c->ps[i] ? sod : c->ps[i];
			int64_t avail = c->pe[i] - s;
			if (avail <= 0)
				continue;
			if (need <= avail)
				return day * DAY_SECS + s + need;
			need -= avail;
		}
	}
}

int64_t calendar_add_minutes(int64_t t, int64_t minutes)
{
	if (t == CALENDAR_NEVER)
		return t;
	return t + minutes * 60;
}

int64_t calendar_working_seconds_between(const struct calendar *c, int64_t a,
				    int64_t b)
{
	int64_t da, db, sa, sb, sum = 0;

	if (b <= a)
		return 0;
	da = floor_div(a, DAY_SECS);
	db = floor_div(b, DAY_SECS);
	sa = a - da * DAY_SECS;
	sb = b - db * DAY_SECS;
	if (da == db)
		return calendar_is_workday(c, da) ? overlap(c, sa, sb) : 0;
	if (calendar_is_workday(c, da))
		sum += overlap(c, sa, DAY_SECS);
	sum += count_workdays(c, da + 1, db) * c->day_secs;
	if (calendar_is_workday(c, db))
		sum += overlap(c, 0, sb);
	return sum;
}

int64_t calendar_working_minutes_between(const struct calendar *c, int64_t a,
				    int64_t b)
{
	return calendar_working_seconds_between(c, a, b) / 60;
}

/* ---- limits ---- */

int calendar_parse_limit(const char *s, struct calendar_limit *out)
{
	static const struct {
		const char *u;
		enum calendar_unit unit;
	} units[] = {
		{ "wh", CALENDAR_WORKING_HOURS },    { "工作时", CALENDAR_WORKING_HOURS },
		{ "工作小时", CALENDAR_WORKING_HOURS }, { "wd", CALENDAR_WORKING_DAYS },
		{ "工作日", CALENDAR_WORKING_DAYS },  { "h", CALENDAR_HOURS },
		{ "小时", CALENDAR_HOURS },
	};
	char num[8];
	const char *p, *u;
	size_t nd = 0, ul;
	long long v;
	const char *why;

	if (!s)
		return -1;
	p = skip_sp(s);
	while (p[nd] >= '0' && p[nd] <= '9')
		nd++;
	if (nd == 0 || nd >= sizeof num)
		return -1;
	memcpy(num, p, nd);
	num[nd] = '\0';
	v = strnum_ll(num, 0, 100000, &why);
	if (why)
		return -1;
	u = skip_sp(p + nd);
	if (strncmp(u, "个", strlen("个")) == 0)
		u += strlen("个");
	ul = strlen(u);
	while (ul && (u[ul - 1] == ' ' || u[ul - 1] == '\t'))
		ul--;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (ascii_ieq(u, ul, units[i].u)) {
			out->unit = units[i].unit;
			out->n = (int)v;
			return calendar_limit_valid(out) ? 0 : -1;
		}
	return -1;
}

int calendar_limit_valid(const struct calendar_limit *l)
{
	return l->n >= 0 && l->n <= (l->unit == CALENDAR_WORKING_DAYS ? CALENDAR_LIMIT_MAX_DAYS
								 : CALENDAR_LIMIT_MAX_HOURS);
}

int64_t calendar_apply_limit(const struct calendar *c, int64_t t,
			const struct calendar_limit *l)
{
	switch (l->unit) {
	case CALENDAR_WORKING_HOURS:
		return calendar_add_working_minutes(c, t, (int64_t)l->n * 60);
	case CALENDAR_WORKING_DAYS:
		return calendar_add_working_days(c, t, l->n);
	case CALENDAR_HOURS:
		return calendar_add_minutes(t, (int64_t)l->n * 60);
	}
	return CALENDAR_NEVER;
}

void calendar_format_limit(const struct calendar_limit *l, char *buf, size_t n)
{
	const char *u = l->unit == CALENDAR_WORKING_HOURS  ? "wh"
			: l->unit == CALENDAR_WORKING_DAYS ? "wd"
						      : "h";
	snprintf(buf, n, "%d%s", l->n, u);
}

/* ---- the built-in table as text ---- */

int calendar_write_builtin(FILE *f)
{
	fputs("date,kind,name\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(builtin); i++) {
		const struct span *s = &builtin[i];
		int64_t d0 = timeparse_days_from_civil(s->y, s->m, s->d);
		for (unsigned k = 0; k < s->ndays; k++) {
			int64_t y;
			unsigned m, d;
			timeparse_civil_from_days(d0 + k, &y, &m, &d);
			fprintf(f, "%04d-%02u-%02u,%s,%s\n", (int)y, m, d,
				s->kind == K_HOLIDAY ? "holiday" : "workday",
				s->name);
		}
	}
	return ferror(f) ? -1 : 0;
}
