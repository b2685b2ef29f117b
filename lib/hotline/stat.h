/*
 * stat.h - the 12345 figures of step 7 (case-stat hotline, DESIGN §7.3):
 * 受理, 办结, 办理中, 超期, 按时办结率, 办结率 and 满意率 over a period, or by
 * category, type, unit, channel, status or month.
 *
 * A ticket is in the period when its by_time column (received_at, or
 * done_at, due_at) falls in [from, to).  Of those tickets:
 *   received           all of them
 *   done               status done or revisited
 *   handling           the others (办理中: received, signed, handling,
 *                      postponed, returned)
 *   due                due_at at or before `at`: their time is up
 *   ontime             due, done, and not done after due_at (a done_at
 *                      that is unknown is not late)
 *   overdue            open past due_at at `at`, or done after due_at
 *   revisited          with a satisfaction level
 *   satisfied          with one of the levels in o.satisfied
 * Rates, each with numerator, denominator and basis:
 *   ontime_rate        ontime / due (basis "due": the report's 100 %)
 *   done_rate          done / received, or with basis_due done among the
 *                      due / due
 *   satisfaction_rate  satisfied / revisited
 * A rate over nothing is "-" (JSON null), never a division by zero.
 *
 *   st = hotline_stat_key_check("category");     0, or 64 after a message
 *   st = hotline_stat_run(db, &o, out);          the summary (o.key NULL) or the
 *                                           rows by o.key, to out; an exit
 *                                           code
 * JSON summary: one object, keys received, done, handling, overdue,
 * ontime_rate, done_rate, satisfaction_rate (each rate {value, numerator,
 * denominator, basis}), from, to.
 *
 * Templates (case-stat --template): hotline_stat_placeholder() fills
 *   {{hotline.received}} {{hotline.done}} {{hotline.handling}}
 *   {{hotline.overdue}} {{hotline.due}} {{hotline.revisited}}
 *   {{hotline.satisfied}} {{hotline.ontime_rate}} {{hotline.done_rate}}
 *   {{hotline.satisfaction_rate}}   ("100.0%", "96.9%")
 *   {{hotline.category.噪音扰民}} and .type. .unit. .channel.: the tickets
 *   received of that category (type, unit, channel)
 * struct hotline_stat_fill *f = hotline_stat_fill_new(db, &o);  its ctx.  It is a
 * tmpl_fn (tmpl.h): 1 when it wrote the value, 0 when the name is not one
 * of these, -1 after a message.
 */
#ifndef CITYOPS_HOTLINE_STAT_H
#define CITYOPS_HOTLINE_STAT_H

#include "buf.h"
#include "db.h"
#include "out.h"
#include "tmpl.h"

enum hotline_stat_by { HOTLINE_BY_RECEIVED, HOTLINE_BY_DONE, HOTLINE_BY_DUE };

struct hotline_stat_opts {
	int64_t from, to;          /* Unix seconds; INT64_MIN/MAX when open */
	int64_t at;
	enum hotline_stat_by by_time;
	int basis_due;
	const char *key;           /* NULL: the summary */
	long top;                  /* 0: all rows */
	unsigned satisfied;        /* a bit per enum hotline_sat level */
};

int hotline_stat_key_check(const char *key);
int hotline_stat_run(struct db *d, const struct hotline_stat_opts *o, struct out *out);

struct hotline_stat_fill;
struct hotline_stat_fill *hotline_stat_fill_new(struct db *d, const struct hotline_stat_opts *o);
int hotline_stat_placeholder(void *ctx, const struct tmpl_place *p, struct buf *out);
void hotline_stat_fill_free(struct hotline_stat_fill *f);

#endif
