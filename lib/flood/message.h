/*
 * message.h - the ready Chinese text of a transition, from templates
 * (flood-check --message-template FILE, cityops-config(5)).
 *
 *   struct flood_msgs *m;
 *   st = flood_msgs_load(&m, path);     path NULL: the built-in wording;
 *                                       0, or 66/74/78 after a message
 *   flood_msg_render(m, st, e, zone_min, &buf);   the text of event e
 *   flood_msgs_free(m);
 *
 * A template file holds lines "KEY = TEXT" (# starts a comment line).  KEY
 * is an event and level ("opened.orange"), an event ("cleared"), or a level
 * ("orange": entering it, opened or escalated); the most specific wins,
 * and the keys a file does not name keep the built-in text.  TEXT names
 * fields in braces:
 *   {name} {station} {place} {what} (积水, for a river 水位) {cm} (whole cm)
 *   {level_cm} (one decimal) {color} (蓝色 ...) {level} (blue ...)
 *   {threshold} (cm of the level) {from_color} {at} {time} (HH:MM)
 *   {rate} (cm/h) {rise10} (cm in 10 minutes) {trend} ("10 分钟上涨 6 cm，"
 *   or "10 分钟回落 3 cm，" or nothing) {minutes} (stale: minutes without
 *   data; back: minutes of the gap) {since} (the last reading before)
 *   {reason} (bad: why) {peak} (cm)
 * An unknown key or field is refused with its line (78).
 */
#ifndef CITYOPS_FLOOD_MESSAGE_H
#define CITYOPS_FLOOD_MESSAGE_H

#include "buf.h"
#include "flood/eval.h"
#include "flood/station.h"

struct flood_msgs;

int flood_msgs_load(struct flood_msgs **out, const char *path);
void flood_msg_render(const struct flood_msgs *m, const struct station *st,
		      const struct flood_event *e, int zone_min, struct buf *out);
void flood_msgs_free(struct flood_msgs *m);

#endif
