/*
 * sync.h - hotline-sync's work (DESIGN §7.4): read a ticket export, upsert
 * it into tickets, record every changed field in ticket_changes, give each
 * ticket its due_at, and list what a person must look at.
 *
 *   struct hotline_sync_opts o = { ... };            see the fields
 *   struct hotline_sync *s = hotline_sync_begin(db, &o, &st);   NULL: st set
 *   st = hotline_sync_file(s, path);   one transaction per file: 0, 65 (bad
 *                                 rows: the file changed nothing unless
 *                                 keep_going, and 65 all the same), 66, 74,
 *                                 75 (the store stayed locked) ...
 *   st = hotline_sync_end(s, out);     writes the listing to out (when o.list;
 *                                 nothing at all, not even a header, when
 *                                 no ticket needs a look);
 *                                 0, or 74
 *
 * A ticket is found by its id.  When the hash of its normalised row equals
 * the one stored (tickets.content_hash), it is unchanged: one indexed
 * lookup, no write.  Otherwise the row is merged into the stored ticket: a
 * field the row gives replaces the stored one, a field it does not give
 * (no column, or an empty value) is left as it is; masked columns compare
 * in their masked forms, so a stored 张* and a new 张三 are the same.  Each
 * field that changes goes to ticket_changes (old -> new).  A ticket absent
 * from an export is never deleted.  A new ticket needs received_at.
 *
 * status: when the row gives none, the ticket's times say how far it got
 * (a done_at: done; a revisit: revisited; a signed_at: signed), and a
 * stored status is never moved back by that.  due_at: the export's when it
 * gives one (due_rule 'export', kept after), else the limit of the ticket's
 * type (deadline.h), counted from received_at.
 *
 * The listing (o.list) has a row for each ticket that is new, whose status
 * changed, that became overdue (open past due_at) or that is due within
 * o.due_soon_s of o.at, with why it is there ("new", "status", "overdue",
 * "due_soon", joined by ','); a ticket is listed overdue or due soon once
 * for each due_at (tickets.alert).  Rows are kept until their file has
 * committed.  Without o.list, alerts are left for a later run to list.
 *
 * Hooks (cmd/ opens cases from tickets, a domain of its own):
 *   hooks.new_ticket(ctx, db, batch, t, &case_id)   a ticket (t->v[], as it
 *           will be stored, upsert.h) is about to be stored for the first
 *           time, inside the file's transaction: 1
 *           with its case's id in case_id, 0 none, or an exit code > 1
 *   hooks.file_end(ctx, landed)      the file's transaction committed (or a
 *           dry run ended): 1; rolled back: 0
 *
 * hotline_open_overdue(db, at, &n): the open tickets past due_at at `at`, for
 * --fail-on-overdue; 0 or -1 (the store's error).
 */
#ifndef CITYOPS_HOTLINE_SYNC_H
#define CITYOPS_HOTLINE_SYNC_H

#include "buf.h"
#include "calendar.h"
#include "db.h"
#include "encoding.h"
#include "hotline/deadline.h"
#include "hotline/ticket.h"
#include "hotline/upsert.h"
#include "out.h"
#include "rec.h"
#include "rejects.h"

struct hotline_hooks {
	void *ctx;
	int (*new_ticket)(void *ctx, struct db *d, int64_t batch,
			  const struct hotline_stored *t, struct buf *case_id);
	void (*file_end)(void *ctx, int landed);
};

struct hotline_sync_opts {
	enum rec_fmt fmt;
	enum encoding enc;
	const char *const *maps;
	size_t nmaps;
	const char *date_format;
	int keep_pii;
	int keep_going;
	int dry_run;
	int progress;
	int list;
	int64_t at;                  /* "now", Unix seconds */
	int64_t due_soon_s;
	const struct calendar *cal;
	const struct hotline_limits *limits;
	struct rejects *rejects;     /* may be NULL */
	struct hotline_hooks hooks;
};

struct hotline_sync;
struct hotline_sync *hotline_sync_begin(struct db *d, const struct hotline_sync_opts *o,
			      int *status);
int hotline_sync_file(struct hotline_sync *s, const char *path);
int hotline_sync_end(struct hotline_sync *s, struct out *out);
int hotline_open_overdue(struct db *d, int64_t at, long long *n);

#endif
