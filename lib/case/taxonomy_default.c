#include "common.h"

#include "buf.h"
#include "case/taxonomy.h"

/*
 * The built-in classes.csv: CJ/T 214-2007 components and GB/T 30428.2 events
 * as county platforms commonly configure them.  Limits are the usual
 * 处置时限 of those platforms: missing or broken covers and grates, collapses
 * and burst pipes are urgent (hours), street order is a few working hours,
 * facilities a few working days.  A bureau with its own table passes
 * --classes FILE (or $CITYOPS_CONFIG/classes.csv).
 */
static const char *const default_lines[] = {
	"kind,code,big_class,name,limit,basis,simple",
	"component,0101,公用设施类,上水井盖,2,hours,0",
	"component,0102,公用设施类,污水井盖,2,hours,0",
	"component,0103,公用设施类,雨水井盖,2,hours,0",
	"component,0104,公用设施类,雨水箅子,4,hours,0",
	"component,0105,公用设施类,电力井盖,2,hours,0",
	"component,0106,公用设施类,路灯井盖,2,hours,0",
	"component,0107,公用设施类,通信井盖,2,hours,0",
	"component,0108,公用设施类,信号灯电源井盖,2,hours,0",
	"component,0109,公用设施类,燃气井盖,2,hours,0",
	"component,0110,公用设施类,热力井盖,2,hours,0",
	"component,0111,公用设施类,消防栓,1,working_days,0",
	"component,0112,公用设施类,路灯,2,working_days,0",
	"component,0113,公用设施类,信号灯,4,working_hours,0",
	"component,0114,公用设施类,通信立杆,2,working_days,0",
	"component,0115,公用设施类,通讯交接箱,2,working_days,0",
	"component,0116,公用设施类,电力设施,1,working_days,0",
	"component,0117,公用设施类,无主井盖,4,hours,0",
	"component,0201,道路交通类,交通标志牌,3,working_days,0",
	"component,0202,道路交通类,道路护栏,3,working_days,0",
	"component,0203,道路交通类,隔离墩,3,working_days,0",
	"component,0204,道路交通类,路名牌,5,working_days,0",
	"component,0205,道路交通类,公交站亭,3,working_days,0",
	"component,0206,道路交通类,人行道板,5,working_days,0",
	"component,0207,道路交通类,盲道,5,working_days,0",
	"component,0208,道路交通类,停车设施,5,working_days,0",
	"component,0301,市容环境类,公共厕所,1,working_days,0",
	"component,0302,市容环境类,垃圾箱,2,working_days,0",
	"component,0303,市容环境类,果皮箱,2,working_days,0",
	"component,0304,市容环境类,垃圾间,2,working_days,0",
	"component,0305,市容环境类,广告牌匾,5,working_days,0",
	"component,0306,市容环境类,景观灯,3,working_days,0",
	"component,0401,园林绿化类,行道树,3,working_days,0",
	"component,0402,园林绿化类,绿地,5,working_days,0",
	"component,0403,园林绿化类,花坛花架,5,working_days,0",
	"component,0404,园林绿化类,古树名木,1,working_days,0",
	"component,0405,园林绿化类,护树设施,5,working_days,0",
	"component,0501,房屋土地类,宣传栏,5,working_days,0",
	"component,0502,房屋土地类,危房,1,working_days,0",
	"component,0601,其他设施类,健身设施,5,working_days,0",
	"component,0602,其他设施类,监控电子眼,3,working_days,0",
	"component,0603,其他设施类,防汛设施,4,working_hours,0",
	"event,0101,市容环境类,私搭乱建,5,working_days,0",
	"event,0102,市容环境类,暴露垃圾,4,working_hours,1",
	"event,0103,市容环境类,积存垃圾渣土,1,working_days,0",
	"event,0104,市容环境类,道路不洁,4,working_hours,1",
	"event,0105,市容环境类,水域不洁,1,working_days,0",
	"event,0106,市容环境类,绿地脏乱,1,working_days,1",
	"event,0107,市容环境类,废弃家具设备,1,working_days,0",
	"event,0108,市容环境类,乱涂乱写,1,working_days,1",
	"event,0109,市容环境类,焚烧垃圾树叶,2,working_hours,0",
	"event,0110,市容环境类,动物尸体,2,working_hours,1",
	"event,0201,宣传广告类,非法小广告,1,working_days,1",
	"event,0202,宣传广告类,违章张贴悬挂广告牌匾,3,working_days,0",
	"event,0203,宣传广告类,占道广告牌,2,working_days,0",
	"event,0204,宣传广告类,街头散发广告,2,working_hours,1",
	"event,0205,宣传广告类,横幅标语,1,working_days,0",
	"event,0301,施工管理类,施工扰民,4,working_hours,0",
	"event,0302,施工管理类,工地扬尘,4,working_hours,0",
	"event,0303,施工管理类,道路遗撒,4,working_hours,0",
	"event,0304,施工管理类,施工废弃料,1,working_days,0",
	"event,0305,施工管理类,无证掘路,1,working_days,0",
	"event,0306,施工管理类,违规占道施工,1,working_days,0",
	"event,0401,突发事件类,路面塌陷,2,hours,0",
	"event,0402,突发事件类,自来水管破裂,2,hours,0",
	"event,0403,突发事件类,燃气管道破裂,1,hours,0",
	"event,0404,突发事件类,下水道堵塞或破损,4,hours,0",
	"event,0405,突发事件类,热力管道破裂,2,hours,0",
	"event,0406,突发事件类,道路积水,2,hours,0",
	"event,0407,突发事件类,道路积雪结冰,4,hours,0",
	"event,0408,突发事件类,火灾,1,hours,0",
	"event,0501,街面秩序类,无照经营游商,2,working_hours,1",
	"event,0502,街面秩序类,流浪乞讨,4,working_hours,0",
	"event,0503,街面秩序类,占道废品收购,2,working_hours,1",
	"event,0504,街面秩序类,店外经营,2,working_hours,1",
	"event,0505,街面秩序类,机动车乱停放,2,working_hours,1",
	"event,0506,街面秩序类,非机动车乱停放,2,working_hours,1",
	"event,0507,街面秩序类,流动摊点,2,working_hours,1",
	"event,0508,街面秩序类,露天烧烤,2,working_hours,1",
	"event,0509,街面秩序类,占道经营,2,working_hours,1",
	"event,0510,街面秩序类,乱堆物堆料,4,working_hours,1",
	"event,0511,街面秩序类,沿街晾挂,4,working_hours,1",
	"event,0512,街面秩序类,噪音扰民,4,working_hours,0",
	NULL,
};

const char *const *taxonomy_default_lines(void)
{
	return default_lines;
}

const char *taxonomy_default_csv(void)
{
	static char *text;
	struct buf b = BUF_INIT;

	if (text)
		return text;
	for (const char *const *l = default_lines; *l; l++) {
		buf_adds(&b, *l);
		buf_addc(&b, '\n');
	}
	text = buf_detach(&b);
	return text;
}
