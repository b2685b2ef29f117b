/*
 * sync.c - hotline-sync's run: one transaction per export file, a lookup
 * per ticket, a write only for what changed, and the listing of what needs
 * a look (see sync.h).
 */
#include "common.h"

#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "batch.h"
#include "buf.h"
#include "db.h"
#include "hotline/sync.h"
#include "hotline/ticket.h"
#include "hotline/upsert.h"
#include "hotline/words.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "rejects.h"
#include "spool.h"
#include "text.h"
#include "timeparse.h"

enum { L_ID, L_WHY, L_STATUS, L_WAS, L_TYPE, L_CATEGORY, L_UNIT, L_RECEIVED,
       L_DUE, L_NCOLS };

static const struct out_col list_cols[L_NCOLS] = {
	{ "id", OUT_STR, "工单编号" }, { "why", OUT_STR, "原因" },
	{ "status", OUT_STR, "办理状态" }, { "was", OUT_STR, "原状态" },
	{ "type", OUT_STR, "诉求类型" }, { "category", OUT_STR, "诉求分类" },
	{ "unit", OUT_STR, "承办单位" }, { "received_at", OUT_TIME, "受理时间" },
	{ "due_at", OUT_TIME, "办理时限" },
};

/* from the index alone: the hash of every ticket of a re-sync is read */
static const char sql_lookup[] =
	"SELECT rowid, content_hash FROM tickets INDEXED BY tickets_id_hash WHERE id = ?1";

/* The open tickets whose deadline is near or past and not yet alerted as
 * overdue: the WHERE of the partial index tickets_watch, then the time. */
static const char sql_watch[] =
	"SELECT rowid, id, status, type, category, unit, received_at, due_at, alert"
	" FROM tickets WHERE status NOT IN ('done','revisited') AND due_at IS NOT NULL"
	" AND alert IS NOT 'overdue' AND due_at <= ?1 ORDER BY due_at, id";

struct file_stats {
	long long rejected;
	long dup_warned;
};

struct hotline_sync {
	struct db *db;
	const struct hotline_sync_opts *o;
	struct hotline_norm nm;
	struct hotline_merge_ctx mc;
	char now_text[TIMEPARSE_TEXT_LEN];    /* o->at: deadlines are judged then */
	char soon_text[TIMEPARSE_TEXT_LEN];   /* o->at + due_soon_s */
	char clock_text[TIMEPARSE_TEXT_LEN];  /* the real time, for updated_at */
	struct spool *sp;
	int stdin_read;
	/* the file at hand */
	struct rec_opts ro;             /* the source keeps a pointer to it */
	struct rec_src *src;
	const char *name;
	struct batch b;
	struct file_stats fs;
	int writing;                   /* 0: only check the rest of the file */
	int status;                    /* a store error or a hook's exit code */
	struct hotline_ticket t;
	struct hotline_stored old, cur;
	struct buf case_id;
};

struct hotline_sync *hotline_sync_begin(struct db *d, const struct hotline_sync_opts *o,
			      int *status)
{
	struct hotline_sync *s = xcalloc(1, sizeof *s);
	int zone = db_zone_min(d);

	*status = 0;
	s->db = d;
	s->o = o;
	s->nm.tpo.date_format = o->date_format;
	s->nm.tpo.zone_min = zone;
	s->nm.keep_pii = o->keep_pii;
	s->nm.now = (int64_t)time(NULL);
	if (o->at > s->nm.now)
		s->nm.now = o->at;
	s->mc.limits = o->limits;
	s->mc.cal = o->cal;
	s->mc.zone_min = zone;
	timeparse_format(o->at, zone, s->now_text);
	timeparse_format(o->at + o->due_soon_s, zone, s->soon_text);
	timeparse_format((int64_t)time(NULL), zone, s->clock_text);
	hotline_ticket_init(&s->t);
	hotline_stored_init(&s->old);
	hotline_stored_init(&s->cur);
	if (o->list && !(s->sp = spool_new(L_NCOLS, status))) {
		free(s);
		return NULL;
	}
	return s;
}

/* The alert a ticket gets now: "overdue", "due_soon" or NULL. */
static const char *alert_for(const struct hotline_sync *s, const char *status,
			     const char *due, const char *alert)
{
	if (!s->o->list || !due || hotline_status_done(hotline_status_by_name(status)))
		return NULL;
	if (strcmp(due, s->now_text) < 0)
		return str_same(alert, "overdue") ? NULL : "overdue";
	if (!alert && strcmp(due, s->soon_text) <= 0)
		return "due_soon";
	return NULL;
}

static void list_row(struct hotline_sync *s, const char *why, const char *was,
		     char *const *v)
{
	const char *row[L_NCOLS];

	if (!s->sp)
		return;
	row[L_ID] = v[TK_ID];
	row[L_WHY] = why;
	row[L_STATUS] = v[TK_STATUS];
	row[L_WAS] = was;
	row[L_TYPE] = v[TK_TYPE];
	row[L_CATEGORY] = v[TK_CATEGORY];
	row[L_UNIT] = v[TK_UNIT];
	row[L_RECEIVED] = v[TK_RECEIVED_AT];
	row[L_DUE] = v[TK_DUE_AT];
	spool_add(s->sp, row, NULL);
}

static void reject(struct hotline_sync *s, long line, const char *reason)
{
	msg_errat(s->name, line, "%s", reason);
	rejects_add_rec(s->o->rejects, s->src, line, reason);
	s->b.rejected++;
	s->fs.rejected++;
	if (!s->o->keep_going)
		s->writing = 0;
}

static int db_error(struct hotline_sync *s)
{
	if (!s->status)
		s->status = db_fail(s->db, s->name);
	s->writing = 0;
	return -1;
}

/* Insert a new ticket; -1 when the store or a hook failed. */
static int sync_insert(struct hotline_sync *s)
{
	const struct hotline_hooks *h = &s->o->hooks;
	const char *alert;
	char why[32] = "new";

	hotline_merge(&s->cur, NULL, &s->t, &s->mc);
	if (hotline_status_done(hotline_status_by_name(s->cur.v[TK_STATUS])))
		s->cur.done_batch = s->b.id;
	if (h->new_ticket) {
		int r;
		buf_reset(&s->case_id);
		r = h->new_ticket(h->ctx, s->db, s->b.id, &s->cur, &s->case_id);
		if (r > 1) {
			s->status = r;
			s->writing = 0;
			return -1;
		}
		if (r == 1)
			s->cur.case_id = xstrdup(buf_str(&s->case_id));
	}
	alert = alert_for(s, s->cur.v[TK_STATUS], s->cur.v[TK_DUE_AT], NULL);
	if (alert) {
		s->cur.alert = xstrdup(alert);
		snprintf(why, sizeof why, "new,%s", alert);
	}
	if (hotline_stored_insert(s->db, &s->cur, s->b.id, s->clock_text) < 0)
		return db_error(s);
	s->b.inserted++;
	list_row(s, why, NULL, s->cur.v);
	return 0;
}

static void warn_again(struct hotline_sync *s, long line)
{
	if (s->fs.dup_warned++ < 10)
		msg_warnat(s->name, line,
			   "ticket '%s' comes again in this file with other values: the later row wins",
			   s->cur.v[TK_ID]);
}

/* Merge the row into a stored ticket; -1 when the store failed. */
static int sync_update(struct hotline_sync *s, sqlite3_int64 rowid, long line)
{
	struct hotline_stored *o = &s->old, *c = &s->cur;
	const char *alert;
	char why[32] = "";
	int changed = 0, r;

	if ((r = hotline_stored_load(s->db, rowid, o)) <= 0)
		return r < 0 ? db_error(s) : 0;
	hotline_merge(c, o, &s->t, &s->mc);
	for (int k = 0; k < TK_NCOLS; k++)
		changed |= hotline_stored_diff(o, c, k);
	if (!changed) {
		s->b.unchanged++;
		return hotline_stored_set_hash(s->db, rowid, s->t.hash) < 0 ? db_error(s) : 0;
	}
	if (o->first_batch == s->b.id || o->last_changed_batch == s->b.id)
		warn_again(s, line);
	for (int k = 0; k < TK_NCOLS; k++)
		if (hotline_stored_diff(o, c, k) &&
		    hotline_change(s->db, c->v[TK_ID], s->b.id, hotline_col_name[k], o->v[k], c->v[k]) < 0)
			return db_error(s);
	if (hotline_status_done(hotline_status_by_name(c->v[TK_STATUS])) &&
	    !hotline_status_done(hotline_status_by_name(o->v[TK_STATUS])))
		c->done_batch = s->b.id;
	if (hotline_stored_diff(o, c, TK_STATUS))
		snprintf(why, sizeof why, "status");
	if ((alert = alert_for(s, c->v[TK_STATUS], c->v[TK_DUE_AT], c->alert)) != NULL) {
		free(c->alert);
		c->alert = xstrdup(alert);
		snprintf(why + strlen(why), sizeof why - strlen(why), "%s%s",
			 why[0] ? "," : "", alert);
	}
	if (hotline_stored_update(s->db, c, s->b.id, s->clock_text) < 0)
		return db_error(s);
	s->b.updated++;
	if (why[0])
		list_row(s, why, o->v[TK_STATUS], c->v);
	return 0;
}

/* Is the ticket of id s[0..n) in the store?  1 with its rowid and hash,
 * 0, -1 error. */
static int lookup(struct hotline_sync *s, const char *id, size_t n,
		  sqlite3_int64 *rowid, uint64_t *hash)
{
	sqlite3_stmt *st = db_stmt(s->db, sql_lookup);
	const char *h;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	*rowid = sqlite3_column_int64(st, 0);
	h = (const char *)sqlite3_column_text(st, 1);
	*hash = hotline_hash_parse(h);
	sqlite3_reset(st);
	return 1;
}

/*
 * A record: an unchanged ticket (its stored hash is the record's) costs
 * the hash and one indexed lookup, before any normalising; any other is
 * normalised, then inserted or merged.
 */
static void sync_row(struct hotline_sync *s, const struct rec *r, int rc)
{
	sqlite3_int64 rowid = 0;
	uint64_t hash = 0, raw = 0;
	const char *id;
	size_t idn = 0;
	int found = 0;

	s->b.read++;
	if (rc == 2) {
		reject(s, r->line, r->reason);
		return;
	}
	if ((id = r->v[TK_ID]) != NULL) {
		idn = r->len[TK_ID];
		text_trim(&id, &idn);
		raw = hotline_raw_hash(r, &s->nm);
		if (idn && idn <= HOTLINE_ID_MAX &&
		    (found = lookup(s, id, idn, &rowid, &hash)) < 0) {
			db_error(s);
			return;
		}
		if (found && hash == raw) {
			s->b.unchanged++;
			return;
		}
	}
	if (hotline_ticket_read(&s->t, &s->nm, r) < 0) {
		reject(s, r->line, s->t.reason);
		return;
	}
	s->t.hash = raw;
	if (!found && !s->t.v[TK_RECEIVED_AT]) {
		reject(s, r->line, "a new ticket needs received_at");
		return;
	}
	if (!s->writing)
		return; /* the file will roll back: only check the rest */
	if (found)
		sync_update(s, rowid, r->line);
	else
		sync_insert(s);
}

/* List the open tickets whose deadline passed or comes near, once each. */
static int watch(struct hotline_sync *s)
{
	sqlite3_stmt *st = db_stmt(s->db, sql_watch);
	sqlite3_int64 *rows = NULL;
	const char **kinds = NULL;
	size_t n = 0, cap = 0, kcap = 0;
	int rc, ret = -1;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, s->soon_text, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *v[TK_NCOLS] = { NULL };
		static const int cols[] = { TK_ID, TK_STATUS, TK_TYPE, TK_CATEGORY,
					    TK_UNIT, TK_RECEIVED_AT, TK_DUE_AT };
		const char *alert;
		for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
			v[cols[i]] = (char *)sqlite3_column_text(st, (int)i + 1);
		alert = alert_for(s, v[TK_STATUS], v[TK_DUE_AT],
				  (const char *)sqlite3_column_text(st, 8));
		if (!alert)
			continue;
		XGROW(rows, n + 1, cap);
		XGROW(kinds, n + 1, kcap);
		rows[n] = sqlite3_column_int64(st, 0);
		kinds[n++] = alert;
		list_row(s, alert, NULL, v);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (hotline_stored_set_alert(s->db, rows[i], kinds[i]) < 0)
			goto out;
	ret = 0;
out:
	free(rows);
	free(kinds);
	return ret;
}

/*
 * Standard input is read to its end into a temporary file before the store
 * is locked, so that a slow writer upstream in a pipe never holds the write
 * lock up; the file then stands in for stdin.
 */
static int read_stdin(struct hotline_sync *s)
{
	FILE *f;
	char chunk[65536];
	ssize_t k;

	if (s->stdin_read)
		return 0;
	s->stdin_read = 1;
	if (!(f = tmpfile())) {
		msg_err("cannot create a temporary file: %s", strerror(errno));
		return EXIT_CANT_CREATE;
	}
	while ((k = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			msg_err("-: read error: %s", strerror(errno));
			fclose(f);
			return EXIT_IO_ERR;
		}
		if (fwrite(chunk, 1, (size_t)k, f) != (size_t)k) {
			msg_err("cannot keep standard input in a temporary file: %s",
				strerror(errno));
			fclose(f);
			return EXIT_CANT_CREATE;
		}
	}
	if (fflush(f) != 0 || dup2(fileno(f), STDIN_FILENO) < 0 ||
	    lseek(STDIN_FILENO, 0, SEEK_SET) < 0) {
		msg_err("cannot keep standard input in a temporary file: %s", strerror(errno));
		fclose(f);
		return EXIT_CANT_CREATE;
	}
	fclose(f);
	return 0;
}

/* The file's records; NULL with *st set (rec names a missing id column). */
static struct rec_src *open_src(struct hotline_sync *s, const char *path, int *st)
{
	struct rec_src *src;

	s->ro.fmt = s->o->fmt;
	s->ro.enc = s->o->enc;
	s->ro.maps = s->o->maps;
	s->ro.nmaps = s->o->nmaps;
	s->ro.date_format = s->o->date_format;
	s->ro.flags = REC_O_MAP_HINT;
	src = rec_open(path, hotline_fields, HF_NFIELDS, &s->ro, st);
	s->nm.src = src;
	return src;
}

static void progress(const struct hotline_sync *s, int done)
{
	if (done)
		msg_progress(NULL);
	else
		msg_progress("%s: %lld rows", s->name, s->b.read);
}

/* Read the file's records into the store; the file's status so far. */
static int sync_records(struct hotline_sync *s)
{
	struct rec r;
	time_t tick = time(NULL);
	int rc;

	while ((rc = rec_next(s->src, &r)) != 0) {
		if (rc < 0)
			return rec_status(s->src);
		sync_row(s, &r, rc);
		if (s->status)
			return s->status;
		if (s->o->progress && time(NULL) != tick) {
			tick = time(NULL);
			progress(s, 0);
		}
	}
	if (s->o->progress)
		progress(s, 1);
	if (s->fs.rejected && !s->o->keep_going)
		return rejects_refuse(s->name, s->fs.rejected, "synced", s->o->rejects != NULL);
	return 0;
}

static void summary(const struct hotline_sync *s)
{
	const struct batch *b = &s->b;
	int quiet = !b->inserted && !b->updated && !b->rejected;

	if (s->fs.dup_warned > 10)
		msg_warn("%s: %ld more tickets came again with other values",
			 s->name, s->fs.dup_warned - 10);
	(quiet ? msg_verb : msg_info)("%s: %lld read, %lld new, %lld updated, %lld unchanged, "
				      "%lld rejected%s", s->name, b->read, b->inserted,
				      b->updated, b->unchanged, b->rejected,
				      s->o->dry_run ? " (dry run: nothing written)" : "");
}

/* The file's transaction: records, deadlines, the batch row, commit. */
static int sync_tx(struct hotline_sync *s)
{
	int st;

	if (db_begin(s->db) != SQLITE_OK)
		return db_fail(s->db, s->name);
	if (batch_begin(s->db, &s->b, "hotline-sync", s->name) < 0)
		goto dberr;
	s->writing = 1;
	db_exec(s->db, "PRAGMA cache_size = -16384");
	if ((st = sync_records(s)) != 0)
		goto rollback;
	if (s->o->list && watch(s) < 0)
		goto dberr;
	if (batch_end(s->db, &s->b) < 0)
		goto dberr;
	if (s->o->dry_run)
		db_rollback(s->db);
	else if (db_commit(s->db) != SQLITE_OK)
		goto dberr;
	return 0;
dberr:
	st = db_fail(s->db, s->name);
rollback:
	db_rollback(s->db);
	return st;
}

int hotline_sync_file(struct hotline_sync *s, const char *path)
{
	struct spool_mark m = { 0, 0 };
	const struct hotline_hooks *h = &s->o->hooks;
	int st;

	if ((!path || strcmp(path, "-") == 0) && (st = read_stdin(s)) != 0)
		return st;
	if (!(s->src = open_src(s, path, &st)))
		return st;
	s->name = rec_name(s->src);
	memset(&s->fs, 0, sizeof s->fs);
	s->status = 0;
	if (s->sp)
		m = spool_mark(s->sp);
	st = sync_tx(s);
	if (st == 0) {
		summary(s);
		if (h->file_end)
			h->file_end(h->ctx, 1);
		if (s->fs.rejected)
			st = EXIT_DATA_ERR; /* kept the good rows, said so all the same */
	} else {
		if (s->sp)
			spool_truncate(s->sp, m);
		if (h->file_end)
			h->file_end(h->ctx, 0);
	}
	rec_close(s->src);
	s->src = NULL;
	s->name = NULL;
	return st;
}

int hotline_sync_end(struct hotline_sync *s, struct out *out)
{
	int st = 0;

	if (s->sp && out && spool_count(s->sp) == 0) {
		out_discard(out); /* nothing needs a look: not even a header */
	} else if (s->sp && out) {
		out_columns(out, list_cols, L_NCOLS);
		if (spool_write(s->sp, out) != 0)
			st = EXIT_IO_ERR;
	}
	spool_free(s->sp);
	hotline_ticket_free(&s->t);
	hotline_stored_free(&s->old);
	hotline_stored_free(&s->cur);
	buf_free(&s->case_id);
	free(s);
	return st;
}

int hotline_open_overdue(struct db *d, int64_t at, long long *n)
{
	static const char sql[] =
		"SELECT count(*) FROM tickets WHERE status NOT IN ('done','revisited')"
		" AND due_at IS NOT NULL AND due_at < ?1";
	sqlite3_stmt *st = db_stmt(d, sql);
	char text[TIMEPARSE_TEXT_LEN];
	int rc;

	if (!st)
		return -1;
	timeparse_format(at, db_zone_min(d), text);
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}
