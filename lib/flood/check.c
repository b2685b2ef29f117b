/*
 * check.c - a flood-check run (see check.h).
 */
#include "common.h"

#include <time.h>

#include <sqlite3.h>

#include "batch.h"
#include "buf.h"
#include "db.h"
#include "flood/check.h"
#include "flood/eval.h"
#include "flood/input.h"
#include "flood/message.h"
#include "flood/notify.h"
#include "flood/rows.h"
#include "flood/station.h"
#include "msg.h"
#include "out.h"
#include "rejects.h"
#include "timeparse.h"

enum { A_LEVEL, A_RISE, A_STALE, A_BAD, NALERTS };
static const char *const alert_kinds[NALERTS] = { "level", "rise", "stale", "bad" };

/* one station during a run */
struct srt {
	const struct station *st;
	struct flood_state s, start;     /* now, and at the start of the file */
	int64_t ids[NALERTS], start_ids[NALERTS];
	int deferred, touched;
	char hi[TIMEPARSE_TEXT_LEN];            /* its newest reading stored by this run */
};

struct flood_run {
	struct db *db;
	const struct flood_check_opts *o;
	struct srt *rt;
	size_t n;
	struct rejects *rj;
	struct flood_rows *rows;         /* new readings on their way in */
	char *top;                       /* the newest at stored before the run */
	sqlite3_int64 first_event;       /* events of this run have greater ids */
	sqlite3_int64 batch;
	char now[TIMEPARSE_TEXT_LEN];
	struct buf msg;
	int zone;
};

const struct out_col flood_event_cols[] = {
	{ "station", OUT_STR, "站点" }, { "name", OUT_STR, "名称" },
	{ "event", OUT_STR, "事件" }, { "level", OUT_STR, "预警等级" },
	{ "level_cm", OUT_NUM, "积水cm" }, { "at", OUT_TIME, "时间" },
	{ "rate_cm_per_h", OUT_NUM, "涨速cm每小时" }, { "message", OUT_STR, "通知内容" },
};
const size_t flood_event_ncols = ARRAY_SIZE(flood_event_cols);

/* ---- times ------------------------------------------------------------- */

static void bind_time(sqlite3_stmt *st, int i, int64_t t, int zone)
{
	char buf[TIMEPARSE_TEXT_LEN];

	if (t == FLOOD_NONE) {
		sqlite3_bind_null(st, i);
		return;
	}
	timeparse_format(t, zone, buf);
	sqlite3_bind_text(st, i, buf, 19, SQLITE_TRANSIENT);
}

static int64_t col_time(sqlite3_stmt *st, int i, int zone)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	int64_t t;

	if (!s || timeparse_canonical(s, strlen(s), zone, &t) < 0)
		return FLOOD_NONE;
	return t;
}

/* ---- the state in the store --------------------------------------------- */

static const char sql_load[] =
	"SELECT s.last_at, s.good_at, s.good_cm, s.level, s.level_alert, s.rise_alert,"
	" s.stale_alert, s.bad_alert, s.blue_n, s.blue_from, s.yellow_n, s.yellow_from,"
	" s.orange_n, s.orange_from, s.red_n, s.red_from, s.bad_n, s.jump_n, s.jump_cm,"
	" s.jump_at, a.opened_at, a.peak_cm, a.peak_at"
	" FROM flood_state AS s LEFT JOIN flood_alerts AS a ON a.id = s.level_alert"
	" WHERE s.station = ?1";

static const char sql_window[] =
	"SELECT at, level_cm FROM readings WHERE station = ?1 AND at > ?2 AND at <= ?3"
	" AND bad IS NULL ORDER BY at";

static void state_from_row(sqlite3_stmt *q, struct flood_state *s, int64_t ids[4],
			   int zone)
{
	s->last_at = col_time(q, 0, zone);
	s->good_at = col_time(q, 1, zone);
	s->good_cm = sqlite3_column_double(q, 2);
	s->level = sqlite3_column_int(q, 3);
	if (s->level < 0 || s->level > FLOOD_NLEVELS)
		s->level = 0;
	for (int k = 0; k < NALERTS; k++)
		ids[k] = sqlite3_column_int64(q, 4 + k);
	for (int l = 1; l <= FLOOD_NLEVELS; l++) {
		s->run_n[l] = sqlite3_column_int(q, 8 + 2 * (l - 1));
		s->run_from[l] = col_time(q, 9 + 2 * (l - 1), zone);
	}
	s->bad_n = sqlite3_column_int(q, 16);
	s->jump_n = sqlite3_column_int(q, 17);
	s->jump_cm = sqlite3_column_double(q, 18);
	s->jump_at = col_time(q, 19, zone);
	s->level_at = col_time(q, 20, zone);
	s->peak_cm = sqlite3_column_double(q, 21);
	s->peak_at = col_time(q, 22, zone);
	s->rising = ids[A_RISE] != 0;
	s->stale = ids[A_STALE] != 0;
	s->bad = ids[A_BAD] != 0;
	if (!ids[A_LEVEL])
		s->level = 0;
}

int flood_state_load(struct db *d, const struct station *st, struct flood_state *s,
		     int64_t ids[4])
{
	sqlite3_stmt *q = db_stmt(d, sql_load);
	int zone = db_zone_min(d), rc;

	flood_state_init(s);
	memset(ids, 0, 4 * sizeof ids[0]);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, st->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		state_from_row(q, s, ids, zone);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (s->good_at == FLOOD_NONE)
		return 0;
	/* the rate window: the plausible readings of the last 30 minutes */
	if (!(q = db_stmt(d, sql_window)))
		return -1;
	sqlite3_bind_text(q, 1, st->id, -1, SQLITE_STATIC);
	bind_time(q, 2, s->good_at - FLOOD_WINDOW_S, zone);
	bind_time(q, 3, s->good_at, zone);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		flood_window_add(s, col_time(q, 0, zone), sqlite3_column_double(q, 1));
	sqlite3_reset(q);
	s->rate = flood_window_rate(s, s->good_at, &s->has_rate);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char sql_save[] =
	"INSERT OR REPLACE INTO flood_state(station, last_at, good_at, good_cm, level,"
	" level_alert, rise_alert, stale_alert, bad_alert, blue_n, blue_from, yellow_n,"
	" yellow_from, orange_n, orange_from, red_n, red_from, bad_n, jump_n, jump_cm,"
	" jump_at, batch_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	" ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)";

static void bind_id(sqlite3_stmt *q, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(q, i, id);
	else
		sqlite3_bind_null(q, i);
}

static int state_save(struct flood_run *r, struct srt *t)
{
	sqlite3_stmt *q = db_stmt(r->db, sql_save);
	const struct flood_state *s = &t->s;

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, t->st->id, -1, SQLITE_STATIC);
	bind_time(q, 2, s->last_at, r->zone);
	bind_time(q, 3, s->good_at, r->zone);
	if (s->good_at != FLOOD_NONE)
		sqlite3_bind_double(q, 4, s->good_cm);
	sqlite3_bind_int(q, 5, s->level);
	for (int k = 0; k < NALERTS; k++)
		bind_id(q, 6 + k, t->ids[k]);
	for (int l = 1; l <= FLOOD_NLEVELS; l++) {
		sqlite3_bind_int(q, 10 + 2 * (l - 1), s->run_n[l]);
		bind_time(q, 11 + 2 * (l - 1), s->run_n[l] ? s->run_from[l] : FLOOD_NONE,
			  r->zone);
	}
	sqlite3_bind_int(q, 18, s->bad_n);
	sqlite3_bind_int(q, 19, s->jump_n);
	if (s->jump_n)
		sqlite3_bind_double(q, 20, s->jump_cm);
	bind_time(q, 21, s->jump_n ? s->jump_at : FLOOD_NONE, r->zone);
	sqlite3_bind_int64(q, 22, r->batch);
	sqlite3_bind_text(q, 23, r->now, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		return -1;
	/* the open level alert's peak moves with every reading: written here */
	if (t->ids[A_LEVEL]) {
		q = db_stmt(r->db, "UPDATE flood_alerts SET peak_cm = ?1, peak_at = ?2"
			    " WHERE id = ?3");
		if (!q)
			return -1;
		sqlite3_bind_double(q, 1, s->peak_cm);
		bind_time(q, 2, s->peak_at, r->zone);
		sqlite3_bind_int64(q, 3, t->ids[A_LEVEL]);
		if (sqlite3_step(q) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/* ---- transitions --------------------------------------------------------- */

static int alert_open(struct flood_run *r, struct srt *t, int k,
		      const struct flood_event *e)
{
	sqlite3_stmt *q = db_stmt(r->db,
		"INSERT INTO flood_alerts(station, kind, level, opened_at, peak_cm, peak_at,"
		" opened_cm, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5, ?6)");

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, t->st->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, alert_kinds[k], -1, SQLITE_STATIC);
	if (k == A_LEVEL)
		sqlite3_bind_text(q, 3, flood_level_name(e->level), -1, SQLITE_STATIC);
	bind_time(q, 4, e->at, r->zone);
	if (e->has_cm)
		sqlite3_bind_double(q, 5, e->cm);
	sqlite3_bind_int64(q, 6, r->batch);
	if (sqlite3_step(q) != SQLITE_DONE)
		return -1;
	t->ids[k] = sqlite3_last_insert_rowid(r->db->h);
	return 0;
}

/* level change (close 0) or close (1) of alert k */
static int alert_update(struct flood_run *r, struct srt *t, int k,
			const struct flood_event *e, int close)
{
	sqlite3_stmt *q = db_stmt(r->db,
		"UPDATE flood_alerts SET level = coalesce(?1, level),"
		" closed_at = ?2, peak_cm = coalesce(?3, peak_cm),"
		" peak_at = coalesce(?4, peak_at) WHERE id = ?5");

	if (!q || !t->ids[k])
		return q ? 0 : -1;
	/* an alert's level is the highest it reached */
	if (k == A_LEVEL && !close && e->kind == FE_ESCALATED)
		sqlite3_bind_text(q, 1, flood_level_name(e->level), -1, SQLITE_STATIC);
	if (close)
		bind_time(q, 2, e->at, r->zone);
	if (k == A_LEVEL) {
		sqlite3_bind_double(q, 3, t->s.peak_cm);
		bind_time(q, 4, t->s.peak_at, r->zone);
	}
	sqlite3_bind_int64(q, 5, t->ids[k]);
	if (sqlite3_step(q) != SQLITE_DONE)
		return -1;
	if (close)
		t->ids[k] = 0;
	return 0;
}

static int alerts_for(struct flood_run *r, struct srt *t, const struct flood_event *e,
		      int64_t *alert)
{
	int rc = 0;

	switch (e->kind) {
	case FE_OPENED:
		rc = alert_open(r, t, A_LEVEL, e);
		*alert = t->ids[A_LEVEL];
		break;
	case FE_ESCALATED:
	case FE_DEESCALATED:
		*alert = t->ids[A_LEVEL];
		rc = alert_update(r, t, A_LEVEL, e, 0);
		break;
	case FE_CLEARED:
		*alert = t->ids[A_LEVEL];
		rc = alert_update(r, t, A_LEVEL, e, 1);
		break;
	case FE_RISING:
		rc = alert_open(r, t, A_RISE, e);
		*alert = t->ids[A_RISE];
		break;
	case FE_RISE_END:
		rc = alert_update(r, t, A_RISE, e, 1);
		break;
	case FE_STALE:
		rc = alert_open(r, t, A_STALE, e);
		*alert = t->ids[A_STALE];
		break;
	case FE_BAD:
		rc = alert_open(r, t, A_BAD, e);
		*alert = t->ids[A_BAD];
		break;
	case FE_BACK: {
		int k = e->ended == FE_BAD ? A_BAD : A_STALE;
		*alert = t->ids[k];
		rc = alert_update(r, t, k, e, 1);
		break;
	}
	default:
		break;
	}
	return rc;
}

static int emit(void *ctx, const struct flood_event *e)
{
	struct srt *t = ((void **)ctx)[1];
	struct flood_run *r = ((void **)ctx)[0];
	int64_t alert = 0;
	sqlite3_stmt *q;

	t->touched = 1;
	if (flood_rows_sync(r->rows) < 0 || alerts_for(r, t, e, &alert) < 0)
		return -1;
	if (e->kind == FE_RISE_END)
		return 0;
	flood_msg_render(r->o->msgs, t->st, e, r->zone, &r->msg);
	q = db_stmt(r->db,
		"INSERT INTO flood_events(station, event, level, level_cm, at, rate_cm_per_h,"
		" message, alert_id, batch_id, notified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		" ?7, ?8, ?9, ?10)");
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, t->st->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, flood_event_names[e->kind], -1, SQLITE_STATIC);
	if (e->level)
		sqlite3_bind_text(q, 3, flood_level_name(e->level), -1, SQLITE_STATIC);
	if (e->has_cm)
		sqlite3_bind_double(q, 4, e->cm);
	bind_time(q, 5, e->at, r->zone);
	if (e->has_rate)
		sqlite3_bind_double(q, 6, e->rate);
	sqlite3_bind_text(q, 7, buf_str(&r->msg), (int)r->msg.len, SQLITE_STATIC);
	bind_id(q, 8, alert);
	sqlite3_bind_int64(q, 9, r->batch);
	if (!r->o->hook)
		sqlite3_bind_text(q, 10, r->now, -1, SQLITE_STATIC);
	return sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
}

/* ---- the run ------------------------------------------------------------- */

struct flood_run *flood_check_begin(struct db *d, const struct flood_check_opts *o,
				    int *status)
{
	struct flood_run *r = xcalloc(1, sizeof *r);
	sqlite3_stmt *q;

	r->db = d;
	r->o = o;
	r->zone = db_zone_min(d);
	timeparse_format((int64_t)time(NULL), r->zone, r->now);
	r->n = o->ss->n;
	r->rt = xcalloc(r->n, sizeof *r->rt);
	*status = 0;
	/* without --rejects r->rj stays NULL: a rejects that writes nothing */
	if (o->rejects && !(r->rj = rejects_open(o->rejects, status)))
		goto fail;
	if (db_begin(d) != SQLITE_OK) {
		*status = db_fail(d, "cannot lock the store");
		goto fail;
	}
	for (size_t i = 0; i < r->n; i++) {
		r->rt[i].st = &o->ss->v[i];
		if (flood_state_load(d, r->rt[i].st, &r->rt[i].s, r->rt[i].ids) < 0) {
			*status = db_fail(d, "cannot read the stations' state");
			db_rollback(d);
			goto fail;
		}
	}
	q = db_stmt(d, "SELECT coalesce(max(id), 0) FROM flood_events");
	if (!q || sqlite3_step(q) != SQLITE_ROW) {
		*status = db_fail(d, "flood_events");
		db_rollback(d);
		goto fail;
	}
	r->first_event = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	/* the last key of readings: the newest time stored */
	q = db_stmt(d, "SELECT max(at) FROM readings");
	if (!q || sqlite3_step(q) != SQLITE_ROW || !(r->rows = flood_rows_new(d))) {
		*status = db_fail(d, "readings");
		if (q)
			sqlite3_reset(q);
		db_rollback(d);
		goto fail;
	}
	r->top = xstrdup(sqlite3_column_type(q, 0) == SQLITE_NULL ? "" :
			 (const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
	return r;
fail:
	flood_rows_free(r->rows);
	rejects_close(r->rj);
	free(r->rt);
	free(r);
	return NULL;
}

struct file_stats {
	long long read, inserted, dup, late, bad, rejected, deferred;
};

/* Undo what evaluating station t did in this file, to evaluate it again in
 * time order from the store at the end of the file. */
static int defer(struct flood_run *r, struct srt *t)
{
	sqlite3_stmt *q;

	static const char *const undo[] = {
		"DELETE FROM flood_events WHERE batch_id = ?1 AND station = ?2",
		"DELETE FROM flood_alerts WHERE batch_id = ?1 AND station = ?2",
	};

	t->deferred = 1;
	if (flood_rows_sync(r->rows) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(undo); i++) {
		if (!(q = db_stmt(r->db, undo[i])))
			return -1;
		sqlite3_bind_int64(q, 1, r->batch);
		sqlite3_bind_text(q, 2, t->st->id, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			return -1;
	}
	/* the alerts that were open before: open again, as they were */
	q = db_stmt(r->db, "UPDATE flood_alerts SET closed_at = NULL,"
		    " level = coalesce(?1, level), peak_cm = coalesce(?2, peak_cm),"
		    " peak_at = coalesce(?3, peak_at) WHERE id = ?4");
	if (!q)
		return -1;
	for (int k = 0; k < NALERTS; k++) {
		if (!t->start_ids[k])
			continue;
		if (k == A_LEVEL) {
			sqlite3_bind_text(q, 1, flood_level_name(t->start.level), -1, SQLITE_STATIC);
			sqlite3_bind_double(q, 2, t->start.peak_cm);
			bind_time(q, 3, t->start.peak_at, r->zone);
		}
		sqlite3_bind_int64(q, 4, t->start_ids[k]);
		if (sqlite3_step(q) != SQLITE_DONE)
			return -1;
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
	}
	t->s = t->start;
	memcpy(t->ids, t->start_ids, sizeof t->ids);
	return 0;
}

static int mark_bad(struct flood_run *r, const struct station *st, const char *at,
		    const char *why)
{
	sqlite3_stmt *q;

	if (flood_rows_sync(r->rows) < 0 ||
	    !(q = db_stmt(r->db, "UPDATE readings SET bad = ?1 WHERE station = ?2"
			  " AND at = ?3")))
		return -1;
	if (why)
		sqlite3_bind_text(q, 1, why, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, st->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, at, 19, SQLITE_STATIC);
	return sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
}

/* Evaluate a deferred station's new readings from the store, in time order. */
static int reevaluate(struct flood_run *r, struct srt *t)
{
	sqlite3_stmt *q;
	void *ctx[2] = { r, t };
	int rc;

	if (sqlite3_prepare_v2(r->db->h, "SELECT at, level_cm, bad FROM readings"
			       " WHERE station = ?1 AND at > ?2 ORDER BY at", -1, &q, NULL))
		return -1;
	sqlite3_bind_text(q, 1, t->st->id, -1, SQLITE_STATIC);
	if (t->start.last_at == FLOOD_NONE)
		sqlite3_bind_text(q, 2, "", 0, SQLITE_STATIC);
	else
		bind_time(q, 2, t->start.last_at, r->zone);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(q, 0);
		const char *was = (const char *)sqlite3_column_text(q, 2);
		double cm = sqlite3_column_double(q, 1);
		const char *why = flood_static_bad(t->st, cm), *now;
		int64_t tt;
		if (timeparse_canonical(at, strlen(at), r->zone, &tt) < 0)
			continue;
		now = flood_eval_reading(t->st, &r->o->rules, &t->s, tt, cm, why, emit, ctx);
		if (t->s.failed)
			break;
		if ((now == NULL) != (was == NULL) || (now && strcmp(now, was)))
			if (mark_bad(r, t->st, at, now) < 0)
				break;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void progress(const char *name, long long n, int done)
{
	if (done)
		msg_progress(NULL);
	else
		msg_progress("%s: %lld readings", name, n);
}

/*
 * Store a reading.  One newer than every reading stored before the run (top)
 * and than every one of its station stored by the run (hi) cannot be stored
 * yet: it joins the block, with no search for a duplicate.  Any other may
 * be: it goes in alone, after the block, with INSERT OR IGNORE.  1 new, 0 a
 * duplicate, -1 a store error.
 */
static int store(struct flood_run *r, struct srt *t, const struct flood_reading *rd,
		 const char *why, int *fresh)
{
	sqlite3_stmt *ins;
	int rc;

	*fresh = strcmp(rd->at, r->top) > 0 && strcmp(rd->at, t->hi) > 0;
	if (*fresh) {
		memcpy(t->hi, rd->at, TIMEPARSE_TEXT_LEN);
		return 1;
	}
	if (flood_rows_flush(r->rows) < 0)
		return -1;
	ins = db_stmt(r->db, "INSERT OR IGNORE INTO readings(station, at, level_cm,"
		      " quality, batch_id, bad) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!ins)
		return -1;
	sqlite3_bind_text(ins, 1, t->st->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, rd->at, 19, SQLITE_STATIC);
	sqlite3_bind_double(ins, 3, rd->cm);
	if (rd->quality)
		sqlite3_bind_text(ins, 4, rd->quality, (int)rd->quality_len, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 5, r->batch);
	if (why)
		sqlite3_bind_text(ins, 6, why, -1, SQLITE_STATIC);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE)
		return -1;
	if (!sqlite3_changes(r->db->h))
		return 0;
	if (strcmp(rd->at, t->hi) > 0)
		memcpy(t->hi, rd->at, TIMEPARSE_TEXT_LEN);
	return 1;
}

/* one reading: 0, 1 a bad row (reason set), -1 a store error */
static int take(struct flood_run *r, struct flood_reading *rd, struct file_stats *fs,
		int validate_only)
{
	const struct station *st = stations_find(r->o->ss, rd->station, rd->station_len);
	struct srt *t;
	const char *why, *now = NULL;
	void *ctx[2];
	int fresh, rc;

	if (!st) {
		rd->reason = "unknown station";
		return 1;
	}
	if (validate_only)
		return 0;
	why = flood_static_bad(st, rd->cm);
	t = &r->rt[st->index];
	if ((rc = store(r, t, rd, why, &fresh)) <= 0) {
		fs->dup += rc == 0;
		return rc;
	}
	fs->inserted++;
	if (why)
		fs->bad++;
	if (rd->t <= t->start.last_at) {
		fs->late++;         /* stored, never evaluated */
	} else if (!t->deferred && rd->t <= t->s.last_at) {
		fs->deferred++;     /* out of order: the station again at the end */
		if (defer(r, t) < 0)
			return -1;
	} else if (!t->deferred) {
		ctx[0] = r;
		ctx[1] = t;
		now = flood_eval_reading(st, &r->o->rules, &t->s, rd->t, rd->cm, why, emit, ctx);
		if (t->s.failed)
			return -1;
		if (now && !why)
			fs->bad++;
	}
	if (fresh)
		return flood_rows_add(r->rows, st->id, rd->at, rd->cm, rd->quality,
				      rd->quality_len, why ? why : now);
	return now && !why ? mark_bad(r, st, rd->at, now) : 0;
}

static int ingest(struct flood_run *r, struct flood_in *in, struct file_stats *fs)
{
	struct flood_reading rd;
	const char *name = flood_in_name(in);
	time_t tick = time(NULL);
	int rc;

	while ((rc = flood_in_next(in, &rd)) != 0) {
		if (rc < 0)
			return flood_in_status(in);
		fs->read++;
		if (rc == 1)
			rc = take(r, &rd, fs, fs->rejected && !r->o->keep_going) ? 2 : 1;
		if (rc == 2 && !rd.reason)
			return -1;  /* the store failed */
		if (rc == 2) {
			if (!strcmp(rd.reason, "unknown station"))
				msg_errat(name, rd.line, "unknown station '%.*s'",
					  (int)rd.station_len, rd.station);
			else
				msg_errat(name, rd.line, "%s", rd.reason);
			fs->rejected++;
			flood_in_reject(in, r->rj, &rd);
		}
		if (r->o->progress && (fs->read & 0xffff) == 0 && time(NULL) != tick) {
			tick = time(NULL);
			progress(name, fs->read, 0);
		}
	}
	if (r->o->progress)
		progress(name, fs->read, 1);
	return 0;
}

static int savepoint(struct flood_run *r, const char *sql)
{
	return db_exec(r->db, sql) == SQLITE_OK ? 0 : -1;
}

/* after the readings: deferred stations, then every touched state */
static int finish_file(struct flood_run *r, struct file_stats *fs)
{
	if (flood_rows_flush(r->rows) < 0)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		struct srt *t = &r->rt[i];
		if (t->deferred && reevaluate(r, t) < 0)
			return -1;
		if ((t->touched || t->s.last_at != t->start.last_at || t->deferred) &&
		    state_save(r, t) < 0)
			return -1;
	}
	(void)fs;
	return 0;
}

static void file_summary(const char *name, const struct file_stats *fs, long long skipped)
{
	msg_info("%s: %lld reading%s, %lld new, %lld already stored, %lld late, "
		 "%lld implausible%s", name, fs->read, fs->read == 1 ? "" : "s",
		 fs->inserted, fs->dup, fs->late, fs->bad,
		 skipped ? " (and rows without a value skipped)" : "");
	if (fs->deferred)
		msg_verb("%s: %lld station%s out of time order, evaluated again in order",
			 name, fs->deferred, fs->deferred == 1 ? "" : "s");
}

/* A store error in a file: SQLite's message, or the block writer's. */
static int store_fail(struct flood_run *r, const char *name)
{
	const char *why = flood_rows_why(r->rows);

	if (!why)
		return db_fail(r->db, name);
	msg_err("%s: %s", name, why);
	return EXIT_SOFTWARE_ERR;
}

int flood_check_file(struct flood_run *r, const char *path)
{
	struct flood_in_opts io = r->o->in;
	struct file_stats fs;
	struct flood_in *in;
	struct batch b;
	int st = 0;

	memset(&fs, 0, sizeof fs);
	io.zone_min = r->zone;
	if (!(in = flood_in_open(path, &io, &st)))
		return st;
	if (savepoint(r, "SAVEPOINT flood_file") < 0 ||
	    batch_begin(r->db, &b, "flood-check", flood_in_name(in)) < 0) {
		st = db_fail(r->db, flood_in_name(in));
		flood_in_close(in);
		return st;
	}
	r->batch = b.id;
	flood_rows_start(r->rows, r->batch);
	for (size_t i = 0; i < r->n; i++) {
		struct srt *t = &r->rt[i];
		t->start = t->s;
		memcpy(t->start_ids, t->ids, sizeof t->ids);
		t->deferred = t->touched = 0;
	}
	st = ingest(r, in, &fs);
	if (st < 0)
		st = store_fail(r, flood_in_name(in));
	if (!st && fs.rejected && !r->o->keep_going)
		st = rejects_refuse(flood_in_name(in), fs.rejected, "stored", r->o->rejects != NULL);
	if (!st && finish_file(r, &fs) < 0)
		st = store_fail(r, flood_in_name(in));
	if (!st) {
		b.read = fs.read;
		b.inserted = fs.inserted;
		b.unchanged = fs.dup;
		b.rejected = fs.rejected;
		if (batch_end(r->db, &b) < 0 || savepoint(r, "RELEASE flood_file") < 0)
			st = db_fail(r->db, flood_in_name(in));
	}
	if (st) {
		/* nothing of this file: the store and the states as they were */
		flood_rows_discard(r->rows);
		savepoint(r, "ROLLBACK TO flood_file");
		savepoint(r, "RELEASE flood_file");
		for (size_t i = 0; i < r->n; i++) {
			r->rt[i].s = r->rt[i].start;
			memcpy(r->rt[i].ids, r->rt[i].start_ids, sizeof r->rt[i].ids);
		}
	} else {
		file_summary(flood_in_name(in), &fs, flood_in_skipped(in));
		if (fs.rejected)
			st = EXIT_DATA_ERR;  /* kept the good rows, but said no */
	}
	flood_in_close(in);
	return st;
}

/* ---- the end: the clock, the output, the hook ------------------------------ */

static int clock_check(struct flood_run *r)
{
	struct batch b;
	int any = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct flood_state *s = &r->rt[i].s;
		if (s->last_at != FLOOD_NONE && !s->stale &&
		    r->o->at - s->last_at >= (int64_t)r->rt[i].st->stale_min * 60)
			any = 1;
	}
	if (!any)
		return 0;
	if (batch_begin(r->db, &b, "flood-check", "(clock)") < 0)
		return -1;
	r->batch = b.id;
	for (size_t i = 0; i < r->n; i++) {
		struct srt *t = &r->rt[i];
		void *ctx[2] = { r, t };
		t->touched = 0;
		if (flood_eval_clock(t->st, &t->s, r->o->at, emit, ctx) < 0)
			return -1;
		if (t->touched && state_save(r, t) < 0)
			return -1;
	}
	return batch_end(r->db, &b);
}

static const char sql_events[] =
	"SELECT id, station, event, level, level_cm, at, rate_cm_per_h, message, alert_id"
	" FROM flood_events WHERE id > ?1 OR (?2 AND notified_at IS NULL) ORDER BY id";

static void num_text(sqlite3_stmt *q, int i, char buf[OUT_DOUBLE_LEN], const char **v)
{
	if (sqlite3_column_type(q, i) == SQLITE_NULL) {
		*v = NULL;
		return;
	}
	out_decimals(sqlite3_column_double(q, i), 1, buf);
	*v = buf;
}

static const char *name_of(struct flood_run *r, const char *id)
{
	const struct station *st = stations_find(r->o->ss, id, strlen(id));
	return st ? st->name : id;
}

static int print_events(struct flood_run *r, struct out *out)
{
	sqlite3_stmt *q = db_stmt(r->db, sql_events);
	char cm[32], rate[32];
	int rc;

	int rows = 0;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, r->first_event);
	sqlite3_bind_int(q, 2, r->o->hook != NULL);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *v[8];
		const char *station = (const char *)sqlite3_column_text(q, 1);
		v[0] = station;
		v[1] = name_of(r, station);
		v[2] = (const char *)sqlite3_column_text(q, 2);
		v[3] = (const char *)sqlite3_column_text(q, 3);
		num_text(q, 4, cm, &v[4]);
		v[5] = (const char *)sqlite3_column_text(q, 5);
		num_text(q, 6, rate, &v[6]);
		v[7] = (const char *)sqlite3_column_text(q, 7);
		if (!rows++)
			out_columns(out, flood_event_cols, flood_event_ncols);
		if (out_row(out, v, NULL) < 0)
			break;
	}
	sqlite3_reset(q);
	if (!rows)
		out_discard(out);  /* no transition: not even a header */
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int hook_one(struct flood_run *r, sqlite3_int64 id)
{
	static const char *const envn[] = {
		"FLOOD_EVENT_ID", "FLOOD_STATION", "FLOOD_EVENT", "FLOOD_LEVEL",
		"FLOOD_LEVEL_CM", "FLOOD_AT", "FLOOD_RATE_CM_PER_H", "FLOOD_MESSAGE",
		"FLOOD_ALERT_ID", "FLOOD_NAME",
	};
	sqlite3_stmt *q = db_stmt(r->db, "SELECT id, station, event, level, level_cm, at,"
				  " rate_cm_per_h, message, alert_id FROM flood_events WHERE id = ?1");
	struct buf env[ARRAY_SIZE(envn)];
	char *envp[ARRAY_SIZE(envn) + 1];
	char num[32];
	int ok = -1;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(envn); i++) {
		const char *v = (const char *)sqlite3_column_text(q, i < 9 ? (int)i : 1);
		env[i] = (struct buf)BUF_INIT;
		if ((i == 4 || i == 6) && v) {
			out_decimals(sqlite3_column_double(q, (int)i), 1, num);
			v = num;
		}
		if (i == 9)
			v = name_of(r, v ? v : "");
		buf_addf(&env[i], "%s=%s", envn[i], v ? v : "");
		envp[i] = env[i].s;
	}
	envp[ARRAY_SIZE(envn)] = NULL;
	ok = flood_hook_run(r->o->hook, envp, (const char *)sqlite3_column_text(q, 7));
	sqlite3_int64 alert = sqlite3_column_int64(q, 8);
	sqlite3_reset(q);
	q = db_stmt(r->db, ok == 0 ?
		    "UPDATE flood_events SET notified_at = ?2 WHERE id = ?1" :
		    "UPDATE flood_events SET hook_failures = hook_failures + 1 WHERE id = ?1"
		    " AND ?2 IS NOT NULL");
	if (q) {
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_text(q, 2, r->now, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			ok = -2;
	}
	if (ok == 0 && alert && (q = db_stmt(r->db, "UPDATE flood_alerts SET"
					     " last_notified_at = ?2 WHERE id = ?1"))) {
		sqlite3_bind_int64(q, 1, alert);
		sqlite3_bind_text(q, 2, r->now, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			ok = -2;
	}
	for (size_t i = 0; i < ARRAY_SIZE(envn); i++)
		buf_free(&env[i]);
	return ok;
}

static int run_hooks(struct flood_run *r)
{
	sqlite3_stmt *q = db_stmt(r->db, "SELECT id FROM flood_events WHERE notified_at"
				  " IS NULL ORDER BY id");
	sqlite3_int64 *ids = NULL;
	size_t n = 0, cap = 0, failed = 0;
	int rc, st = 0;

	if (!q)
		return db_fail(r->db, "flood_events");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		XGROW(ids, n + 1, cap);
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		st = db_fail(r->db, "flood_events");
	for (size_t i = 0; !st && i < n; i++) {
		rc = hook_one(r, ids[i]);
		if (rc == -2)
			st = db_fail(r->db, "flood_events");
		else if (rc < 0)
			failed++;
	}
	if (failed)
		msg_err("the hook failed for %zu transition%s: %s printed again and retried "
			"by the next run", failed, failed == 1 ? "" : "s",
			failed == 1 ? "it is" : "they are");
	free(ids);
	return st;
}

int flood_check_end(struct flood_run *r, struct out *out, int *found)
{
	int st = 0;

	*found = 0;
	if (clock_check(r) < 0)
		st = db_fail(r->db, "the clock");
	if (!st && r->o->dry_run) {
		if (print_events(r, out) < 0)
			st = db_fail(r->db, "flood_events");
		db_rollback(r->db);
	} else if (!st) {
		if (db_commit(r->db) != SQLITE_OK)
			st = db_fail(r->db, "commit");
		else if (print_events(r, out) < 0)
			st = db_fail(r->db, "flood_events");
		if (!st && r->o->hook) {
			msg_flush_stdout();
			st = run_hooks(r);
		}
	} else {
		db_rollback(r->db);
		out_discard(out);
	}
	for (size_t i = 0; i < r->n; i++)
		if (r->o->fail_on && r->rt[i].s.level >= r->o->fail_on)
			*found = 1;
	if (r->rj) {
		int rs = rejects_close(r->rj);
		if (rs && !st)
			st = rs;
	}
	flood_rows_free(r->rows);
	free(r->top);
	buf_free(&r->msg);
	free(r->rt);
	free(r);
	return st;
}
