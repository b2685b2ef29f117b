/*
 * deadline.h - when a 12345 ticket is due (办理时限, DESIGN §7.4): the time
 * limit of its request type counted from the time it was received, over
 * the working calendar.
 *
 * The limits are built in, and a limits.csv (--limits FILE, else
 * $CITYOPS_CONFIG/limits.csv) replaces the rows it names:
 *
 *   type,limit
 *   urgent,18:00      an urgent ticket (紧急程度 紧急): that clock time on
 *                     the day it was received, or on the next day when it
 *                     came in at or after it
 *   咨询,3wd          3 working days (also 求助)
 *   投诉,15wd         15 working days (also 举报, 建议)
 *   *,10wd            (not built in) any other type; without it another
 *                     type has no due time unless the export gives one
 *
 * Headers type/诉求类型/类型 and limit/时限/办理时限.  type is a request
 * type (its English words read too, see words.h), urgent or 紧急, or * (also
 * default, 其他).  limit is as in DESIGN §6 ("15wd", "4wh", "6h", "3工作日")
 * or a clock time "HH:MM" (also "当日18:00", "same day 18:00").
 *
 *   struct hotline_limits *l;
 *   st = hotline_limits_load(&l, path);      path NULL: the built-in rows; 0, or
 *                                       66/74 (cannot read), 78 (a bad
 *                                       line, "limits.csv:3: bad limit 'x'")
 *   r = hotline_due(l, cal, zone_min, received, type, urgent, &due, rule, n);
 *           1 and the due time (Unix seconds) with the rule that gave it in
 *           rule ("投诉 15wd", "urgent 18:00"); 0 when no limit applies
 *   hotline_limits_free(l);
 */
#ifndef CITYOPS_HOTLINE_DEADLINE_H
#define CITYOPS_HOTLINE_DEADLINE_H

#include "calendar.h"

struct hotline_limits;

int hotline_limits_load(struct hotline_limits **out, const char *path);
void hotline_limits_free(struct hotline_limits *l);
int hotline_due(const struct hotline_limits *l, const struct calendar *cal, int zone_min,
	   int64_t received, const char *type, int urgent, int64_t *due,
	   char *rule, size_t rulen);

#endif
