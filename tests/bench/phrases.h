/*
 * phrases.h - the words the generated case descriptions are made of, shared
 * by tests/bench/gencases.c and examples/lushan/genlushan.c: what the
 * problem does, what the reporter asks, and a collector's note.
 */
#ifndef CITYOPS_PHRASES_H
#define CITYOPS_PHRASES_H

static const char *const effects[] = {
	"影响行人通行", "影响市容市貌", "存在安全隐患", "周边居民反映强烈",
	"已持续多日", "造成交通拥堵", "给过往车辆带来不便", "夜间尤为严重",
	"影响周边商户正常经营", "早晚高峰时段尤为突出", "严重影响城市形象",
	"群众多次反映",
};

static const char *const requests[] = {
	"请相关单位尽快处理。", "请尽快派人核实处置。", "要求尽快整改。",
	"请责任单位及时处置。", "望有关部门尽快解决。", "请予以处理。",
};

static const char *const notes[] = {
	"监督员已现场拍照取证。", "经核实情况属实。", "附现场照片三张。",
	"该问题此前已多次上报，整改后又出现反弹，建议加强日常巡查和长效管理。",
	"现场已劝离，但当事人态度消极，需执法人员到场。",
	"周边有学校，上下学时段人流量大，存在较大安全隐患，请优先处置。",
};

#endif
