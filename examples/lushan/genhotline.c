/*
 * genhotline - write the 2023 export of 鲁山县城市管理局's 12345 hotline work
 * orders (synthetic).
 *
 *   genhotline [-s SEED] [-n COUNT] > examples/lushan/hotline-2023.csv
 *
 * The tickets are made up, but with no -n they hold, exactly, the 12345
 * figures of the bureau's 2023 report (../shared/domain/lushan-2023-report.txt,
 * DESIGN §1) as `case-stat hotline --year 2023 --at 2024-01-01` counts them:
 *
 *   1022 tickets: 噪音扰民 294, 市容秩序 385, 施工管理 165, 市容环境 89,
 *   市政设施 89; 1012 done, 10 in progress (办理中), none overdue, every
 *   ticket due by the end of the year done on time (100 %); 950 revisited,
 *   920 of them satisfied (非常满意, 满意 or 基本满意): 96.8 %.
 *
 * Exact by construction, whatever the seed: categories, the open tickets
 * and the satisfaction levels are dealt from decks of exact counts; the
 * open tickets are complaints received 18-29 December, so that their 15
 * working days run into 2024; a done ticket is done within its limit
 * (urgent: before 18:00 the same day; 咨询, 求助: within 2 days; others:
 * within 10), and before the year ends.  The export has no 办理时限
 * column: hotline-sync works due_at out from the type, as the platform
 * would.  Callers and numbers are unmasked, as the platform exports them
 * to the bureau: hotline-sync masks them.
 *
 * -n COUNT writes COUNT tickets with the same shares instead (the bench's
 * 100,000-ticket export); only the default COUNT is held to the figures.
 *
 * Own PRNG (tests/bench/rnd.h); libc only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "phrases.h"
#include "rnd.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a) ((a)[rnd_below((uint32_t)NELEM(a))])
#define DAY 86400
#define YEAR_END (365 * (int64_t)DAY)
#define LAST_DONE (YEAR_END - 4 * 3600)   /* 31 Dec 20:00 */

/* ---- the figures -------------------------------------------------------- */

#define REPORT_COUNT 1022

enum { CAT_NOISE, CAT_ORDER, CAT_BUILD, CAT_ENV, CAT_FAC, NCATS };
static const char *const cat_names[NCATS] = {
	"噪音扰民", "市容秩序", "施工管理", "市容环境", "市政设施",
};
static const int cat_count[NCATS] = { 294, 385, 165, 89, 89 };

#define REPORT_OPEN 10
/* of the done tickets: 非常满意, 满意, 基本满意, 不满意, not revisited */
enum { SAT_VERY, SAT_YES, SAT_BASIC, SAT_NO, SAT_NONE, NSATS };
static const char *const sat_names[NSATS] = {
	"非常满意", "满意", "基本满意", "不满意", "",
};
static const int sat_count[NSATS] = { 612, 288, 20, 30, 62 };

enum { TY_ASK, TY_HELP, TY_COMPLAIN, TY_REPORT, TY_SUGGEST, NTYPES };
static const char *const type_names[NTYPES] = { "咨询", "求助", "投诉", "举报", "建议" };
static const int type_w[NTYPES] = { 12, 12, 55, 15, 6 };

static const char *const channels[] = {
	"电话", "电话", "电话", "电话", "电话", "电话", "微信", "微信", "网站", "APP",
};

/* ---- the county --------------------------------------------------------- */

static const char *const roads[] = {
	"人民路", "向阳路", "鲁阳大道", "花园路", "墨子大街", "尧山大道", "文化路",
	"建设路", "滍阳路", "河滨路", "健康路", "府前街", "新华路", "和平路",
	"振兴路", "钢厂路", "鲁平大道", "南环路", "北环路", "迎宾大道",
};
static const char *const places[] = {
	"幸福小区", "农贸市场", "实验中学", "县人民医院", "世纪广场", "汽车站",
	"琴台公园", "森源小区", "锦绣花园", "夜市", "第二小学", "体育场",
};
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱",
};
static const char *const given_names[] = {
	"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰",
	"建国", "秀英", "志强", "桂兰", "海燕", "红梅", "小龙", "文博",
};
static const char *const squads[] = {
	"城管执法大队一中队", "城管执法大队二中队", "城管执法大队三中队",
};

struct topic {
	int cat;
	const char *unit;     /* NULL: a squad */
	const char *what;
};

static const struct topic topics[] = {
	{ CAT_NOISE, NULL, "商户用高音喇叭招揽顾客，噪音扰民" },
	{ CAT_NOISE, NULL, "广场舞音响声音过大，影响周边居民休息" },
	{ CAT_NOISE, NULL, "烧烤店夜间经营噪音扰民" },
	{ CAT_NOISE, NULL, "KTV深夜噪音扰民" },
	{ CAT_NOISE, "县住建局", "工地夜间施工噪音扰民" },
	{ CAT_ORDER, NULL, "流动摊贩占道经营" },
	{ CAT_ORDER, NULL, "商户出店经营，占用人行道" },
	{ CAT_ORDER, NULL, "机动车乱停乱放，堵塞消防通道" },
	{ CAT_ORDER, NULL, "早市摊点占道，影响通行" },
	{ CAT_ORDER, NULL, "沿街乱堆杂物" },
	{ CAT_BUILD, "县住建局", "工地扬尘严重，未覆盖裸土" },
	{ CAT_BUILD, "县住建局", "渣土车沿路遗撒" },
	{ CAT_BUILD, "县住建局", "违规占道施工，未设围挡" },
	{ CAT_BUILD, "县住建局", "装修垃圾随意堆放在路边" },
	{ CAT_ENV, "县环境卫生管理处", "垃圾桶满溢，多日未清运" },
	{ CAT_ENV, "县环境卫生管理处", "路面油污，无人清扫" },
	{ CAT_ENV, "数字城管信息采集队", "墙上、电线杆上小广告较多" },
	{ CAT_FAC, "县城市照明管理所", "路灯不亮" },
	{ CAT_FAC, "县住建局", "井盖缺失，存在安全隐患" },
	{ CAT_FAC, "县住建局", "人行道砖松动破损" },
	{ CAT_FAC, "县住建局", "下水道堵塞，污水外溢" },
};

static const char *const results[] = { "已解决", "已解决", "已解决", "已答复", "已整改" };
static const char *const replies[] = {
	"经现场核实，已责令当事人整改到位。", "已安排人员现场处理，现已恢复正常。",
	"已联系责任单位处理完毕，并向来电人反馈。", "已现场劝导，当事人已自行整改。",
	"已纳入日常巡查，加强管控。",
};

/* ---- time --------------------------------------------------------------- */

static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
static const int month_w[12] = { 62, 70, 92, 100, 110, 122, 128, 126, 112, 100, 90, 74 };
static const int hour_w[24] = {
	0, 0, 0, 0, 0, 0, 1, 4, 8, 9, 9, 7, 4, 3, 5, 8, 8, 7, 5, 4, 3, 1, 0, 0,
};

/* seconds since 2023-01-01 00:00 (+08:00), within 2023, as the platform
 * writes them */
static void put_time(int64_t t)
{
	int day = (int)(t / DAY), m = 0, sod = (int)(t % DAY);

	while (m < 11 && day >= mdays[m])
		day -= mdays[m++];
	printf("2023-%02d-%02d %02d:%02d:%02d", m + 1, day + 1, sod / 3600, sod / 60 % 60,
	       sod % 60);
}

static int pick_w(const int *w, int n)
{
	int sum = 0, u;

	for (int i = 0; i < n; i++)
		sum += w[i];
	u = (int)rnd_below((uint32_t)sum);
	for (int i = 0; i < n; i++) {
		if (u < w[i])
			return i;
		u -= w[i];
	}
	return n - 1;
}

/* a time of 2023, more in summer, mostly 07:00-21:00 */
static int64_t some_time(int first_day, int last_day)
{
	int day, m, d, h;

	do {
		m = pick_w(month_w, 12);
		d = (int)rnd_below((uint32_t)mdays[m]);
		day = d;
		for (int k = 0; k < m; k++)
			day += mdays[k];
	} while (day < first_day || day > last_day);
	do
		h = pick_w(hour_w, 24);
	while (day == 364 && h >= 18); /* room to be done before the year ends */
	return (int64_t)day * DAY + h * 3600 + rnd_below(3600);
}

static int64_t skewed(int64_t lo, int64_t hi)
{
	double u = rnd_unit();
	return lo + (int64_t)((double)(hi - lo) * u * u);
}

/* ---- the tickets -------------------------------------------------------- */

struct ticket {
	int64_t received, signed_at, done, revisited;
	int cat, type, sat, urgent, open;
	const struct topic *topic;
};

static int cmp_received(const void *a, const void *b)
{
	const struct ticket *x = a, *y = b;
	return (x->received > y->received) - (x->received < y->received);
}

/* Deal n values by their counts into a shuffled deck (inside-out shuffle). */
static void deal(int *deck, int n, const int *count, int kinds)
{
	int i = 0;

	for (int k = 0; k < kinds; k++)
		for (int c = 0; c < count[k] && i < n; c++, i++) {
			int j = (int)rnd_below((uint32_t)i + 1);
			deck[i] = deck[j];
			deck[j] = k;
		}
}

/* Counts for n tickets in the shares of the report's (exact for 1022). */
static void scale(const int *base, int kinds, int total, int n, int *out)
{
	int given = 0;

	for (int k = 0; k < kinds; k++) {
		out[k] = (int)((int64_t)base[k] * n / total);
		given += out[k];
	}
	for (int k = 0; given < n; k = (k + 1) % kinds, given++)
		out[k]++;
}

static void make(struct ticket *tk, int n, int nopen)
{
	int *deck = calloc((size_t)n + 1, sizeof *deck), counts[8];
	const struct topic *mine[NELEM(topics)];

	if (!deck)
		exit(70);
	scale(cat_count, NCATS, REPORT_COUNT, n, counts);
	deal(deck, n, counts, NCATS);
	for (int i = 0; i < n; i++) {
		tk[i].cat = deck[i];
		tk[i].type = pick_w(type_w, NTYPES);
		tk[i].open = i < nopen;
		/* the open ones: complaints of late December, due in 2024 */
		tk[i].received = tk[i].open ? some_time(351, 362) : some_time(0, 364);
		if (tk[i].open && (tk[i].type == TY_ASK || tk[i].type == TY_HELP))
			tk[i].type = TY_COMPLAIN;
	}
	qsort(tk, (size_t)n, sizeof *tk, cmp_received);
	scale(sat_count, NSATS, REPORT_COUNT - REPORT_OPEN, n - nopen, counts);
	deal(deck, n - nopen, counts, NSATS);
	for (int i = 0, d = 0; i < n; i++) {
		struct ticket *t = &tk[i];
		int64_t hour = t->received % DAY / 3600, took;
		size_t nmine = 0;
		for (size_t k = 0; k < NELEM(topics); k++)
			if (topics[k].cat == t->cat)
				mine[nmine++] = &topics[k];
		t->topic = mine[rnd_below((uint32_t)nmine)];
		t->urgent = !t->open && hour >= 8 && hour < 15 && chance(0.03);
		t->signed_at = t->received + 300 + rnd_below(1200);
		if (t->open)
			continue;
		took = t->urgent ? 1800 + rnd_below(7200)
		       : t->type <= TY_HELP ? skewed(3600, 2 * DAY) : skewed(7200, 10 * DAY);
		if (took < 1800)
			took = 1800;
		t->done = t->received + took < LAST_DONE ? t->received + took : LAST_DONE;
		t->sat = deck[d++];
		if (t->sat != SAT_NONE) {
			int64_t later = skewed(7200, 2 * DAY);
			if (t->done + later > YEAR_END - 3600)
				later = YEAR_END - 3600 - t->done;
			t->revisited = t->done + later;
		}
	}
	free(deck);
}

/* A CSV field, quoted when it must be. */
static void field(const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void content(const struct ticket *t, const char *road, const char *place)
{
	char text[512];

	/* the awkward bits of real exports: ASCII commas, a few line breaks and
	 * double quotes */
	snprintf(text, sizeof text, "%s%s%s%s，%s。%s%s", road, place,
		 chance(0.3) ? "附近," : "附近", t->topic->what, PICK(effects),
		 chance(0.01) ? "\n" : chance(0.01) ? "\"急\"" : "", PICK(requests));
	field(text);
}

static void row(const struct ticket *t, int seq)
{
	const char *road = PICK(roads), *place = PICK(places);
	int day = (int)(t->received / DAY), m = 0;

	while (m < 11 && day >= mdays[m])
		day -= mdays[m++];
	printf("2023%02d%02d%05d,", m + 1, day + 1, seq);
	put_time(t->received);
	printf(",%s,", PICK(channels));
	if (chance(0.05))
		fputs(",,", stdout); /* anonymous: no name, no number */
	else
		printf("%s%s,1%c%09u,", PICK(surnames), PICK(given_names),
		       "356789"[rnd_below(6)], (unsigned)rnd_below(1000000000));
	printf("%s,%s,", type_names[t->type], cat_names[t->cat]);
	content(t, road, place);
	printf(",鲁山县%s%u号%s,%s,%s,%s,", road, 1 + rnd_below(300), place,
	       t->urgent ? "紧急" : "一般",
	       t->topic->unit ? t->topic->unit : squads[(road - roads[0]) % 3 == 0 ? 0 : rnd_below(3)],
	       t->open ? (chance(0.7) ? "办理中" : "已签收")
		       : t->sat == SAT_NONE ? "已办结" : "已回访");
	put_time(t->signed_at);
	putchar(',');
	if (!t->open) {
		put_time(t->done);
		printf(",%s,%s", PICK(replies), PICK(results));
	} else {
		fputs(",,", stdout);
	}
	printf(",%s,", t->open ? "" : sat_names[t->sat]);
	if (!t->open && t->sat != SAT_NONE)
		put_time(t->revisited);
	putchar('\n');
}

/* The usage, to stdout for -h (exit 0), else to stderr (exit 64). */
static int usage(int asked)
{
	fputs("usage: genhotline [-s SEED] [-n COUNT]\n"
	      "Write the synthetic 2023 export of the 12345 hotline tickets of\n"
	      "鲁山县城市管理局 (1022 tickets, by category as the 2023 report) as CSV\n"
	      "to standard output; the same bytes for the same SEED (default 2023).\n"
	      "-n writes COUNT tickets in the same shares.\n", asked ? stdout : stderr);
	return asked ? 0 : 64;
}

/* -s SEED or -n COUNT; 0 when the value is bad (said). */
static int number_option(int opt, const char *arg, uint64_t *seed, uint64_t *count)
{
	uint64_t *v = opt == 's' ? seed : count;

	if (rnd_parse_u64(arg, v) == 0 && (opt == 's' || (*v >= 1 && *v <= 10000000)))
		return 1;
	fprintf(stderr, "genhotline: -%c '%s': expected %s\n", opt, arg,
		opt == 's' ? "an unsigned integer" : "a count, 1 to 10000000");
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = 2023, count = REPORT_COUNT;
	struct ticket *tk;
	int opt, n, nopen, seq = 0, last_day = -1;

	while ((opt = getopt(argc, argv, "s:n:h")) != -1)
		if (opt == 'h' || (opt != 's' && opt != 'n'))
			return usage(opt == 'h');
		else if (!number_option(opt, optarg, &seed, &count))
			return 64;
	if (optind < argc)
		return usage(0);
	n = (int)count;
	nopen = (int)((int64_t)REPORT_OPEN * n / REPORT_COUNT);
	if (!(tk = calloc((size_t)n, sizeof *tk)))
		return 70;
	rnd_seed(seed);
	make(tk, n, nopen);
	puts("工单编号,受理时间,受理渠道,来电人,来电号码,诉求类型,诉求分类,诉求内容,诉求地址,"
	     "紧急程度,承办单位,办理状态,签收时间,办结时间,答复内容,办理结果,满意度,回访时间");
	for (int i = 0; i < n; i++) {
		int day = (int)(tk[i].received / DAY);
		seq = day == last_day ? seq + 1 : 1;
		last_day = day;
		row(&tk[i], seq);
	}
	free(tk);
	return fflush(stdout) == 0 ? 0 : 74;
}
