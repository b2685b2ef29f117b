/*
 * words.h - the words of 12345 ticket exports: statuses, satisfaction
 * levels, request types and urgency, each read from the Chinese or English
 * words platforms write and kept in one canonical form (DESIGN §7.4).
 *
 * Statuses, stored by their English name:
 *
 *   hotline_status_name(HOTLINE_DONE)        "done"
 *   hotline_status_zh(HOTLINE_DONE)          "已办结"
 *   hotline_status_parse(s, n)          HOTLINE_* or -1 when the word is unknown:
 *           received  待签收 待受理 已受理 待派单 已派单 新建 ...; open, new
 *           signed    已签收 签收 待办理 ...; accepted
 *           handling  办理中 处理中 处置中 ...; in progress, processing
 *           postponed 延期 已延期 延期办理 ...; postponed, extended
 *           returned  已退回 退回 退单 ...; returned
 *           done      已办结 办结 已完成 已解决 ...; closed, completed, done
 *           revisited 已回访 回访 已评价 ...; revisited
 *   hotline_status_done(st)             1 for done and revisited: the ticket
 *                                  needs no more work
 *
 * Satisfaction (满意度), stored by English name: very_satisfied 非常满意,
 * satisfied 满意, basically_satisfied 基本满意, dissatisfied 不满意.
 *   hotline_sat_parse(s, n)   HOTLINE_SAT_* , HOTLINE_SAT_NONE for the words that say no
 *                        one was asked (未回访, 未评价, 无法联系 ...), or -1
 *   hotline_sat_list(s, &mask)   "非常满意,满意" -> a bit (1u << level) per level;
 *                        -1 with *bad pointing at the unknown word
 *
 * Request types (诉求类型) keep their Chinese name: 咨询 求助 投诉 举报 建议
 * (also consultation, help, complaint, report, suggestion); any other type
 * is kept as written.
 *   hotline_type_canon(s, n)   the canonical name, or NULL when it is not one
 *
 * Urgency (紧急程度): hotline_urgent_parse(s, n) 1 for 紧急 特急 加急 是 urgent
 * yes true 1 ..., 0 for 一般 普通 否 normal no false 0 ..., -1 unknown.
 *
 * Words compare after trimming, ASCII case ignored; '_' and '-' read as a
 * space in the English ones ("in_progress" is "in progress").
 */
#ifndef CITYOPS_HOTLINE_WORDS_H
#define CITYOPS_HOTLINE_WORDS_H

enum hotline_status {
	HOTLINE_RECEIVED, HOTLINE_SIGNED, HOTLINE_HANDLING, HOTLINE_POSTPONED, HOTLINE_RETURNED,
	HOTLINE_DONE, HOTLINE_REVISITED, HOTLINE_NSTATUS
};

enum hotline_sat {
	HOTLINE_SAT_VERY, HOTLINE_SAT_SATISFIED, HOTLINE_SAT_BASIC, HOTLINE_SAT_NO, HOTLINE_NSAT,
	HOTLINE_SAT_NONE = 100
};

#define HOTLINE_SAT_DEFAULT ((1u << HOTLINE_SAT_VERY) | (1u << HOTLINE_SAT_SATISFIED) | \
			(1u << HOTLINE_SAT_BASIC))

const char *hotline_status_name(int st);
const char *hotline_status_zh(int st);
int hotline_status_parse(const char *s, size_t n);
int hotline_status_by_name(const char *s);
int hotline_status_done(int st);

const char *hotline_sat_name(int level);
const char *hotline_sat_zh(int level);
int hotline_sat_parse(const char *s, size_t n);
int hotline_sat_list(const char *s, unsigned *mask, const char **bad, size_t *badlen);

const char *hotline_type_canon(const char *s, size_t n);
int hotline_urgent_parse(const char *s, size_t n);

#endif
