/*
 * create.h - a case opened by another tool inside that tool's own
 * transaction: a cases row in state reported (待受理) and its report event,
 * as case-import would have made it.  hotline-sync --create-cases opens one
 * for each new 12345 ticket, so that case-route dispatches it next.
 *
 *   struct case_new c = { .id = "12345-2023010100001", .source = "12345",
 *                         .kind = "event", .reported_at = "2023-01-01 09:00:00",
 *                         .ticket_id = "2023010100001", ... };
 *   r = case_create(db, &c, batch_id);   1 opened; 0 a case of that id is
 *                                        there already (left as it is);
 *                                        -1 the store failed (db_fail() it)
 *
 * kind is "component" or "event" (NULL: event); reported_at is a store time
 * ("YYYY-MM-DD HH:MM:SS"); the other fields may be NULL.
 */
#ifndef CITYOPS_CASE_CREATE_H
#define CITYOPS_CASE_CREATE_H

#include "db.h"

struct case_new {
	const char *id;
	const char *source;
	const char *kind;
	const char *class_code, *big_class, *small_class;
	const char *description, *address, *reporter;
	const char *reported_at;
	const char *ticket_id;
};

int case_create(struct db *d, const struct case_new *c, sqlite3_int64 batch);

#endif
