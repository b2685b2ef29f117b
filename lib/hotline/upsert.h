/*
 * upsert.h - a ticket as the store holds it, and the merge of an export's
 * row into it (the rules are sync.h's).  Used by sync.c.
 *
 *   struct hl_stored old, new;
 *   hl_stored_init(&old);
 *   r = hl_stored_load(db, rowid, &old);   1, 0 no such row, -1 store error
 *   hl_merge(&new, &old_or_NULL, row, &mc); the merged ticket: due_at and
 *                                          a status it does not give worked
 *                                          out as sync.h says
 *   hl_stored_diff(&old, &new, c)          does column c differ?
 *   hl_stored_insert(db, &new, ...) / hl_stored_update(db, &new, ...)
 *   hl_change(db, id, batch, field, old, new)   a ticket_changes row
 *   hl_stored_free(&x);
 *
 * content_hash is kept as 16 lower-case hex digits: hl_hash_text(h, hex),
 * hl_hash_parse(text) (0 for anything else, which no record hashes to).
 */
#ifndef CITYOPS_HOTLINE_UPSERT_H
#define CITYOPS_HOTLINE_UPSERT_H

#include "calendar.h"
#include "db.h"
#include "hotline/deadline.h"
#include "hotline/ticket.h"

struct hl_stored {
	char *v[TK_NCOLS];
	char *due_rule;
	char *alert;
	char *case_id;
	sqlite3_int64 rowid;
	sqlite3_int64 first_batch, last_changed_batch, done_batch;
	uint64_t hash;
};

struct hl_merge_ctx {
	const struct hl_limits *limits;
	const struct calendar *cal;
	int zone_min;
};

void hl_stored_init(struct hl_stored *s);
void hl_stored_free(struct hl_stored *s);
int hl_stored_load(struct db *d, sqlite3_int64 rowid, struct hl_stored *s);
void hl_merge(struct hl_stored *out, const struct hl_stored *old,
	      const struct hl_ticket *row, const struct hl_merge_ctx *mc);
int hl_stored_diff(const struct hl_stored *a, const struct hl_stored *b, int c);
int hl_stored_insert(struct db *d, const struct hl_stored *s, sqlite3_int64 batch,
		     const char *now);
int hl_stored_update(struct db *d, const struct hl_stored *s, sqlite3_int64 batch,
		     const char *now);
int hl_stored_set_hash(struct db *d, sqlite3_int64 rowid, uint64_t hash);
int hl_stored_set_alert(struct db *d, sqlite3_int64 rowid, const char *alert);
void hl_hash_text(uint64_t h, char hex[17]);
uint64_t hl_hash_parse(const char *s);
int hl_change(struct db *d, const char *id, sqlite3_int64 batch,
	      const char *field, const char *old, const char *new_);

#endif
