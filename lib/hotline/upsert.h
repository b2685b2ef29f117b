/*
 * upsert.h - a ticket as the store holds it, and the merge of an export's
 * row into it (the rules are sync.h's).  Used by sync.c.
 *
 *   struct hotline_stored old, new;
 *   hotline_stored_init(&old);
 *   r = hotline_stored_load(db, rowid, &old);   1, 0 no such row, -1 store error
 *   hotline_merge(&new, &old_or_NULL, row, &mc); the merged ticket: due_at and
 *                                          a status it does not give worked
 *                                          out as sync.h says
 *   hotline_stored_diff(&old, &new, c)          does column c differ?
 *   hotline_stored_insert(db, &new, ...) / hotline_stored_update(db, &new, ...)
 *   hotline_change(db, id, batch, field, old, new)   a ticket_changes row
 *   hotline_stored_free(&x);
 *
 * content_hash is kept as 16 lower-case hex digits: hotline_hash_text(h, hex),
 * hotline_hash_parse(text) (0 for anything else, which no record hashes to).
 */
#ifndef CITYOPS_HOTLINE_UPSERT_H
#define CITYOPS_HOTLINE_UPSERT_H

#include "calendar.h"
#include "db.h"
#include "hotline/deadline.h"
#include "hotline/ticket.h"

struct hotline_stored {
	char *v[TK_NCOLS];
	char *due_rule;
	char *alert;
	char *case_id;
	sqlite3_int64 rowid;
	sqlite3_int64 first_batch, last_changed_batch, done_batch;
	uint64_t hash;
};

struct hotline_merge_ctx {
	const struct hotline_limits *limits;
	const struct calendar *cal;
	int zone_min;
};

void hotline_stored_init(struct hotline_stored *s);
void hotline_stored_free(struct hotline_stored *s);
int hotline_stored_load(struct db *d, sqlite3_int64 rowid, struct hotline_stored *s);
void hotline_merge(struct hotline_stored *out, const struct hotline_stored *old,
	      const struct hotline_ticket *row, const struct hotline_merge_ctx *mc);
int hotline_stored_diff(const struct hotline_stored *a, const struct hotline_stored *b, int c);
int hotline_stored_insert(struct db *d, const struct hotline_stored *s, sqlite3_int64 batch,
		     const char *now);
int hotline_stored_update(struct db *d, const struct hotline_stored *s, sqlite3_int64 batch,
		     const char *now);
int hotline_stored_set_hash(struct db *d, sqlite3_int64 rowid, uint64_t hash);
int hotline_stored_set_alert(struct db *d, sqlite3_int64 rowid, const char *alert);
void hotline_hash_text(uint64_t h, char hex[17]);
uint64_t hotline_hash_parse(const char *s);
int hotline_change(struct db *d, const char *id, sqlite3_int64 batch,
	      const char *field, const char *old, const char *new_);

#endif
