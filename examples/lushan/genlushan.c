/*
 * genlushan - write the 2023 case export of 鲁山县数字化城管 (synthetic).
 *
 *   genlushan [-s SEED] > examples/lushan/lushan-2023.csv
 *
 * The rows are made up, but they hold, exactly, the figures of the bureau's
 * 2023 report (../shared/domain/lushan-2023-report.txt, DESIGN §1):
 *
 *   8347 cases received, 8130 closed (closure rate 97.4 %); by category
 *   街面秩序类 6975, 突发事件类 30, 施工管理类 56, 市容环境类 822, 部件 464,
 *   the 464 components over the hazard classes the report names (井盖,
 *   雨水箅子, 通讯交接箱, 通信立杆).
 *
 * Exact by construction, whatever the seed: categories, classes, the closed
 * flags, self-disposal and sources are dealt from shuffled decks of exact
 * counts, never drawn one by one with a probability.  The seed (default
 * 2023) moves only which case gets what.
 *
 * The export looks like the platform's: a Chinese header that case-import
 * maps by itself, ids LS2023000001… in order of report time, fewer cases in
 * winter and more in summer, report times mostly 07:00-21:00, the seven
 * steps' times as far as each case got, 处置时限 from the class's limit in
 * lib/taxonomy_default.c over the 2023 working calendar (08:30-12:00,
 * 14:30-18:00, the State Council's holidays), units of units.csv as
 * rules.csv would route them, and free text with the awkward bits of real
 * exports (ASCII commas, a few embedded newlines and double quotes).
 *
 * Own PRNG (xoshiro256**, seeded through splitmix64); libc only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* No fused multiply-add: the same bytes on every machine (GCC does not
 * contract in ISO C mode, and warns about the pragma). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the figures -------------------------------------------------------- */

#define NCASES 8347
#define NCLOSED 8130
#define NOPEN (NCASES - NCLOSED)

enum { CAT_STREET, CAT_EMERG, CAT_BUILD, CAT_ENV, CAT_COMP, NCATS };

static const int cat_count[NCATS] = { 6975, 30, 56, 822, 464 };

/* shares that are not figures of the report, dealt exactly all the same */
#define SELF_SHARE_STREET 0.35 /* of 街面秩序类 cases of a simple class */
#define SELF_SHARE_ENV 0.25    /* of 市容环境类 cases of a simple class */
#define COLLECTOR_SHARE 0.80   /* 监督员上报 of all cases */
#define LATE_SHARE 0.03        /* handled after 处置时限, of dispatched cases */
#define REWORK_SHARE 0.02
#define POSTPONE_SHARE 0.01

/* ---- PRNG --------------------------------------------------------------- */

#include "phrases.h"
#include "rnd.h"

/* a duration in [lo, hi] seconds, skewed towards lo */
static int64_t skewed(int64_t lo, int64_t hi)
{
	double u = rnd_unit();
	return lo + (int64_t)((double)(hi - lo) * u * u);
}

#define PICK(arr) ((arr)[rnd_below((uint32_t)NELEM(arr))])

static void shuffle_int(int *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rnd_below((uint32_t)i);
		int t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

static int pick_weighted(const double *w, size_t n)
{
	double sum = 0, u;

	for (size_t i = 0; i < n; i++)
		sum += w[i];
	u = rnd_unit() * sum;
	for (size_t i = 0; i < n; i++) {
		if (u < w[i])
			return (int)i;
		u -= w[i];
	}
	return (int)n - 1;
}

/* Split total over n weights by the largest remainder: the parts add up. */
static void apportion(const double *w, size_t n, int total, int *part)
{
	double sum = 0, frac[64];
	int given = 0;

	for (size_t i = 0; i < n; i++)
		sum += w[i];
	for (size_t i = 0; i < n; i++) {
		double x = total * w[i] / sum;
		part[i] = (int)x;
		frac[i] = x - part[i];
		given += part[i];
	}
	while (given < total) {
		size_t best = 0;
		for (size_t i = 1; i < n; i++)
			if (frac[i] > frac[best])
				best = i;
		part[best]++;
		frac[best] = -1;
		given++;
	}
}

/* ---- the county --------------------------------------------------------- */

enum unit {
	U_ZJJ, U_SLJ, U_ZLS, U_JJDD, U_GDGS, U_DX, U_LT, U_YD, U_ZMS, U_ZF1,
	U_ZF2, U_ZF3, U_HWC, U_YLZX, U_RQGS, U_CJD, NUNITS,
	U_TEAM = -1, /* the street's 城管执法 squadron */
	U_TEL = -2,  /* a telecom operator: 电信, 联通 or 移动 */
};

/* names as in examples/lushan/units.csv */
static const char *const unit_names[NUNITS] = {
	"县住建局", "县水利局", "县自来水公司", "县公安局交警大队", "县供电公司",
	"中国电信鲁山分公司", "中国联通鲁山分公司", "中国移动鲁山分公司",
	"县城市照明管理所", "城管执法大队一中队", "城管执法大队二中队",
	"城管执法大队三中队", "县环境卫生管理处", "县园林绿化中心", "县燃气公司",
	"数字城管信息采集队",
};

struct street {
	const char *name;
	double weight;
	double lon, lat;   /* centre */
	enum unit team;    /* as rules.csv routes 街面秩序 */
	int ncollectors;   /* of collectors[], in order */
	const char *communities[6];
};

static const struct street streets[] = {
	{ "琴台街道", 24, 112.9060, 33.7460, U_ZF1, 4,
	  { "琴台社区", "花园社区", "南关社区", "文化路社区", "向阳社区", "五里堡社区" } },
	{ "汇源街道", 22, 112.9180, 33.7350, U_ZF1, 4,
	  { "汇源社区", "东关社区", "新华社区", "滨河社区", "东苑社区", "桃园社区" } },
	{ "鲁阳街道", 20, 112.8930, 33.7390, U_ZF2, 4,
	  { "鲁阳社区", "西关社区", "尧山社区", "和平社区", "红旗社区", "前进社区" } },
	{ "露峰街道", 16, 112.8860, 33.7520, U_ZF2, 3,
	  { "露峰社区", "北关社区", "墨公社区", "新城社区", "九龙社区", "北苑社区" } },
	{ "城关镇", 7, 112.9010, 33.7300, U_ZF3, 2,
	  { "城关社区", "前营社区", "后营社区", "十里铺村", "马楼村", "三里店村" } },
	{ "张店乡", 4, 112.9280, 33.7220, U_ZF3, 1,
	  { "张店村", "李老庄村", "高村", "丁村", "柳树店村", "吴寨村" } },
	{ "辛集乡", 3, 112.8800, 33.7640, U_ZF3, 1,
	  { "辛集村", "沙渚汪村", "石门村", "宋庄村", "黄营村", "三里河村" } },
	{ "张官营镇", 4, 112.9260, 33.7600, U_ZF3, 1,
	  { "张官营村", "前城村", "后城村", "魏寨村", "杨庄村", "南寨村" } },
};
#define NSTREETS NELEM(streets)

/* the 20 collectors (信息采集员), by street: streets[].ncollectors each */
static const char *const collectors[20] = {
	"王建军", "李红霞", "张伟", "刘志强",
	"陈丽", "杨帆", "赵磊", "黄海燕",
	"周涛", "吴敏", "徐明", "孙建国",
	"马超", "朱秀兰", "胡勇",
	"郭静", "何平",
	"高峰",
	"林娜",
	"罗刚",
};

enum source { SRC_COLLECTOR, SRC_HOTLINE, SRC_PUBLIC, SRC_LEADER, NSOURCES };

static const char *const source_names[NSOURCES] = {
	"监督员上报", "12345热线", "公众举报", "领导交办",
};
/* among the sources other than 监督员上报 */
static const double other_source_w[NSOURCES] = { 0, 55, 35, 10 };

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "宋", "郑", "梁", "谢",
};

static const char *const roads[] = {
	"人民路", "向阳路", "鲁阳大道", "花园路", "墨子大街", "尧山大道",
	"文化路", "建设路", "南环路", "北环路", "东环路", "西环路", "滍阳路",
	"河滨路", "健康路", "梁山路", "昭平台大道", "府前街", "新华路",
	"中心街", "和平路", "民主路", "红旗路", "迎宾大道", "沙河路",
	"东关大街", "西关大街", "南关大街", "北关大街", "振兴路", "墨公路",
	"钢厂路", "鲁平大道",
};

static const char *const landmarks[] = {
	"农贸市场", "实验中学", "县人民医院", "世纪广场", "汽车站", "幸福小区",
	"鲁山一高", "琴台公园", "福源超市", "建设银行", "县中医院", "体育场",
	"第二小学", "丹尼斯百货", "金色港湾小区", "县政府", "火车站", "沙河大桥",
	"人民公园", "森源小区", "锦绣花园", "邮政局", "中心幼儿园", "夜市",
};

/* no 路口 here: rules.csv sends 机动车乱停放 at a 路口 to the traffic police */
static const char *const spots[] = {
	"门口", "东侧", "西侧", "南侧", "北侧", "对面", "附近", "南门", "北门",
	"东门", "西门", "旁边",
};

static const char *const corners[] = {
	"东北角", "东南角", "西北角", "西南角", "东侧", "西侧", "南侧", "北侧",
};

static const char *const shops[] = {
	"好再来饭店", "鑫源超市", "老王烩面馆", "蜜雪冰城", "华联商场",
	"鲁山揉面", "百姓大药房", "大众烧烤", "金鼎酒店", "兴隆五金",
	"小李水果店", "聚福楼", "红星电动车行", "老街羊肉汤", "明珠宾馆",
};

/* ---- the classes (codes and names of lib/taxonomy_default.c) ------------ */

enum basis { B_WH, B_WD, B_H }; /* working hours, working days, hours */

#define MON(m) (1u << ((m) - 1))
#define SUMMER (MON(6) | MON(7) | MON(8) | MON(9))
#define WINTER (MON(1) | MON(2) | MON(12))

struct klass {
	int cat;
	const char *big, *small, *code;
	int limit;
	enum basis basis;
	int simple;          /* taxonomy's simple flag: may be self-disposed */
	double weight;       /* inside its category (components: the count) */
	int unit;            /* enum unit, U_TEAM or U_TEL */
	unsigned months;     /* season, 0 all year */
	const char *phrases; /* '|'-separated; components: damages */
};

static const struct klass classes[] = {
	/* 部件: the hazards of the report, 464 in all */
	{ CAT_COMP, "公用设施类", "污水井盖", "0102", 2, B_H, 0, 90, U_ZJJ, 0,
	  "破损|缺失|松动有异响|下沉|移位|破裂|高出路面" },
	{ CAT_COMP, "公用设施类", "雨水井盖", "0103", 2, B_H, 0, 85, U_ZJJ, 0,
	  "破损|缺失|松动有异响|下沉|移位|破裂" },
	{ CAT_COMP, "公用设施类", "雨水箅子", "0104", 4, B_H, 0, 80, U_ZJJ, 0,
	  "破损|缺失|堵塞|断裂|下沉|被垃圾覆盖" },
	{ CAT_COMP, "公用设施类", "上水井盖", "0101", 2, B_H, 0, 55, U_ZLS, 0,
	  "破损|缺失|松动有异响|下沉|破裂" },
	{ CAT_COMP, "公用设施类", "通信井盖", "0107", 2, B_H, 0, 50, U_TEL, 0,
	  "破损|缺失|松动有异响|下沉|移位" },
	{ CAT_COMP, "公用设施类", "电力井盖", "0105", 2, B_H, 0, 30, U_GDGS, 0,
	  "破损|缺失|松动有异响|破裂" },
	{ CAT_COMP, "公用设施类", "路灯井盖", "0106", 2, B_H, 0, 25, U_ZMS, 0,
	  "破损|缺失|松动有异响|移位" },
	{ CAT_COMP, "公用设施类", "通讯交接箱", "0115", 2, B_WD, 0, 20, U_TEL, 0,
	  "箱门损坏无法关闭|箱体倾斜|箱门缺失线缆外露|被撞坏|箱体破损" },
	{ CAT_COMP, "公用设施类", "通信立杆", "0114", 2, B_WD, 0, 20, U_TEL, 0,
	  "倾斜|断裂|线缆垂落|杆体锈蚀严重|被车撞歪" },
	{ CAT_COMP, "公用设施类", "信号灯电源井盖", "0108", 2, B_H, 0, 9, U_JJDD, 0,
	  "破损|缺失|松动有异响" },

	/* 街面秩序类 */
	{ CAT_STREET, "街面秩序类", "占道经营", "0509", 2, B_WH, 1, 20, U_TEAM, 0,
	  "商户占道经营|水果摊占用人行道经营|多家门店占道摆放商品|瓜果摊点占道经营" },
	{ CAT_STREET, "街面秩序类", "店外经营", "0504", 2, B_WH, 1, 18, U_TEAM, 0,
	  "商户出店经营,商品摆放至人行道|店铺越门经营|饭店在门外摆放桌椅经营|商户在门前摆放货架出店经营" },
	{ CAT_STREET, "街面秩序类", "机动车乱停放", "0505", 2, B_WH, 1, 14, U_TEAM, 0,
	  "机动车乱停乱放占用人行道|多辆机动车违规停放在盲道上|车辆占用消防通道停放|私家车停放在人行道上影响通行" },
	{ CAT_STREET, "街面秩序类", "流动摊点", "0507", 2, B_WH, 1, 13, U_TEAM, 0,
	  "流动摊点占道经营|早餐流动摊点占道|三轮车流动售卖蔬菜|流动摊贩沿街摆摊" },
	{ CAT_STREET, "街面秩序类", "非机动车乱停放", "0506", 2, B_WH, 1, 12, U_TEAM, 0,
	  "电动车乱停乱放|共享单车堆放杂乱影响通行|非机动车无序停放" },
	{ CAT_STREET, "街面秩序类", "无照经营游商", "0501", 2, B_WH, 1, 8, U_TEAM, 0,
	  "有无照游商沿街叫卖|游商推车兜售水果|多名流动商贩无照经营" },
	{ CAT_STREET, "街面秩序类", "乱堆物堆料", "0510", 4, B_WH, 1, 6, U_TEAM, 0,
	  "乱堆物料占用道路|建筑材料沿街堆放|杂物乱堆乱放" },
	{ CAT_STREET, "街面秩序类", "露天烧烤", "0508", 2, B_WH, 1, 3, U_TEAM,
	  MON(5) | SUMMER,
	  "夜间露天烧烤油烟扰民|商户在门前露天烧烤|占道露天烧烤" },
	{ CAT_STREET, "街面秩序类", "占道废品收购", "0503", 2, B_WH, 1, 2, U_TEAM, 0,
	  "废品收购点占道堆放废品|废品收购站占用人行道分拣废品" },
	{ CAT_STREET, "街面秩序类", "沿街晾挂", "0511", 4, B_WH, 1, 2, U_TEAM, 0,
	  "沿街晾晒衣物|在行道树上拉绳晾挂|沿街晾晒被褥" },
	{ CAT_STREET, "街面秩序类", "噪音扰民", "0512", 4, B_WH, 0, 1.5, U_TEAM, 0,
	  "商户使用高音喇叭招揽顾客|广场舞音响声音过大扰民|店铺门口音响噪音扰民" },
	{ CAT_STREET, "街面秩序类", "流浪乞讨", "0502", 4, B_WH, 0, 0.5, U_TEAM, 0,
	  "有流浪人员沿街乞讨|一名流浪乞讨人员滞留" },

	/* 市容环境类 */
	{ CAT_ENV, "市容环境类", "暴露垃圾", "0102", 4, B_WH, 1, 24, U_HWC, 0,
	  "垃圾暴露未及时清运|路边有暴露垃圾|生活垃圾散落在地面|垃圾桶外溢未清理" },
	{ CAT_ENV, "市容环境类", "道路不洁", "0104", 4, B_WH, 1, 20, U_HWC, 0,
	  "路面油污不洁|道路有大量泥土未清扫|路面污水横流|人行道上有大片油渍" },
	{ CAT_ENV, "市容环境类", "积存垃圾渣土", "0103", 1, B_WD, 0, 12, U_HWC, 0,
	  "积存垃圾渣土未清理|建筑渣土长期堆积|空地上积存大量垃圾" },
	{ CAT_ENV, "市容环境类", "乱涂乱写", "0108", 1, B_WD, 1, 10, U_CJD, 0,
	  "墙面乱涂乱写|电线杆上乱涂乱画|配电箱上被人喷涂电话号码" },
	{ CAT_ENV, "市容环境类", "绿地脏乱", "0106", 1, B_WD, 1, 8, U_YLZX, 0,
	  "绿地内垃圾较多|绿化带内脏乱|绿化带内有大量塑料袋" },
	{ CAT_ENV, "市容环境类", "废弃家具设备", "0107", 1, B_WD, 0, 6, U_HWC, 0,
	  "废弃沙发丢弃在路边|废旧家具乱丢|有人将废弃床垫丢在绿化带内" },
	{ CAT_ENV, "市容环境类", "私搭乱建", "0101", 5, B_WD, 0, 6, U_TEAM, 0,
	  "私自搭建彩钢板房|违规搭建遮阳棚|楼顶私搭乱建|沿街违规搭建简易棚" },
	{ CAT_ENV, "市容环境类", "焚烧垃圾树叶", "0109", 2, B_WH, 0, 4, U_HWC,
	  MON(1) | MON(2) | MON(3) | MON(10) | MON(11) | MON(12),
	  "有人焚烧垃圾树叶|露天焚烧垃圾浓烟较大|环卫人员焚烧落叶" },
	{ CAT_ENV, "市容环境类", "水域不洁", "0105", 1, B_WD, 0, 3, U_SLJ, 0,
	  "河道水面漂浮垃圾|沙河岸边水域不洁|排水渠内漂浮物较多" },
	{ CAT_ENV, "市容环境类", "动物尸体", "0110", 2, B_WH, 1, 2, U_HWC, 0,
	  "路面有动物尸体|路边有死猫未清理|绿化带内有死狗" },

	/* 施工管理类 */
	{ CAT_BUILD, "施工管理类", "工地扬尘", "0302", 4, B_WH, 0, 14, U_ZJJ, 0,
	  "工地扬尘污染严重|工地裸土未覆盖扬尘较大" },
	{ CAT_BUILD, "施工管理类", "道路遗撒", "0303", 4, B_WH, 0, 14, U_ZJJ, 0,
	  "渣土车道路遗撒|运输车辆沿途遗撒泥土" },
	{ CAT_BUILD, "施工管理类", "施工废弃料", "0304", 1, B_WD, 0, 10, U_ZJJ, 0,
	  "施工废弃料随意堆放|装修垃圾堆放在路边" },
	{ CAT_BUILD, "施工管理类", "违规占道施工", "0306", 1, B_WD, 0, 8, U_ZJJ, 0,
	  "违规占道施工未设围挡|占道施工无警示标志" },
	{ CAT_BUILD, "施工管理类", "施工扰民", "0301", 4, B_WH, 0, 6, U_ZJJ, 0,
	  "工地夜间施工噪音扰民|施工机械夜间作业影响居民休息" },
	{ CAT_BUILD, "施工管理类", "无证掘路", "0305", 1, B_WD, 0, 4, U_ZJJ, 0,
	  "无证擅自挖掘道路|私自开挖人行道铺设管线" },

	/* 突发事件类 */
	{ CAT_EMERG, "突发事件类", "道路积水", "0406", 2, B_H, 0, 10, U_ZJJ, SUMMER,
	  "降雨后道路积水严重|下穿通道积水车辆无法通行|铁路桥下积水较深" },
	{ CAT_EMERG, "突发事件类", "路面塌陷", "0401", 2, B_H, 0, 6, U_ZJJ, 0,
	  "路面突然塌陷|路面出现塌陷坑|人行道地面塌陷" },
	{ CAT_EMERG, "突发事件类", "下水道堵塞或破损", "0404", 4, B_H, 0, 6, U_ZJJ, 0,
	  "下水道堵塞污水外溢|污水管道破损污水漫溢" },
	{ CAT_EMERG, "突发事件类", "自来水管破裂", "0402", 2, B_H, 0, 5, U_ZLS, 0,
	  "自来水管破裂大量冒水|地下供水管道爆裂" },
	{ CAT_EMERG, "突发事件类", "道路积雪结冰", "0407", 4, B_H, 0, 2, U_HWC, WINTER,
	  "道路积雪结冰行人易滑倒|桥面结冰存在安全隐患" },
	{ CAT_EMERG, "突发事件类", "燃气管道破裂", "0403", 1, B_H, 0, 1, U_RQGS, 0,
	  "燃气管道破裂有燃气泄漏|闻到明显燃气味疑似管道破裂" },
};
#define NCLASSES NELEM(classes)

static const char *const self_notes[] = {
	"监督员现场劝导，当事人已自行整改。", "已现场处置完毕。",
	"经现场劝导已整改到位。", "采集员与执法队员现场处理，已恢复正常。",
	"已当场劝离，现场恢复整洁。",
};

/* ---- the 2023 calendar -------------------------------------------------- */

/*
 * Times are seconds since 2023-01-01 00:00 local time (+08:00); day 0 was a
 * Sunday.  Working days as lib/calendar.c's built-in table has them
 * (国办发明电〔2022〕16号 and 〔2023〕7号), hours CAL_DEFAULT_HOURS.
 */
#define DAY 86400
#define YEAR_DAYS 365
#define YEAR_END ((int64_t)YEAR_DAYS * DAY)
#define CAL_DAYS (YEAR_DAYS + 120)

static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
static int mstart[13];           /* day of the 1st of each month */
static signed char daykind[CAL_DAYS]; /* 1 working day, 0 not */
static unsigned char daymon[YEAR_DAYS]; /* 1..12 */

static const struct { int y, m, d, n, work; } cal_spans[] = {
	{ 2023, 1, 1, 2, 0 },   /* 元旦 (from 2022-12-31) */
	{ 2023, 1, 21, 7, 0 },  /* 春节 */
	{ 2023, 1, 28, 2, 1 },
	{ 2023, 4, 5, 1, 0 },   /* 清明节 */
	{ 2023, 4, 23, 1, 1 },  /* 劳动节 */
	{ 2023, 4, 29, 5, 0 },
	{ 2023, 5, 6, 1, 1 },
	{ 2023, 6, 22, 3, 0 },  /* 端午节 */
	{ 2023, 6, 25, 1, 1 },
	{ 2023, 9, 29, 8, 0 },  /* 中秋节、国庆节 */
	{ 2023, 10, 7, 2, 1 },
	{ 2023, 12, 30, 3, 0 }, /* 元旦 2024 */
	{ 2024, 2, 4, 1, 1 },   /* 春节 2024 */
	{ 2024, 2, 10, 8, 0 },
	{ 2024, 2, 18, 1, 1 },
};

static const int32_t period_start[2] = { 8 * 3600 + 1800, 14 * 3600 + 1800 };
static const int32_t period_end[2] = { 12 * 3600, 18 * 3600 };

static int weekday(int day) /* 0 Monday .. 6 Sunday */
{
	return (day + 6) % 7;
}

static void calendar_setup(void)
{
	mstart[0] = 0;
	for (int m = 0; m < 12; m++)
		mstart[m + 1] = mstart[m] + mdays[m];
	for (int m = 0; m < 12; m++)
		for (int d = mstart[m]; d < mstart[m + 1]; d++)
			daymon[d] = (unsigned char)(m + 1);
	for (int d = 0; d < CAL_DAYS; d++)
		daykind[d] = weekday(d) < 5;
	for (size_t i = 0; i < NELEM(cal_spans); i++) {
		int d = (cal_spans[i].y - 2023) * YEAR_DAYS +
			mstart[cal_spans[i].m - 1] + cal_spans[i].d - 1;
		for (int k = 0; k < cal_spans[i].n; k++)
			if (d + k >= 0 && d + k < CAL_DAYS)
				daykind[d + k] = (signed char)cal_spans[i].work;
	}
}

static int is_workday(int64_t day)
{
	if (day < CAL_DAYS)
		return daykind[day];
	return weekday((int)(day % 7)) < 5;
}

static int64_t add_working_secs(int64_t t, int64_t secs)
{
	int64_t day = t / DAY, sod = t % DAY;

	if (secs <= 0)
		return t;
	for (;; day++, sod = 0) {
		if (!is_workday(day))
			continue;
		for (int p = 0; p < 2; p++) {
			int64_t start, avail;
			if (sod >= period_end[p])
				continue;
			start = sod > period_start[p] ? sod : period_start[p];
			avail = period_end[p] - start;
			if (secs <= avail)
				return day * DAY + start + secs;
			secs -= avail;
			sod = period_end[p];
		}
	}
}

static int64_t add_working_days(int64_t t, int n)
{
	int64_t day = t / DAY, sod = t % DAY;

	while (n > 0) {
		day++;
		if (is_workday(day))
			n--;
	}
	return day * DAY + sod;
}

static int64_t apply_limit(const struct klass *k, int64_t t)
{
	switch (k->basis) {
	case B_WH:
		return add_working_secs(t, (int64_t)k->limit * 3600);
	case B_WD:
		return add_working_days(t, k->limit);
	case B_H:
	default:
		return t + (int64_t)k->limit * 3600;
	}
}

/* a time between 22:00 and 07:00 moves to the next morning */
static int64_t daytime(int64_t t)
{
	int64_t sod = t % DAY;

	if (sod >= 22 * 3600)
		return (t / DAY + 1) * DAY + 7 * 3600 + 1800 + rnd_below(5400);
	if (sod < 7 * 3600)
		return (t / DAY) * DAY + 7 * 3600 + 1800 + rnd_below(5400);
	return t;
}

/* ---- report times ------------------------------------------------------- */

/* relative volume by month: winter low, summer high, 春节 in January */
static const double month_w[12] = {
	0.62, 0.70, 0.92, 1.00, 1.10, 1.22, 1.28, 1.26, 1.12, 1.00, 0.90, 0.74,
};

/* by hour of day: the collectors' shifts, 07:00-21:00 mostly */
static const double hour_w[24] = {
	0, 0, 0, 0, 0, 0, 0.3, 3.0, 6.0, 7.5, 7.5, 6.0,
	3.0, 2.5, 4.0, 6.5, 7.0, 6.0, 4.0, 3.0, 2.5, 0.8, 0.3, 0,
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void report_times(int64_t *t)
{
	double w[12];
	int per[12], n = 0;

	for (int m = 0; m < 12; m++)
		w[m] = month_w[m] * mdays[m];
	apportion(w, 12, NCASES, per);
	for (int m = 0; m < 12; m++) {
		double dw[31];
		int nd = mdays[m];
		for (int d = 0; d < nd; d++) {
			int day = mstart[m] + d;
			dw[d] = daykind[day] ? 1.0 : 0.65;
			if (day >= 20 && day <= 26) /* 春节, 1月21日-27日 */
				dw[d] = 0.35;
		}
		for (int i = 0; i < per[m]; i++) {
			int day = mstart[m] + pick_weighted(dw, (size_t)nd);
			int h = pick_weighted(hour_w, 24);
			t[n++] = (int64_t)day * DAY + h * 3600 + rnd_below(3600);
		}
	}
	qsort(t, NCASES, sizeof *t, cmp_i64);
}

/* ---- the cases ---------------------------------------------------------- */

enum step { T_REPORTED, T_REGISTERED, T_DISPATCHED, T_HANDLED, T_CLOSED, NSTEPS };

struct kase {
	int64_t t[NSTEPS];  /* -1: none */
	int64_t due;        /* -1: none */
	int cls, street, community;
	enum source source;
	int self, open, late, rework, postpone, crossing, must_open;
	int unit;           /* enum unit, -1 none */
	const char *state;
	char reporter[32];
	int64_t lon, lat;   /* micro-degrees */
	char desc[1024];
	char addr[160];
};

static struct kase cs[NCASES];

struct text {
	char *b;
	size_t cap, n;
};

static void tx_add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->n + n + 1 > t->cap)
		return;
	memcpy(t->b + t->n, s, n);
	t->n += n;
	t->b[t->n] = '\0';
}

static void tx_num(struct text *t, unsigned v)
{
	char tmp[16];

	snprintf(tmp, sizeof tmp, "%u", v);
	tx_add(t, tmp);
}

/* the i-th '|'-separated phrase of a list, into out */
static void phrase(const char *list, unsigned i, char *out, size_t cap)
{
	const char *p = list, *bar;
	size_t n;

	while (i-- && (bar = strchr(p, '|')))
		p = bar + 1;
	bar = strchr(p, '|');
	n = bar ? (size_t)(bar - p) : strlen(p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static unsigned nphrases(const char *list)
{
	unsigned n = 1;

	for (; *list; list++)
		n += *list == '|';
	return n;
}

static const char *operator_tag(int unit)
{
	switch (unit) {
	case U_LT: return "联通";
	case U_YD: return "中国移动";
	case U_DX: return "电信";
	default: return "";
	}
}

static void make_desc(struct kase *c, const char *road, const char *road2,
		      unsigned num)
{
	const struct klass *k = &classes[c->cls];
	struct text t = { c->desc, sizeof c->desc, 0 };
	int comma = chance(0.10), nl = chance(0.02), quote = chance(0.015);
	const char *sep = comma ? "," : "，";
	char ph[256];

	c->desc[0] = '\0';
	/* where */
	if (quote) {
		tx_add(&t, road);
		tx_add(&t, "\"");
		tx_add(&t, PICK(shops));
		tx_add(&t, "\"");
		tx_add(&t, chance(0.5) ? "门前" : "门口");
	} else if (chance(0.06)) {
		/* no place: the address column says it */
	} else if (c->crossing) {
		tx_add(&t, road);
		tx_add(&t, "与");
		tx_add(&t, road2);
		tx_add(&t, chance(0.5) ? "交叉口" : "路口");
		tx_add(&t, PICK(corners));
	} else if (chance(0.5)) {
		tx_add(&t, road);
		tx_num(&t, num);
		tx_add(&t, "号");
		tx_add(&t, chance(0.5) ? "门前" : "附近");
	} else {
		tx_add(&t, road);
		tx_add(&t, PICK(landmarks));
		tx_add(&t, PICK(spots));
	}
	/* what */
	phrase(k->phrases, rnd_below(nphrases(k->phrases)), ph, sizeof ph);
	if (k->cat == CAT_COMP) {
		tx_add(&t, chance(0.5) ? "" : "发现");
		tx_add(&t, operator_tag(c->unit));
		tx_add(&t, k->small);
		tx_add(&t, ph);
	} else {
		tx_add(&t, chance(0.3) ? "有" : "");
		tx_add(&t, ph);
	}
	if (c->self) {
		tx_add(&t, sep);
		tx_add(&t, PICK(effects));
		tx_add(&t, "。");
		tx_add(&t, PICK(self_notes));
		return;
	}
	/* so what */
	{
		int ne = 1 + (int)rnd_below(2);
		const char *prev = NULL;
		for (int i = 0; i < ne; i++) {
			const char *e = PICK(effects);
			if (e == prev)
				continue;
			tx_add(&t, i == 0 ? sep : "，");
			tx_add(&t, e);
			prev = e;
		}
	}
	/* a collector's note, sometimes on its own line */
	if (nl || chance(0.12)) {
		tx_add(&t, nl ? "\n" : "。");
		tx_add(&t, PICK(notes));
		if (nl)
			tx_add(&t, "\n");
	} else {
		tx_add(&t, sep);
	}
	tx_add(&t, PICK(requests));
}

static int has_any(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(s, words[i]))
			return 1;
	return 0;
}

/* What rules.csv would route elsewhere must not be in the text. */
static int desc_conflicts(const struct kase *c)
{
	static const char *const crossing_words[] = {
		"交叉口", "路口", "机动车道", "车行道",
	};
	static const char *const operators[] = { "联通", "网通", "移动", "铁通" };
	const struct klass *k = &classes[c->cls];

	if (strcmp(k->code, "0505") == 0 && k->cat == CAT_STREET &&
	    c->unit != U_JJDD)
		return has_any(c->desc, crossing_words, NELEM(crossing_words)) ||
		       has_any(c->addr, crossing_words, NELEM(crossing_words));
	if (c->unit == U_DX)
		return has_any(c->desc, operators, NELEM(operators)) ||
		       has_any(c->addr, operators, NELEM(operators));
	return 0;
}

static void make_place(struct kase *c)
{
	const struct street *st = &streets[c->street];
	const char *road = PICK(roads), *road2;
	unsigned num = 1 + rnd_below(rnd_below(4) ? 200 : 600);
	double lon, lat;
	struct text a = { c->addr, sizeof c->addr, 0 };

	do
		road2 = PICK(roads);
	while (road2 == road);
	c->community = (int)rnd_below(6);
	/* triangular jitter around the street's centre, inside ±0.03° of
	 * 112.905, 33.74 */
	do {
		lon = st->lon + (rnd_unit() + rnd_unit() - 1.0) * 0.012;
		lat = st->lat + (rnd_unit() + rnd_unit() - 1.0) * 0.010;
	} while (lon < 112.875 || lon > 112.935 || lat < 33.71 || lat > 33.77);
	c->lon = (int64_t)(lon * 1e6 + 0.5);
	c->lat = (int64_t)(lat * 1e6 + 0.5);

	c->addr[0] = '\0';
	tx_add(&a, "鲁山县");
	tx_add(&a, road);
	if (c->crossing) {
		tx_add(&a, "与");
		tx_add(&a, road2);
		tx_add(&a, "交叉口");
	} else {
		tx_num(&a, num);
		tx_add(&a, "号");
	}
	for (int tries = 0; tries < 100; tries++) {
		make_desc(c, road, road2, num);
		if (!desc_conflicts(c))
			break;
	}
}

static void make_reporter(struct kase *c)
{
	int first = 0;

	switch (c->source) {
	case SRC_COLLECTOR:
		for (int s = 0; s < c->street; s++)
			first += streets[s].ncollectors;
		if (chance(0.05)) /* covering another street */
			snprintf(c->reporter, sizeof c->reporter, "%s",
				 collectors[rnd_below(NELEM(collectors))]);
		else
			snprintf(c->reporter, sizeof c->reporter, "%s",
				 collectors[first + (int)rnd_below((uint32_t)streets[c->street].ncollectors)]);
		break;
	case SRC_HOTLINE:
		snprintf(c->reporter, sizeof c->reporter, "12345热线平台");
		break;
	case SRC_PUBLIC: {
		/* one draw per statement: argument order is unspecified */
		const char *sur = PICK(surnames);
		snprintf(c->reporter, sizeof c->reporter, "%s%s", sur,
			 chance(0.5) ? "先生" : "女士");
		break;
	}
	case SRC_LEADER:
	default:
		snprintf(c->reporter, sizeof c->reporter, "指挥中心值班员");
		break;
	}
}

static int pick_unit(const struct kase *c)
{
	const struct klass *k = &classes[c->cls];

	if (c->self)
		return U_CJD;
	if (k->unit == U_TEL) {
		uint32_t r = rnd_below(4);
		return r < 2 ? U_DX : r == 2 ? U_LT : U_YD;
	}
	if (k->unit == U_TEAM) {
		if (c->crossing && strcmp(k->code, "0505") == 0 && k->cat == CAT_STREET)
			return U_JJDD;
		return streets[c->street].team;
	}
	return k->unit;
}

/* Choose exactly k of the n indices in idx (they end up first). */
static void choose(int *idx, size_t n, size_t k)
{
	for (size_t i = 0; i < k && i < n; i++) {
		size_t j = i + rnd_below((uint32_t)(n - i));
		int t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
}

static int iround(double x) /* x >= 0 */
{
	return (int)(x + 0.5);
}

static void deal_classes(void)
{
	static int deck[NCASES];
	int n = 0;

	/* categories: an exact deck, shuffled */
	for (int cat = 0; cat < NCATS; cat++)
		for (int i = 0; i < cat_count[cat]; i++)
			deck[n++] = cat;
	shuffle_int(deck, NCASES);

	/* classes: inside each category, exact quotas, shuffled */
	for (int cat = 0; cat < NCATS; cat++) {
		double w[NCLASSES];
		int idx[NCLASSES], part[NCLASSES], nc = 0, m = 0;
		int *slots = malloc(sizeof *slots * (size_t)cat_count[cat]);
		if (!slots) {
			perror("genlushan");
			exit(70);
		}
		for (size_t i = 0; i < NCLASSES; i++)
			if (classes[i].cat == cat) {
				idx[nc] = (int)i;
				w[nc++] = classes[i].weight;
			}
		apportion(w, (size_t)nc, cat_count[cat], part);
		for (int j = 0; j < nc; j++)
			for (int q = 0; q < part[j]; q++)
				slots[m++] = idx[j];
		shuffle_int(slots, (size_t)m);
		m = 0;
		for (int i = 0; i < NCASES; i++)
			if (deck[i] == cat)
				cs[i].cls = slots[m++];
		free(slots);
	}

	/* seasons: a case of a seasonal class out of its season changes
	 * classes with a case of an all-year class in season (counts stay) */
	for (int i = 0; i < NCASES; i++) {
		const struct klass *k = &classes[cs[i].cls];
		unsigned mon = MON(daymon[cs[i].t[T_REPORTED] / DAY]);
		if (!k->months || (k->months & mon))
			continue;
		for (int tries = 0; tries < 1000000; tries++) {
			int j = (int)rnd_below(NCASES);
			unsigned mj = MON(daymon[cs[j].t[T_REPORTED] / DAY]);
			if (!classes[cs[j].cls].months && (k->months & mj)) {
				int t = cs[i].cls;
				cs[i].cls = cs[j].cls;
				cs[j].cls = t;
				break;
			}
		}
	}
}

static void deal_self_and_sources(void)
{
	static int idx[NCASES];
	int nself = 0, n, ncoll;

	/* self-disposal: simple classes of street order and of the environment */
	for (int pass = 0; pass < 2; pass++) {
		int cat = pass ? CAT_ENV : CAT_STREET;
		double share = pass ? SELF_SHARE_ENV : SELF_SHARE_STREET;
		int k;
		n = 0;
		for (int i = 0; i < NCASES; i++)
			if (classes[cs[i].cls].cat == cat && classes[cs[i].cls].simple)
				idx[n++] = i;
		k = iround(share * n);
		choose(idx, (size_t)n, (size_t)k);
		for (int i = 0; i < k; i++)
			cs[idx[i]].self = 1;
		nself += k;
	}

	/* sources: 监督员上报 for every self-disposed case and for enough of
	 * the others to make COLLECTOR_SHARE; the rest by weight */
	ncoll = iround(COLLECTOR_SHARE * NCASES) - nself;
	if (ncoll < 0)
		ncoll = 0;
	n = 0;
	for (int i = 0; i < NCASES; i++) {
		if (cs[i].self)
			cs[i].source = SRC_COLLECTOR;
		else
			idx[n++] = i;
	}
	choose(idx, (size_t)n, (size_t)ncoll);
	for (int i = 0; i < n; i++)
		cs[idx[i]].source = i < ncoll ? SRC_COLLECTOR :
			(enum source)pick_weighted(other_source_w, NSOURCES);
}

/* Flags dealt exactly over the dispatched (not self-disposed) cases. */
static void deal_flags(void)
{
	static int idx[NCASES];
	int n = 0, k;

	for (int i = 0; i < NCASES; i++)
		if (!cs[i].self)
			idx[n++] = i;
	k = iround(LATE_SHARE * n);
	choose(idx, (size_t)n, (size_t)k);
	for (int i = 0; i < k; i++)
		cs[idx[i]].late = 1;
	k = iround(REWORK_SHARE * n);
	choose(idx, (size_t)n, (size_t)k);
	for (int i = 0; i < k; i++)
		cs[idx[i]].rework = 1;
	k = iround(POSTPONE_SHARE * n);
	choose(idx, (size_t)n, (size_t)k);
	for (int i = 0; i < k; i++)
		cs[idx[i]].postpone = 1;
}

/* The seven steps of a case that runs to the end. */
static void timeline(struct kase *c)
{
	const struct klass *k = &classes[c->cls];
	int64_t *t = c->t;
	int64_t due1, lo, hi;
	double u1, u2;

	if (c->self) {
		/* 简易处置: found, handled on the spot, closed in about 30 min */
		t[T_REGISTERED] = t[T_DISPATCHED] = -1;
		t[T_CLOSED] = t[T_REPORTED] + 1200 + rnd_below(601) + rnd_below(601);
		t[T_HANDLED] = t[T_CLOSED] - 120 - rnd_below(600);
		c->due = -1;
		return;
	}
	t[T_REGISTERED] = t[T_REPORTED] + skewed(120, 1200);
	t[T_DISPATCHED] = t[T_REGISTERED] + skewed(60, 900);
	due1 = c->due = apply_limit(k, t[T_DISPATCHED]);
	if (c->postpone)
		c->due = apply_limit(k, due1);
	if (c->late) {
		t[T_HANDLED] = c->due + skewed(600, k->basis == B_WD ? DAY : 6 * 3600);
		if (k->basis != B_H)
			t[T_HANDLED] = daytime(t[T_HANDLED]);
	} else {
		lo = c->postpone ? due1 - 1800 : t[T_DISPATCHED] + 900;
		hi = c->due - 300;
		if (lo < t[T_DISPATCHED] + 300)
			lo = t[T_DISPATCHED] + 300;
		if (hi < lo)
			hi = lo;
		u1 = rnd_unit(); /* two statements: the same bytes from any compiler */
		u2 = rnd_unit();
		t[T_HANDLED] = lo + (int64_t)((double)(hi - lo) * u1 * u2);
		if (k->basis != B_H) {
			t[T_HANDLED] = daytime(t[T_HANDLED]);
			if (t[T_HANDLED] > hi)
				t[T_HANDLED] = hi - rnd_below(600);
			if (t[T_HANDLED] <= t[T_DISPATCHED])
				t[T_HANDLED] = t[T_DISPATCHED] + 300;
		}
	}
	if (c->rework) /* the first handling failed 核查 and was redone */
		t[T_HANDLED] = daytime(t[T_HANDLED] + skewed(3600, 8 * 3600));
	/* 核查 and 结案: inside the limit when the handling was */
	if (t[T_HANDLED] < c->due) {
		int64_t room = c->due - t[T_HANDLED] - 60, close;
		if (room > 3 * 3600)
			room = 3 * 3600;
		if (room < 120)
			room = 120;
		t[T_CLOSED] = t[T_HANDLED] + skewed(60, room);
		close = daytime(t[T_CLOSED]);
		if (close <= c->due)
			t[T_CLOSED] = close;
	} else {
		t[T_CLOSED] = daytime(t[T_HANDLED] + skewed(600, 3 * 3600));
	}
}

static double open_weight(const struct kase *c)
{
	const struct klass *k = &classes[c->cls];
	double age = (double)(YEAR_END - c->t[T_REPORTED]) / DAY / 10.0;
	double w = 1.0 + 40.0 / (1.0 + age * age);

	if (k->cat == CAT_COMP)
		w *= 3; /* owners unclear, parts to order */
	else if (k->cat == CAT_BUILD || k->basis == B_WD)
		w *= 2;
	return w;
}

/* Exactly NOPEN cases stay open at the end of 2023. */
static void deal_open(void)
{
	static int idx[NCASES];
	static double w[NCASES];
	int nmust = 0, n = 0, need;

	/* those still running at the year's end are open */
	for (int i = NCASES - 1; i >= 0; i--)
		if (!cs[i].self && cs[i].t[T_CLOSED] >= YEAR_END)
			idx[nmust++] = i;
	/* far too many (another seed, another volume): the earliest finish
	 * faster, their steps squeezed before the year's end */
	for (int j = NOPEN; j < nmust; j++) {
		struct kase *c = &cs[idx[j]];
		int64_t t0 = c->t[T_REPORTED];
		int64_t end = YEAR_END - 60 - rnd_below(600);
		double f = (double)(end - t0) / (double)(c->t[T_CLOSED] - t0);
		for (int s = T_REGISTERED; s < NSTEPS; s++)
			c->t[s] = t0 + (int64_t)((double)(c->t[s] - t0) * f) + s;
	}
	if (nmust > NOPEN)
		nmust = NOPEN;
	for (int j = 0; j < nmust; j++)
		cs[idx[j]].open = cs[idx[j]].must_open = 1;

	/* the rest: stuck cases, more of them recent */
	for (int i = 0; i < NCASES; i++)
		if (!cs[i].self && !cs[i].open) {
			idx[n] = i;
			w[n++] = open_weight(&cs[i]);
		}
	for (need = NOPEN - nmust; need > 0; need--) {
		int j = pick_weighted(w, (size_t)n);
		cs[idx[j]].open = 1;
		w[j] = 0;
	}
}

static void truncate_at(struct kase *c, int last)
{
	for (int s = last + 1; s < NSTEPS; s++)
		c->t[s] = -1;
	if (last < T_DISPATCHED) {
		c->due = -1;
		c->unit = -1;
		c->postpone = 0;
	}
	if (last < T_HANDLED) {
		c->rework = 0;
		c->late = 0;
	}
}

static void open_state(struct kase *c)
{
	int last;

	if (c->must_open) {
		if (c->t[T_REGISTERED] >= YEAR_END)
			c->t[T_REGISTERED] = c->t[T_REPORTED] + 60;
		if (c->t[T_DISPATCHED] >= YEAR_END)
			last = T_REGISTERED;
		else if (c->t[T_HANDLED] >= YEAR_END)
			last = T_DISPATCHED;
		else
			last = T_HANDLED;
	} else {
		static const double comp_w[] = { 25, 15, 35, 25 };
		static const double event_w[] = { 5, 20, 45, 30 };
		int r = pick_weighted(classes[c->cls].cat == CAT_COMP ? comp_w : event_w, 4);
		last = r == 0 ? T_REGISTERED : r <= 2 ? T_DISPATCHED : T_HANDLED;
		if (r == 2)
			last = -2; /* 处置中: dispatched, handling */
	}
	if (last == T_REGISTERED) {
		c->state = "已立案";
	} else if (last == T_DISPATCHED || last == -2) {
		int64_t since = YEAR_END - c->t[T_DISPATCHED];
		if (last == -2 || (c->must_open && since > 3600 && chance(0.6)))
			c->state = "处置中";
		else
			c->state = "已派遣";
		last = T_DISPATCHED;
	} else {
		c->state = "已处置";
	}
	truncate_at(c, last);
}

/* ---- output ------------------------------------------------------------- */

static const char *const header[] = {
	"案件编号", "问题来源", "问题类型", "大类", "小类", "小类编码", "问题描述",
	"问题地址", "所属街道", "社区", "经度", "纬度", "上报人", "上报时间",
	"立案时间", "派遣时间", "处置时间", "结案时间", "处置时限", "案件状态",
	"处置单位", "返工次数", "延期次数",
};

static void put_csv(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static void put_time(FILE *f, int64_t t)
{
	int64_t day = t / DAY, sod = t % DAY;
	int y = 2023, m = 0;

	while (day >= (y == 2024 ? 366 : 365)) {
		day -= y == 2024 ? 366 : 365;
		y++;
	}
	for (;;) {
		int len = mdays[m] + (m == 1 && y % 4 == 0);
		if (day < len)
			break;
		day -= len;
		m++;
	}
	fprintf(f, "%04d-%02d-%02d %02d:%02d:%02d", y, m + 1, (int)day + 1,
		(int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

static void put_micro(FILE *f, int64_t v)
{
	fprintf(f, "%lld.%06lld", (long long)(v / 1000000), (long long)(v % 1000000));
}

static void write_row(FILE *f, int i)
{
	const struct kase *c = &cs[i];
	const struct klass *k = &classes[c->cls];
	const struct street *st = &streets[c->street];

	fprintf(f, "LS2023%06d,", i + 1);
	fputs(source_names[c->source], f);
	putc(',', f);
	fputs(k->cat == CAT_COMP ? "部件" : "事件", f);
	fprintf(f, ",%s,%s,%s,", k->big, k->small, k->code);
	put_csv(f, c->desc);
	putc(',', f);
	put_csv(f, c->addr);
	fprintf(f, ",%s,%s,", st->name, st->communities[c->community]);
	put_micro(f, c->lon);
	putc(',', f);
	put_micro(f, c->lat);
	putc(',', f);
	put_csv(f, c->reporter);
	for (int s = 0; s < NSTEPS; s++) {
		putc(',', f);
		if (c->t[s] >= 0)
			put_time(f, c->t[s]);
	}
	putc(',', f);
	if (c->due >= 0)
		put_time(f, c->due);
	fprintf(f, ",%s,%s,%d,%d\n", c->state, c->unit >= 0 ? unit_names[c->unit] : "",
		c->rework, c->postpone);
}

/* ---- main --------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("usage: genlushan [-s SEED]\n"
	      "Write the synthetic 2023 case export of 鲁山县数字化城管 (8347 cases,\n"
	      "8130 closed, by category as the 2023 report) as CSV to standard\n"
	      "output; the same bytes for the same SEED (default 2023).\n", f);
}

int main(int argc, char **argv)
{
	static int64_t t0[NCASES];
	double street_w[NSTREETS];
	uint64_t seed = 2023;
	int opt, nclosed = 0;

	while ((opt = getopt(argc, argv, "s:h")) != -1) {
		switch (opt) {
		case 's':
			if (rnd_parse_u64(optarg, &seed) < 0) {
				fprintf(stderr, "genlushan: -s '%s': expected an unsigned integer\n", optarg);
				return 64;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 64;
	}

	rnd_seed(seed);
	calendar_setup();
	report_times(t0);
	for (int i = 0; i < NCASES; i++) {
		cs[i].t[T_REPORTED] = t0[i];
		cs[i].unit = -1;
	}
	deal_classes();
	deal_self_and_sources();
	deal_flags();
	for (size_t s = 0; s < NSTREETS; s++)
		street_w[s] = streets[s].weight;
	for (int i = 0; i < NCASES; i++) {
		struct kase *c = &cs[i];
		c->street = pick_weighted(street_w, NSTREETS);
		c->crossing = strcmp(classes[c->cls].code, "0505") == 0 &&
			      classes[c->cls].cat == CAT_STREET ? chance(0.3) : chance(0.2);
		c->unit = pick_unit(c);
		make_reporter(c);
		make_place(c);
		timeline(c);
	}
	deal_open();
	for (int i = 0; i < NCASES; i++) {
		struct kase *c = &cs[i];
		if (c->open) {
			open_state(c);
		} else {
			c->state = c->self ? "自行处置" : "已结案";
			nclosed++;
		}
	}
	if (nclosed != NCLOSED) {
		fprintf(stderr, "genlushan: internal error: %d closed, not %d\n",
			nclosed, NCLOSED);
		return 70;
	}

	for (size_t h = 0; h < NELEM(header); h++) {
		if (h)
			putchar(',');
		fputs(header[h], stdout);
	}
	putchar('\n');
	for (int i = 0; i < NCASES; i++)
		write_row(stdout, i);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			perror("genlushan: write");
		return 74;
	}
	return 0;
}
