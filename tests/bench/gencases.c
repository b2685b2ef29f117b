/*
 * gencases - write a synthetic, realistic 数字城管 case export for `make bench`.
 *
 *   gencases [-n ROWS] [-s SEED] [-y YEAR] [-f csv|jsonl] > cases.csv
 *
 * The rows look like a county platform's yearly export (鲁山县, 2023): a Chinese
 * header that case-import maps by itself, ids LS2023000001…, about 5.5 %
 * components, events mostly 街面秩序类, free-text descriptions with the awkward
 * bits of real exports (ASCII commas, embedded newlines, double quotes), report
 * times ascending through the year with a day-time rhythm, and ~97 % closed.
 *
 * YEAR (default 2023, a year of 365 days) moves the ids and times to another
 * year, for a store that already holds one.
 *
 * The output depends only on ROWS, SEED and YEAR: the generator has its own PRNG
 * (xoshiro256**, seeded through splitmix64) and links nothing but libc.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- PRNG --------------------------------------------------------------- */

#include "phrases.h"
#include "rnd.h"

#define PICK(arr) ((arr)[rnd_below((uint32_t)(sizeof(arr) / sizeof((arr)[0])))])
#define NELEM(arr) (sizeof(arr) / sizeof((arr)[0]))

/* ---- the county --------------------------------------------------------- */

enum {
	U_TEAM = -1, /* the street's 城管执法 squadron */
	U_TEAM1 = 0, U_TEAM2, U_TEAM3, U_SANIT, U_HOUSING, U_WATERRES, U_POWER,
	U_TRAFFIC, U_TELECOM, U_GARDEN, U_WATER, U_GAS, U_FIRE, NUNITS
};

static const char *const units[NUNITS] = {
	"城管执法大队一中队", "城管执法大队二中队", "城管执法大队三中队",
	"县环境卫生管理处", "县住建局", "县水利局", "县供电公司",
	"县公安局交警大队", "中国电信鲁山分公司", "县园林绿化中心",
	"县自来水公司", "县燃气公司", "县消防救援大队",
};

struct street {
	const char *name;
	double weight;
	double lon, lat;   /* centre */
	double spread;     /* degrees */
	int team;          /* U_TEAM1..3 */
	const char *communities[6];
};

static const struct street streets[] = {
	{ "琴台街道", 20, 112.9060, 33.7455, 0.010, U_TEAM1,
	  { "琴台社区", "花园社区", "南关社区", "文化路社区", "向阳社区", "五里堡社区" } },
	{ "汇源街道", 18, 112.9180, 33.7340, 0.010, U_TEAM1,
	  { "汇源社区", "东关社区", "新华社区", "滨河社区", "东苑社区", "桃园社区" } },
	{ "鲁阳街道", 17, 112.8930, 33.7390, 0.010, U_TEAM2,
	  { "鲁阳社区", "西关社区", "尧山社区", "和平社区", "红旗社区", "西苑社区" } },
	{ "露峰街道", 14, 112.8850, 33.7520, 0.011, U_TEAM2,
	  { "露峰社区", "北关社区", "墨公社区", "新城社区", "九龙社区", "北苑社区" } },
	{ "城关镇", 14, 112.9010, 33.7370, 0.012, U_TEAM3,
	  { "城关社区", "前营社区", "后营社区", "十里铺村", "下汤村", "马楼村" } },
	{ "张店乡", 6, 112.9360, 33.7180, 0.012, U_TEAM3,
	  { "张店村", "李老庄村", "高村", "丁村", "柳树店村", "吴寨村" } },
	{ "辛集乡", 5, 112.8620, 33.7700, 0.012, U_TEAM3,
	  { "辛集村", "沙渚汪村", "石门村", "宋庄村", "黄营村", "三里河村" } },
	{ "张官营镇", 6, 112.9320, 33.7610, 0.012, U_TEAM3,
	  { "张官营村", "前城村", "后城村", "魏寨村", "杨庄村", "南寨村" } },
};
#define NSTREETS NELEM(streets)

static const char *const roads[] = {
	"人民路", "向阳路", "鲁阳大道", "花园路", "墨子大街", "尧山大道",
	"文化路", "建设路", "南环路", "北环路", "东环路", "西环路", "滍阳路",
	"河滨路", "健康路", "梁山路", "昭平台大道", "府前街", "新华路",
	"中心街", "和平路", "民主路", "红旗路", "迎宾大道", "沙河路",
	"东关大街", "西关大街", "南关大街", "北关大街", "振兴路",
};

static const char *const landmarks[] = {
	"农贸市场", "实验中学", "县人民医院", "世纪广场", "汽车站", "幸福小区",
	"鲁山一高", "琴台公园", "福源超市", "建设银行", "县中医院", "体育场",
	"第二小学", "丹尼斯百货", "金色港湾小区", "县政府", "火车站", "沙河大桥",
	"人民公园", "鑫苑小区", "锦绣花园", "邮政局", "中心幼儿园", "夜市",
};

static const char *const spots[] = {
	"门口", "东侧", "西侧", "南侧", "北侧", "对面", "附近", "南门", "北门",
	"东门", "西门", "路口", "旁边",
};

static const char *const corners[] = {
	"东北角", "东南角", "西北角", "西南角", "东侧", "西侧", "南侧", "北侧",
	"路口", "附近",
};

static const char *const shops[] = {
	"好再来饭店", "鑫源超市", "老王烩面馆", "蜜雪冰城", "华联商场",
	"鲁山揉面", "百姓大药房", "大众烧烤", "金鼎酒店", "兴隆五金",
	"小李水果店", "聚福楼", "红星电动车行", "老街羊肉汤", "明珠宾馆",
};

struct source {
	const char *name;
	double weight;
};

static const struct source sources[] = {
	{ "监督员上报", 72 }, { "12345热线", 10 }, { "视频监控", 8 },
	{ "公众举报", 6 }, { "领导交办", 2 }, { "媒体曝光", 1 }, { "部门移交", 1 },
};

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗",
};
static const char *const given[] = {
	"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋",
	"勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚",
	"建国", "红梅", "志强", "海燕",
};

/* ---- the taxonomy (lib/taxonomy_default.c) ------------------------------ */

enum damage { DMG_NONE, DMG_COVER, DMG_LIGHT, DMG_OTHER };

struct klass {
	int component;
	const char *big, *small;
	double weight;     /* relative, inside its group */
	int unit;          /* U_* or U_TEAM */
	const char *phrases; /* '|'-separated problem phrases, or NULL */
	/* filled in at start */
	int group;
	enum damage dmg;
	const char *ph[6];
	int nph;
};

static struct klass classes[] = {
	{ 1, "公用设施类", "上水井盖", 6, U_WATER, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "污水井盖", 8, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "雨水井盖", 8, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "雨水箅子", 7, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "电力井盖", 4, U_POWER, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "路灯井盖", 3, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "通信井盖", 5, U_TELECOM, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "信号灯电源井盖", 1, U_TRAFFIC, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "燃气井盖", 2, U_GAS, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "热力井盖", 1, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "消防栓", 1, U_WATER, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "路灯", 9, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "信号灯", 2, U_TRAFFIC, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "通信立杆", 2, U_TELECOM, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "通讯交接箱", 2, U_TELECOM, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "电力设施", 2, U_POWER, NULL, 0, 0, {0}, 0 },
	{ 1, "公用设施类", "无主井盖", 1, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "道路交通类", "交通标志牌", 2, U_TRAFFIC, NULL, 0, 0, {0}, 0 },
	{ 1, "道路交通类", "道路护栏", 4, U_TRAFFIC, NULL, 0, 0, {0}, 0 },
	{ 1, "道路交通类", "隔离墩", 2, U_TRAFFIC, NULL, 0, 0, {0}, 0 },
	{ 1, "道路交通类", "路名牌", 1, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "道路交通类", "公交站亭", 1, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "道路交通类", "人行道板", 5, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "道路交通类", "盲道", 2, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "道路交通类", "停车设施", 1, U_TRAFFIC, NULL, 0, 0, {0}, 0 },
	{ 1, "市容环境类", "公共厕所", 1, U_SANIT, NULL, 0, 0, {0}, 0 },
	{ 1, "市容环境类", "垃圾箱", 4, U_SANIT, NULL, 0, 0, {0}, 0 },
	{ 1, "市容环境类", "果皮箱", 3, U_SANIT, NULL, 0, 0, {0}, 0 },
	{ 1, "市容环境类", "垃圾间", 1, U_SANIT, NULL, 0, 0, {0}, 0 },
	{ 1, "市容环境类", "广告牌匾", 2, U_TEAM, NULL, 0, 0, {0}, 0 },
	{ 1, "市容环境类", "景观灯", 2, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "园林绿化类", "行道树", 3, U_GARDEN, NULL, 0, 0, {0}, 0 },
	{ 1, "园林绿化类", "绿地", 2, U_GARDEN, NULL, 0, 0, {0}, 0 },
	{ 1, "园林绿化类", "花坛花架", 1, U_GARDEN, NULL, 0, 0, {0}, 0 },
	{ 1, "园林绿化类", "古树名木", 0.2, U_GARDEN, NULL, 0, 0, {0}, 0 },
	{ 1, "园林绿化类", "护树设施", 1, U_GARDEN, NULL, 0, 0, {0}, 0 },
	{ 1, "房屋土地类", "宣传栏", 1, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "房屋土地类", "危房", 0.3, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "其他设施类", "健身设施", 1, U_HOUSING, NULL, 0, 0, {0}, 0 },
	{ 1, "其他设施类", "监控电子眼", 1, U_TRAFFIC, NULL, 0, 0, {0}, 0 },
	{ 1, "其他设施类", "防汛设施", 0.5, U_WATERRES, NULL, 0, 0, {0}, 0 },

	{ 0, "市容环境类", "私搭乱建", 8, U_TEAM,
	  "私自搭建彩钢板房|违规搭建遮阳棚|楼顶私搭乱建|沿街违规搭建简易棚", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "暴露垃圾", 22, U_SANIT,
	  "垃圾暴露未及时清运|路边有暴露垃圾|生活垃圾散落在地面|垃圾桶外溢未清理", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "积存垃圾渣土", 12, U_SANIT,
	  "积存垃圾渣土未清理|建筑渣土长期堆积|空地上积存大量垃圾", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "道路不洁", 20, U_SANIT,
	  "路面油污不洁|道路有大量泥土未清扫|路面污水横流|人行道上有大片油渍", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "水域不洁", 3, U_WATERRES,
	  "河道水面漂浮垃圾|沙河岸边水域不洁|排水渠内漂浮物较多", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "绿地脏乱", 8, U_GARDEN,
	  "绿地内垃圾较多|绿化带内脏乱|绿化带内有大量塑料袋", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "废弃家具设备", 5, U_SANIT,
	  "废弃沙发丢弃在路边|废旧家具乱丢|有人将废弃床垫丢在绿化带内", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "乱涂乱写", 6, U_TEAM,
	  "墙面乱涂乱写|电线杆上乱涂乱画|配电箱上被人喷涂电话号码", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "焚烧垃圾树叶", 4, U_SANIT,
	  "有人焚烧垃圾树叶|露天焚烧垃圾浓烟较大|环卫人员焚烧落叶", 0, 0, {0}, 0 },
	{ 0, "市容环境类", "动物尸体", 2, U_SANIT,
	  "路面有动物尸体|路边有死猫未清理|绿化带内有死狗", 0, 0, {0}, 0 },

	{ 0, "宣传广告类", "非法小广告", 6, U_TEAM,
	  "墙面张贴非法小广告|电线杆上贴满小广告|单元门口张贴办证小广告", 0, 0, {0}, 0 },
	{ 0, "宣传广告类", "违章张贴悬挂广告牌匾", 2, U_TEAM,
	  "违章悬挂广告牌匾|门头广告牌未经审批擅自设置", 0, 0, {0}, 0 },
	{ 0, "宣传广告类", "占道广告牌", 3, U_TEAM,
	  "商户在人行道上摆放广告牌|占道摆放立式广告牌", 0, 0, {0}, 0 },
	{ 0, "宣传广告类", "街头散发广告", 2, U_TEAM,
	  "有人在街头散发广告传单|健身房人员沿街发放传单", 0, 0, {0}, 0 },
	{ 0, "宣传广告类", "横幅标语", 1, U_TEAM,
	  "私自悬挂横幅|过街横幅破损未拆除", 0, 0, {0}, 0 },

	{ 0, "施工管理类", "施工扰民", 3, U_HOUSING,
	  "工地夜间施工噪音扰民|施工机械夜间作业影响居民休息", 0, 0, {0}, 0 },
	{ 0, "施工管理类", "工地扬尘", 3, U_HOUSING,
	  "工地扬尘污染严重|工地裸土未覆盖扬尘较大", 0, 0, {0}, 0 },
	{ 0, "施工管理类", "道路遗撒", 3, U_TEAM,
	  "渣土车道路遗撒|运输车辆沿途遗撒泥土", 0, 0, {0}, 0 },
	{ 0, "施工管理类", "施工废弃料", 2, U_HOUSING,
	  "施工废弃料随意堆放|装修垃圾堆放在路边", 0, 0, {0}, 0 },
	{ 0, "施工管理类", "无证掘路", 1, U_HOUSING,
	  "无证擅自挖掘道路|私自开挖人行道铺设管线", 0, 0, {0}, 0 },
	{ 0, "施工管理类", "违规占道施工", 2, U_HOUSING,
	  "违规占道施工未设围挡|占用车行道施工无警示标志", 0, 0, {0}, 0 },

	{ 0, "突发事件类", "路面塌陷", 2, U_HOUSING,
	  "路面突然塌陷|路面出现塌陷坑", 0, 0, {0}, 0 },
	{ 0, "突发事件类", "自来水管破裂", 3, U_WATER,
	  "自来水管破裂大量冒水|地下供水管道爆裂", 0, 0, {0}, 0 },
	{ 0, "突发事件类", "燃气管道破裂", 0.5, U_GAS,
	  "燃气管道破裂有燃气泄漏|闻到明显燃气味疑似管道破裂", 0, 0, {0}, 0 },
	{ 0, "突发事件类", "下水道堵塞或破损", 4, U_HOUSING,
	  "下水道堵塞污水外溢|污水管道破损污水漫溢", 0, 0, {0}, 0 },
	{ 0, "突发事件类", "热力管道破裂", 0.3, U_HOUSING,
	  "热力管道破裂冒热气", 0, 0, {0}, 0 },
	{ 0, "突发事件类", "道路积水", 3, U_HOUSING,
	  "降雨后道路积水严重|下穿通道积水车辆无法通行", 0, 0, {0}, 0 },
	{ 0, "突发事件类", "道路积雪结冰", 1, U_SANIT,
	  "道路积雪结冰行人易滑倒|桥面结冰存在安全隐患", 0, 0, {0}, 0 },
	{ 0, "突发事件类", "火灾", 0.3, U_FIRE,
	  "沿街商铺起火冒烟|垃圾箱起火", 0, 0, {0}, 0 },

	{ 0, "街面秩序类", "无照经营游商", 10, U_TEAM,
	  "有无照游商沿街叫卖|游商推车兜售水果|多名流动商贩无照经营", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "流浪乞讨", 1, U_TEAM,
	  "有流浪人员沿街乞讨|一名流浪乞讨人员滞留", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "占道废品收购", 3, U_TEAM,
	  "废品收购点占道堆放废品|废品收购站占用人行道分拣废品", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "店外经营", 18, U_TEAM,
	  "商户出店经营，商品摆放至人行道|店铺越门经营|饭店在门外摆放桌椅经营|商户在门前摆放货架出店经营", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "机动车乱停放", 12, U_TRAFFIC,
	  "机动车乱停乱放占用人行道|多辆机动车违规停放在盲道上|车辆占用消防通道停放", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "非机动车乱停放", 10, U_TEAM,
	  "电动车乱停乱放|共享单车堆放杂乱影响通行|非机动车无序停放", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "流动摊点", 12, U_TEAM,
	  "流动摊点占道经营|早餐流动摊点占道|三轮车流动售卖蔬菜|流动摊贩在路口摆摊", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "露天烧烤", 4, U_TEAM,
	  "夜间露天烧烤油烟扰民|商户在门前露天烧烤|占道露天烧烤", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "占道经营", 20, U_TEAM,
	  "商户占道经营|水果摊占用人行道经营|多家门店占道摆放商品|瓜果摊点占道经营", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "乱堆物堆料", 6, U_TEAM,
	  "乱堆物料占用道路|建筑材料沿街堆放|杂物乱堆乱放", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "沿街晾挂", 2, U_TEAM,
	  "沿街晾晒衣物|在行道树上拉绳晾挂|沿街晾晒被褥", 0, 0, {0}, 0 },
	{ 0, "街面秩序类", "噪音扰民", 2, U_TEAM,
	  "商户使用高音喇叭招揽顾客|广场舞音响声音过大扰民|店铺门口音响噪音扰民", 0, 0, {0}, 0 },
};
#define NCLASSES NELEM(classes)

/* share of all rows, by group (the 2023 report: 部件 464, 街面秩序类 6975,
 * 市容环境类 822, 施工管理类 56, 突发事件类 30 of 8347 cases) */
struct group {
	int component;
	const char *big; /* NULL: every component big class */
	double share;
	double wsum;
};

static struct group groups[] = {
	{ 1, NULL, 5.55, 0 },
	{ 0, "街面秩序类", 83.50, 0 },
	{ 0, "市容环境类", 9.80, 0 },
	{ 0, "施工管理类", 0.67, 0 },
	{ 0, "突发事件类", 0.36, 0 },
	{ 0, "宣传广告类", 0.12, 0 },
};

static double class_cdf[NCLASSES];
static double source_cdf[NELEM(sources)];
static double street_cdf[NSTREETS];

static const char *const cover_damage[] = {
	"破损", "缺失", "松动有异响", "下沉", "移位", "丢失", "破裂", "高出路面",
};
static const char *const light_damage[] = {
	"不亮", "损坏", "灯杆倾斜", "白天常亮", "灯罩脱落", "闪烁",
};
static const char *const other_damage[] = {
	"损坏", "破损", "倾斜", "缺失", "脏污破旧", "断裂", "被撞坏",
};

/* relative report frequency by hour of day */
static const double hour_weight[24] = {
	0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 1.0, 3.0, 6.0, 7.5, 7.5, 6.5,
	4.0, 3.0, 5.0, 6.5, 7.0, 6.5, 5.0, 4.0, 3.5, 2.5, 1.2, 0.5,
};
static double hour_cdf[25];

static int pick_cdf(const double *cdf, size_t n)
{
	double u = rnd_unit() * cdf[n - 1];
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (int)lo;
}

static void setup(void)
{
	double acc = 0;

	for (size_t c = 0; c < NCLASSES; c++) {
		struct klass *k = &classes[c];
		for (size_t g = 0; g < NELEM(groups); g++)
			if (groups[g].component == k->component &&
			    (!groups[g].big || strcmp(groups[g].big, k->big) == 0)) {
				k->group = (int)g;
				groups[g].wsum += k->weight;
				break;
			}
		if (k->component) {
			if (strstr(k->small, "井盖") || strstr(k->small, "箅子"))
				k->dmg = DMG_COVER;
			else if (strstr(k->small, "灯") && !strstr(k->small, "电源"))
				k->dmg = DMG_LIGHT;
			else
				k->dmg = DMG_OTHER;
		}
		if (k->phrases) {
			/* split a copy at '|' */
			char *s = strdup(k->phrases), *p = s;
			if (!s) {
				perror("gencases");
				exit(1);
			}
			while (p && k->nph < (int)NELEM(k->ph)) {
				char *bar = strchr(p, '|');
				if (bar)
					*bar++ = '\0';
				k->ph[k->nph++] = p;
				p = bar;
			}
		}
	}
	for (size_t c = 0; c < NCLASSES; c++) {
		const struct group *g = &groups[classes[c].group];
		acc += g->share * classes[c].weight / g->wsum;
		class_cdf[c] = acc;
	}
	acc = 0;
	for (size_t i = 0; i < NELEM(sources); i++)
		source_cdf[i] = acc += sources[i].weight;
	acc = 0;
	for (size_t i = 0; i < NSTREETS; i++)
		street_cdf[i] = acc += streets[i].weight;
	hour_cdf[0] = 0;
	for (int h = 0; h < 24; h++)
		hour_cdf[h + 1] = hour_cdf[h] + hour_weight[h];
	for (int h = 0; h <= 24; h++)
		hour_cdf[h] /= hour_cdf[24];
}

/* ---- output buffer ------------------------------------------------------ */

#define OUT_CAP (1u << 20)
#define OUT_FLUSH (OUT_CAP - 16384)

static char out[OUT_CAP];
static size_t outn;

static void flush_out(void)
{
	size_t off = 0;

	while (off < outn) {
		ssize_t w = write(STDOUT_FILENO, out + off, outn - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EPIPE)
				perror("gencases: write");
			exit(1);
		}
		off += (size_t)w;
	}
	outn = 0;
}

static inline void put_mem(const char *s, size_t n)
{
	memcpy(out + outn, s, n);
	outn += n;
}

static inline void put_str(const char *s)
{
	put_mem(s, strlen(s));
}

static inline void put_ch(char c)
{
	out[outn++] = c;
}

static void put_uint(uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		out[outn++] = tmp[--n];
}

/* micro-degrees as D.dddddd */
static void put_coord(int64_t micro)
{
	put_uint((uint64_t)(micro / 1000000), 1);
	put_ch('.');
	put_uint((uint64_t)(micro % 1000000), 6);
}

static inline void put2(int v)
{
	out[outn++] = (char)('0' + v / 10);
	out[outn++] = (char)('0' + v % 10);
}

static int year = 2023;
static int64_t year_days;       /* days from 1970-01-01 to YEAR-01-01 */

/* days from 1970-01-01 to y-01-01 (proleptic Gregorian) */
static int64_t days_to_year(int y)
{
	int64_t p = y - 1;
	return 365 * (int64_t)(y - 1970) + (p / 4 - p / 100 + p / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400);
}

/* seconds since YEAR-01-01 00:00:00 (local, naive) as "YYYY-MM-DD HH:MM:SS" */
static void put_time(int64_t t)
{
	int64_t z = t / 86400 + year_days + 719468;
	int sod = (int)(t % 86400);
	int64_t era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;

	if (m <= 2)
		y++;
	put_uint((uint64_t)y, 4);
	put_ch('-');
	put2((int)m);
	put_ch('-');
	put2((int)d);
	put_ch(' ');
	put2(sod / 3600);
	put_ch(':');
	put2(sod / 60 % 60);
	put_ch(':');
	put2(sod % 60);
}

/* a CSV field, quoted when it must be */
static void put_csv(const char *s, size_t n)
{
	int q = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') {
			q = 1;
			break;
		}
	if (!q) {
		put_mem(s, n);
		return;
	}
	put_ch('"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			put_ch('"');
		put_ch(s[i]);
	}
	put_ch('"');
}

/* a JSON string */
static void put_json(const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	put_ch('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': put_mem("\\\"", 2); break;
		case '\\': put_mem("\\\\", 2); break;
		case '\n': put_mem("\\n", 2); break;
		case '\r': put_mem("\\r", 2); break;
		case '\t': put_mem("\\t", 2); break;
		default:
			if (c < 0x20) {
				put_mem("\\u00", 4);
				put_ch(hex[c >> 4]);
				put_ch(hex[c & 15]);
			} else {
				put_ch((char)c);
			}
		}
	}
	put_ch('"');
}

/* ---- text building ------------------------------------------------------ */

struct text {
	char b[2048];
	size_t n;
	int chars;
};

static int utf8_chars(const char *s)
{
	int k = 0;

	for (; *s; s++)
		k += ((unsigned char)*s & 0xC0) != 0x80;
	return k;
}

static void tx_add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->n + n >= sizeof t->b)
		return;
	memcpy(t->b + t->n, s, n);
	t->n += n;
	t->chars += utf8_chars(s);
}

static void tx_num(struct text *t, unsigned v)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && t->n + 1 < sizeof t->b) {
		t->b[t->n++] = tmp[--n];
		t->chars++;
	}
}

/* ---- one row ------------------------------------------------------------ */

enum {
	C_ID, C_SOURCE, C_KIND, C_BIG, C_SMALL, C_DESC, C_ADDR, C_STREET,
	C_COMMUNITY, C_LON, C_LAT, C_REPORTER, C_REPORTED, C_REGISTERED,
	C_DISPATCHED, C_HANDLED, C_CLOSED, C_STATE, C_UNIT, NCOLS
};

static const char *const header[NCOLS] = {
	"案件编号", "问题来源", "问题类型", "大类", "小类", "问题描述", "问题地址",
	"所属街道", "社区", "经度", "纬度", "上报人", "上报时间", "立案时间",
	"派遣时间", "处置时间", "结案时间", "案件状态", "处置单位",
};

struct row {
	uint64_t seq;
	const struct klass *k;
	const char *source;
	const struct street *st;
	const char *community;
	char reporter[32];
	int64_t lon, lat;           /* micro-degrees */
	int64_t t[5];               /* reported, registered, dispatched, handled, closed; -1 none */
	const char *state;
	const char *unit;
	struct text desc, addr;
};

static uint64_t nrows = 1000, seed = 1;
static int idwidth = 6;

/* seconds since 2023-01-01 of row i: ascending, with a day-time rhythm */
static int64_t report_time(uint64_t i)
{
	double x = ((double)i + rnd_unit()) / (double)nrows * 365.0;
	int64_t day = (int64_t)x;
	double f = x - (double)day;
	int h = 0;

	if (day > 364) {
		day = 364;
		f = 0.999999;
	}
	while (h < 23 && hour_cdf[h + 1] <= f)
		h++;
	f = (f - hour_cdf[h]) / (hour_cdf[h + 1] - hour_cdf[h]);
	if (f < 0)
		f = 0;
	if (f >= 1)
		f = 0.9999;
	return day * 86400 + h * 3600 + (int64_t)(f * 3600.0);
}

/* a duration in [lo, hi] seconds, skewed towards lo */
static int64_t skewed(int64_t lo, int64_t hi)
{
	double u = rnd_unit();
	return lo + (int64_t)((double)(hi - lo) * u * u * u);
}

static void make_desc(struct row *r, const char *road, const char *road2,
		      unsigned num, int crossing)
{
	struct text *t = &r->desc;
	const struct klass *k = r->k;
	int comma = chance(0.10), nl = chance(0.03), quote = chance(0.02);
	const char *sep = comma ? "," : "，";
	int lead = crossing ? 1 : rnd_below(2) ? 0 : 2;

	t->n = 0;
	t->chars = 0;
	/* where */
	if (quote) {
		tx_add(t, road);
		tx_add(t, "\"");
		tx_add(t, PICK(shops));
		tx_add(t, "\"");
		tx_add(t, chance(0.5) ? "门前" : "门口");
	} else if (chance(0.08)) {
		/* no place: the address column says it */
	} else if (lead == 0) {
		tx_add(t, road);
		tx_num(t, num);
		tx_add(t, "号");
		tx_add(t, chance(0.5) ? "门前" : "附近");
	} else if (lead == 1) {
		tx_add(t, road);
		tx_add(t, "与");
		tx_add(t, road2);
		tx_add(t, "交叉口");
		tx_add(t, PICK(corners));
	} else {
		tx_add(t, road);
		tx_add(t, PICK(landmarks));
		tx_add(t, PICK(spots));
	}
	/* what */
	if (k->component) {
		tx_add(t, chance(0.5) ? "" : "发现");
		tx_add(t, k->small);
		if (k->dmg == DMG_COVER)
			tx_add(t, PICK(cover_damage));
		else if (k->dmg == DMG_LIGHT)
			tx_add(t, PICK(light_damage));
		else
			tx_add(t, PICK(other_damage));
	} else if (k->nph) {
		tx_add(t, chance(0.3) ? "有" : "");
		tx_add(t, k->ph[rnd_below((uint32_t)k->nph)]);
	} else {
		tx_add(t, "存在");
		tx_add(t, k->small);
		tx_add(t, "现象");
	}
	/* so what */
	{
		int ne = (int)rnd_below(3);
		if (t->chars < 20 && ne == 0)
			ne = 1;
		for (int i = 0; i < ne; i++) {
			const char *e = PICK(effects);
			if (t->chars + 1 + utf8_chars(e) > 100)
				break;
			tx_add(t, i == 0 || !comma ? sep : "，");
			tx_add(t, e);
		}
	}
	/* a supervisor's note, sometimes on its own line */
	if (nl || chance(0.15)) {
		const char *n = PICK(notes);
		if (t->chars + 1 + utf8_chars(n) <= 110) {
			tx_add(t, nl ? "\n" : "。");
			tx_add(t, n);
			nl = 0;
		} else {
			tx_add(t, "。");
		}
	} else {
		tx_add(t, sep);
	}
	{
		const char *q = PICK(requests);
		if (t->chars + (nl ? 1 : 0) + utf8_chars(q) <= 120) {
			if (nl)
				tx_add(t, "\n");
			tx_add(t, q);
		} else if (nl) {
			tx_add(t, "\n请处理。");
		}
	}
	if (t->chars < 20)
		tx_add(t, notes[rnd_below(3)]);
	while (t->chars < 20)
		tx_add(t, "请处理。");
}

static void make_row(struct row *r, uint64_t i)
{
	const struct klass *k = &classes[pick_cdf(class_cdf, NCLASSES)];
	const struct street *st = &streets[pick_cdf(street_cdf, NSTREETS)];
	const char *road = PICK(roads), *road2;
	unsigned num = 1 + rnd_below(rnd_below(4) ? 200 : 600);
	double lon, lat;
	int open, crossing = rnd_below(10) < 3;

	do
		road2 = PICK(roads);
	while (road2 == road);
	r->seq = i + 1;
	r->k = k;
	r->st = st;
	r->community = st->communities[rnd_below(6)];
	r->source = sources[pick_cdf(source_cdf, NELEM(sources))].name;

	if (strcmp(r->source, "监督员上报") == 0) {
		/* a few supervisors per street */
		unsigned who = (unsigned)(st - streets) * 5 + rnd_below(5);
		snprintf(r->reporter, sizeof r->reporter, "%s%s",
			 surnames[who % NELEM(surnames)],
			 given[(who * 7 + 3) % NELEM(given)]);
	} else if (strcmp(r->source, "公众举报") == 0) {
		snprintf(r->reporter, sizeof r->reporter, "%s%s",
			 PICK(surnames), chance(0.5) ? "先生" : "女士");
	} else if (strcmp(r->source, "视频监控") == 0) {
		snprintf(r->reporter, sizeof r->reporter, "视频巡查员");
	} else {
		snprintf(r->reporter, sizeof r->reporter, "%s", r->source);
	}

	/* triangular jitter around the street's centre, inside 112.9±0.05°,
	 * 33.74±0.05° */
	do {
		lon = st->lon + (rnd_unit() + rnd_unit() - 1.0) * st->spread * 1.6;
		lat = st->lat + (rnd_unit() + rnd_unit() - 1.0) * st->spread * 1.3;
	} while (lon < 112.85 || lon > 112.95 || lat < 33.69 || lat > 33.79);
	r->lon = (int64_t)(lon * 1e6 + 0.5);
	r->lat = (int64_t)(lat * 1e6 + 0.5);

	/* address */
	r->addr.n = 0;
	r->addr.chars = 0;
	tx_add(&r->addr, "鲁山县");
	tx_add(&r->addr, st->name);
	tx_add(&r->addr, road);
	if (!crossing) {
		tx_num(&r->addr, num);
		tx_add(&r->addr, "号");
	} else {
		tx_add(&r->addr, "与");
		tx_add(&r->addr, road2);
		tx_add(&r->addr, "交叉口");
	}
	make_desc(r, road, road2, num, crossing);

	/* the seven steps */
	r->t[0] = report_time(i);
	r->t[1] = r->t[0] + skewed(60, 1800);
	r->t[2] = r->t[1] + skewed(60, 1200);
	if (k->component)
		r->t[3] = r->t[2] + skewed(1800, 3 * 86400);
	else if (strcmp(k->big, "街面秩序类") == 0)
		r->t[3] = r->t[2] + skewed(600, 8 * 3600);
	else if (strcmp(k->big, "突发事件类") == 0)
		r->t[3] = r->t[2] + skewed(900, 6 * 3600);
	else
		r->t[3] = r->t[2] + skewed(1800, 2 * 86400);
	r->t[4] = r->t[3] + skewed(300, 4 * 3600);
	open = chance(0.027);
	r->state = "已结案";
	if (open) {
		unsigned w = rnd_below(10);
		if (w < 4) {
			r->state = "已派遣";
			r->t[3] = r->t[4] = -1;
		} else if (w < 8) {
			r->state = "处置中";
			r->t[3] = r->t[4] = -1;
		} else {
			r->state = "已处置";
			r->t[4] = -1;
		}
	}
	if (k->unit == U_TEAM)
		r->unit = units[st->team];
	else if (k->unit == U_TRAFFIC && !k->component && chance(0.4))
		r->unit = units[st->team]; /* parking on pavements: the squadron */
	else
		r->unit = units[k->unit];
}

static void put_id(const struct row *r)
{
	put_mem("LS", 2);
	put_uint((uint64_t)year, 4);
	put_uint(r->seq, idwidth);
}

static void write_csv_header(void)
{
	for (int c = 0; c < NCOLS; c++) {
		if (c)
			put_ch(',');
		put_str(header[c]);
	}
	put_ch('\n');
}

static void write_csv(const struct row *r)
{
	put_id(r);
	put_ch(',');
	put_str(r->source);
	put_ch(',');
	put_str(r->k->component ? "部件" : "事件");
	put_ch(',');
	put_str(r->k->big);
	put_ch(',');
	put_str(r->k->small);
	put_ch(',');
	put_csv(r->desc.b, r->desc.n);
	put_ch(',');
	put_csv(r->addr.b, r->addr.n);
	put_ch(',');
	put_str(r->st->name);
	put_ch(',');
	put_str(r->community);
	put_ch(',');
	put_coord(r->lon);
	put_ch(',');
	put_coord(r->lat);
	put_ch(',');
	put_str(r->reporter);
	for (int i = 0; i < 5; i++) {
		put_ch(',');
		if (r->t[i] >= 0)
			put_time(r->t[i]);
	}
	put_ch(',');
	put_str(r->state);
	put_ch(',');
	put_str(r->unit);
	put_ch('\n');
}

static void key(int c)
{
	put_ch(c ? ',' : '{');
	put_ch('"');
	put_str(header[c]);
	put_mem("\":", 2);
}

static void jstr(int c, const char *s)
{
	key(c);
	put_json(s, strlen(s));
}

static void write_jsonl(const struct row *r)
{
	key(C_ID);
	put_ch('"');
	put_id(r);
	put_ch('"');
	jstr(C_SOURCE, r->source);
	jstr(C_KIND, r->k->component ? "部件" : "事件");
	jstr(C_BIG, r->k->big);
	jstr(C_SMALL, r->k->small);
	key(C_DESC);
	put_json(r->desc.b, r->desc.n);
	key(C_ADDR);
	put_json(r->addr.b, r->addr.n);
	jstr(C_STREET, r->st->name);
	jstr(C_COMMUNITY, r->community);
	key(C_LON);
	put_coord(r->lon);
	key(C_LAT);
	put_coord(r->lat);
	jstr(C_REPORTER, r->reporter);
	for (int i = 0; i < 5; i++) {
		key(C_REPORTED + i);
		if (r->t[i] >= 0) {
			put_ch('"');
			put_time(r->t[i]);
			put_ch('"');
		} else {
			put_mem("null", 4);
		}
	}
	jstr(C_STATE, r->state);
	jstr(C_UNIT, r->unit);
	put_mem("}\n", 2);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gencases [-n ROWS] [-s SEED] [-y YEAR] [-f csv|jsonl]\n"
		"Write ROWS (default 1000) synthetic 数字城管 cases of YEAR (default 2023)\n"
		"to standard output, the same rows for the same ROWS, SEED (default 1)\n"
		"and YEAR.\n");
}

int main(int argc, char **argv)
{
	int c, jsonl = 0;
	struct row r;

	while ((c = getopt(argc, argv, "n:s:y:f:h")) != -1) {
		switch (c) {
		case 'n':
			if (rnd_parse_u64(optarg, &nrows) < 0 || nrows > 100000000ULL) {
				fprintf(stderr, "gencases: -n '%s': expected 0..100000000\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (rnd_parse_u64(optarg, &seed) < 0) {
				fprintf(stderr, "gencases: -s '%s': expected an unsigned integer\n", optarg);
				return 2;
			}
			break;
		case 'y': {
			uint64_t y;
			if (rnd_parse_u64(optarg, &y) < 0 || y < 1971 || y > 2099 ||
			    y % 4 == 0) {
				fprintf(stderr, "gencases: -y '%s': expected a year of 365 days,"
					" 1971..2099\n", optarg);
				return 2;
			}
			year = (int)y;
			break;
		}
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				jsonl = 0;
			else if (strcmp(optarg, "jsonl") == 0)
				jsonl = 1;
			else {
				fprintf(stderr, "gencases: -f '%s': expected csv or jsonl\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	for (uint64_t m = 1000000; m <= nrows; m *= 10)
		idwidth++;
	year_days = days_to_year(year);
	rnd_seed(seed);
	setup();
	if (!jsonl)
		write_csv_header();
	for (uint64_t i = 0; i < nrows; i++) {
		make_row(&r, i);
		if (jsonl)
			write_jsonl(&r);
		else
			write_csv(&r);
		if (outn >= OUT_FLUSH)
			flush_out();
	}
	flush_out();
	return 0;
}
