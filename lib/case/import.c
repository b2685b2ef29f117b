#include "common.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "batch.h"
#include "buf.h"
#include "db.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "rejects.h"
#include "spool.h"
#include "timeparse.h"
#include "case/case.h"
#include "case/dups.h"
#include "case/firstload.h"
#include "case/import.h"
#include "case/normalise.h"
#include "case/taxonomy.h"

const size_t import_nfields = NFIELDS;

/* Rows go from the reader thread to the writer in blocks. */
#define BLOCK_ROWS 1024
#define BLOCK_BYTES (1u << 20)
#define NBLOCKS 4

struct block {
	struct crow row[BLOCK_ROWS];
	size_t n;
	struct buf data;
	int end;
	int status;
	long long bytes, size;    /* of the file, read when the block was full */
};

struct file_stats {
	long long order_warned;
	int64_t tmin, tmax;
	int any_xy;
};

struct import_run {
	struct db *db;
	const struct import_opts *o;
	struct timeparse_opts tpo;
	struct normaliser norm;
	int64_t now;
	char now_text[TIMEPARSE_TEXT_LEN];
	struct spool *records;    /* printed records wait here for the commit */
	int landed, failed_files;
	/* per file */
	struct rec_opts ro;
	struct rec_src *src;
	char *name;               /* the file's name, for messages after it closed */
	int first_load;           /* the summary waits until the store is in place */
	struct batch batch;
	long long behind;         /* rows left behind the store */
	int64_t next_event;       /* the id of the next event this run records */
	sqlite3_stmt *update[2];  /* the file's update: full, and behind */
	struct file_stats fs;
	int bulk;                 /* loading into empty tables */
	/* likely duplicates found as the rows come (see early_dups_begin()) */
	struct dups *early;       /* the reader thread's, while it runs */
	int early_ordered;        /* so far every row was after the store's */
	int64_t early_last;       /* and after the row before it */
	int all_inserted;         /* every row written was a new case */
	unsigned char months[12 * 10000 / 8]; /* a bit per month cases were
					 * written of, "0000-01" ... "9999-12" */
	int months_all;
	pthread_t reader;
	int reading;              /* the reader thread runs */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct block *blocks[NBLOCKS];
	int full[NBLOCKS];        /* block i holds rows for the writer */
	size_t prod_i, cons_i;
	_Atomic int cancel;       /* set by the writer, read by the reader */
	double waited;            /* seconds the writer waited for the reader */
	double reader_cpu;        /* seconds of CPU the reader thread took */
	struct timespec t0;       /* the file's start, and the writer's CPU then */
	double cpu0;
};

static double elapsed(struct timespec t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

static double thread_cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* -vv: when a step of the file's load ended, and the CPU time so far (not
 * under one -v: its times differ from run to run). */
static void step_done(const struct import_run *r, const char *what)
{
	if (msg_verbose > 1)
		msg_verb("%s: %s at %.2f s (CPU: writer %.2f s, reader %.2f s)", r->name, what,
		 elapsed(r->t0), thread_cpu() - r->cpu0, r->reader_cpu);
}

/* ---- the reader thread ------------------------------------------------- */

static void raw_of_src(void *ctx, struct buf *out)
{
	rec_raw_csv(ctx, out);
}

/* The class likely duplicates are of: as the sweep reads it from a row. */
static const char *dup_class(const struct block *b, const struct crow *row, size_t *n)
{
	const char *s = crow_col(row, &b->data, T_CLASS_CODE, n);
	if (!s)
		s = crow_col(row, &b->data, T_SMALL_CLASS, n);
	if (!s)
		s = crow_col(row, &b->data, T_BIG_CLASS, n);
	return s;
}

/* The case row is a likely duplicate of, by case/dups.h's rule, as the
 * rows come: the answer holds if every row is a new case and comes in time
 * order after the store's cases (early_dups_done() says). */
static void early_dup(struct import_run *r, struct block *b, struct crow *row)
{
	size_t cn, idn;
	const char *cls, *id, *of;

	if (row->t_reported < r->early_last) {
		r->early_ordered = 0;
		return;
	}
	r->early_last = row->t_reported;
	if (!row->has_xy || !(cls = dup_class(b, row, &cn)))
		return;
	id = crow_col(row, &b->data, T_ID, &idn);
	of = dups_add_n(r->early, cls, cn, row->lat, row->lon, row->t_reported, id, idn);
	if (of) {
		row->off[T_DUPLICATE_OF] = (uint32_t)b->data.len;
		row->len[T_DUPLICATE_OF] = (uint32_t)strlen(of);
		buf_add(&b->data, of, strlen(of));
	}
}

/* Fill block b with the next rows; sets b->end at the end of the input. */
static void fill_block(struct import_run *r, struct block *b)
{
	struct rec in;
	int rc;

	b->n = 0;
	b->end = 0;
	b->status = 0;
	buf_reset(&b->data);
	while (b->n < BLOCK_ROWS && b->data.len < BLOCK_BYTES) {
		if (r->cancel) {
			b->end = 1;
			return;
		}
		rc = rec_next(r->src, &in);
		if (rc <= 0) {
			b->end = 1;
			b->status = rc < 0 ? rec_status(r->src) : 0;
			return;
		}
		normalise_record(&r->norm, &in, rc, &b->row[b->n], &b->data, raw_of_src, r->src);
		if (r->early && r->early_ordered && !b->row[b->n].bad)
			early_dup(r, b, &b->row[b->n]);
		b->n++;
	}
	rec_progress(r->src, &b->bytes, &b->size);
}

static void *reader_main(void *arg)
{
	struct import_run *r = arg;
	struct block *b;

	do {
		pthread_mutex_lock(&r->mu);
		while (r->full[r->prod_i] && !r->cancel)
			pthread_cond_wait(&r->cv, &r->mu);
		b = r->blocks[r->prod_i];
		pthread_mutex_unlock(&r->mu);
		fill_block(r, b);
		pthread_mutex_lock(&r->mu);
		r->full[r->prod_i] = 1;
		r->prod_i = (r->prod_i + 1) % NBLOCKS;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
	} while (!b->end);
	r->reader_cpu = thread_cpu();
	return NULL;
}

/* The next block of rows from the reader. */
static struct block *take_block(struct import_run *r)
{
	struct timespec w0;
	struct block *b;

	clock_gettime(CLOCK_MONOTONIC, &w0);
	pthread_mutex_lock(&r->mu);
	while (!r->full[r->cons_i])
		pthread_cond_wait(&r->cv, &r->mu);
	b = r->blocks[r->cons_i];
	pthread_mutex_unlock(&r->mu);
	r->waited += elapsed(w0);
	return b;
}

/* Hand the block taken back to the reader; 1 when it was the last. */
static int give_back(struct import_run *r)
{
	int end;

	pthread_mutex_lock(&r->mu);
	end = r->blocks[r->cons_i]->end;
	r->full[r->cons_i] = 0;
	r->cons_i = (r->cons_i + 1) % NBLOCKS;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return end;
}

static int reader_start(struct import_run *r)
{
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	for (int i = 0; i < NBLOCKS; i++) {
		r->blocks[i] = xcalloc(1, sizeof *r->blocks[i]);
		r->full[i] = 0;
	}
	r->prod_i = r->cons_i = 0;
	r->cancel = 0;
	r->waited = 0;
	if (pthread_create(&r->reader, NULL, reader_main, r) != 0) {
		msg_err("cannot start a thread: %s", strerror(errno));
		return EXIT_SOFTWARE_ERR;
	}
	r->reading = 1;
	return 0;
}

/* Stop the reader (at once, or after the last block was taken) and free
 * the blocks. */
static void reader_stop(struct import_run *r)
{
	if (r->reading) {
		r->cancel = 1;
		pthread_mutex_lock(&r->mu);
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		do
			take_block(r);
		while (!give_back(r));
		pthread_join(r->reader, NULL);
		r->reading = 0;
	}
	for (int i = 0; i < NBLOCKS; i++) {
		if (r->blocks[i]) {
			buf_free(&r->blocks[i]->data);
			free(r->blocks[i]);
			r->blocks[i] = NULL;
		}
	}
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
}

/* ---- writing (the store's thread) -------------------------------------- */

static const char sql_insert[] =
	"INSERT INTO cases(id, source, kind, class_code, big_class, small_class,"
	" description, address, district, street, community, grid, object_id,"
	" reporter, reported_at, registered_at, dispatched_at, handled_at,"
	" closed_at, due_at, state, unit, ticket_id, lon, lat, self_disposed,"
	" reworks, postponements, batch_id, updated_at, ev_first, ev_steps, ev_batch,"
	" duplicate_of)"
	" VALUES (?1,?2,coalesce(?3,'event'),?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
	"?16,?17,?18,?19,?20,coalesce(?21,'registered'),?22,?23,?24,?25,coalesce(?26,0),"
	"coalesce(?27,0),coalesce(?28,0),?29,?30,?31,?32,?29,?33)";

/*
 * An update sets only what the file carries (DESIGN §7.1, case-import(1)):
 * a column the file does not have is left as the store has it, and an empty
 * cell in a column it has clears the field, unless --keep-empty.  JSON says
 * per record what it carries: a key that is absent or null leaves the field
 * as it is.  A row behind the store (see behind()) leaves the workflow's
 * columns too.  The statement is made per file from this fixed table (no
 * value is ever pasted: only these names), with ?N as bind_row() binds.
 */
#define FB(f) (1ull << (f))
#define CLASS_FIELDS (FB(F_KIND) | FB(F_CLASS_CODE) | FB(F_SMALL_CLASS) | \
		      FB(F_BIG_CLASS) | FB(F_CATEGORY))

static const struct update_col {
	const char *name;
	int param;
	uint64_t fields;          /* the input fields that carry it */
	int workflow;             /* a step's time, the state, unit, due ... */
	int not_null;             /* never cleared: no value keeps it */
} update_cols[] = {
	{ "source", 2, FB(F_SOURCE), 0, 0 },
	{ "kind", 3, CLASS_FIELDS, 0, 1 },
	{ "class_code", 4, CLASS_FIELDS, 0, 0 },
	{ "big_class", 5, CLASS_FIELDS, 0, 0 },
	{ "small_class", 6, CLASS_FIELDS, 0, 0 },
	{ "description", 7, FB(F_DESCRIPTION), 0, 0 },
	{ "address", 8, FB(F_ADDRESS), 0, 0 },
	{ "district", 9, FB(F_DISTRICT), 0, 0 },
	{ "street", 10, FB(F_STREET), 0, 0 },
	{ "community", 11, FB(F_COMMUNITY), 0, 0 },
	{ "grid", 12, FB(F_GRID), 0, 0 },
	{ "object_id", 13, FB(F_OBJECT_ID), 0, 0 },
	{ "reporter", 14, FB(F_REPORTER), 0, 0 },
	{ "reported_at", 15, FB(F_REPORTED_AT), 0, 1 },
	{ "registered_at", 16, FB(F_REGISTERED_AT), 1, 0 },
	{ "dispatched_at", 17, FB(F_DISPATCHED_AT), 1, 0 },
	{ "handled_at", 18, FB(F_HANDLED_AT), 1, 0 },
	{ "closed_at", 19, FB(F_CLOSED_AT), 1, 0 },
	{ "due_at", 20, FB(F_DUE_AT), 1, 0 },
	{ "state", 21, FB(F_STATE) | FB(F_CLOSED_AT), 1, 1 },
	{ "unit", 22, FB(F_UNIT), 1, 0 },
	{ "ticket_id", 23, FB(F_TICKET_ID), 0, 0 },
	{ "lon", 24, FB(F_LON) | FB(F_LAT), 0, 0 },
	{ "lat", 25, FB(F_LON) | FB(F_LAT), 0, 0 },
	{ "self_disposed", 26, FB(F_SELF_DISPOSED) | FB(F_STATE), 1, 1 },
	{ "reworks", 27, FB(F_REWORKS), 1, 1 },
	{ "postponements", 28, FB(F_POSTPONEMENTS), 1, 1 },
};

/* The input fields the file carries: a CSV or TSV file's header says; a
 * JSON file may carry any, record by record. */
static uint64_t fields_carried(const struct import_run *r)
{
	uint64_t have = 0;

	if (rec_format(r->src) != REC_CSV && rec_format(r->src) != REC_TSV)
		return ~0ull;
	for (int f = 0; f < NFIELDS; f++)
		if (rec_has(r->src, (size_t)f))
			have |= FB(f);
	if (r->o->source)
		have |= FB(F_SOURCE);
	return have;
}

/* The UPDATE of a file's rows; behind: without the workflow's columns. */
static void update_sql(const struct import_run *r, int behind, struct buf *sql)
{
	uint64_t have = fields_carried(r);
	int json = have == ~0ull;
	struct buf cond = BUF_INIT;

	buf_adds(sql, "UPDATE cases SET ");
	for (size_t i = 0; i < ARRAY_SIZE(update_cols); i++) {
		const struct update_col *c = &update_cols[i];
		if (!(have & c->fields) || (behind && c->workflow))
			continue;
		if (json || r->o->keep_empty || c->not_null) {
			buf_addf(sql, "%s = coalesce(?%d, %s), ", c->name, c->param, c->name);
			buf_addf(&cond, " AND (?%d IS NULL OR %s IS ?%d)", c->param, c->name, c->param);
		} else {
			buf_addf(sql, "%s = ?%d, ", c->name, c->param);
			buf_addf(&cond, " AND %s IS ?%d", c->name, c->param);
		}
	}
	buf_addf(sql, "batch_id = ?29, updated_at = ?30 WHERE id = ?1 AND NOT (1%s)",
		 buf_str(&cond));
	buf_free(&cond);
}

/* Prepare the file's two updates; 0 or -1. */
static int prepare_updates(struct import_run *r)
{
	for (int behind = 0; behind < 2; behind++) {
		struct buf sql = BUF_INIT;
		int rc;
		update_sql(r, behind, &sql);
		rc = sqlite3_prepare_v2(r->db->h, sql.s, -1, &r->update[behind], NULL);
		buf_free(&sql);
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

static void finalize_updates(struct import_run *r)
{
	for (int i = 0; i < 2; i++) {
		sqlite3_finalize(r->update[i]);
		r->update[i] = NULL;
	}
}

static const char sql_old[] =
	"SELECT reported_at, registered_at, dispatched_at, handled_at, closed_at, state,"
	" " CASE_LAST_EVENT ", category"
	" FROM cases WHERE id = ?1";

/* The import's own events go to the log with the ids it gives them (see
 * next_event_id()); the case_events view is what others insert into. */
static const char sql_event[] =
	"INSERT INTO case_event_log(id, case_id, step, at, unit, batch_id)"
	" VALUES (?6, ?1, ?2, ?3, ?4, ?5)";

static void bind_text(sqlite3_stmt *st, int i, const struct block *b,
		      const struct crow *row, int c)
{
	size_t n;
	const char *s = crow_col(row, &b->data, c, &n);
	if (s)
		sqlite3_bind_text(st, i, s, (int)n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_row(struct import_run *r, sqlite3_stmt *st, const struct block *b,
		     const struct crow *row)
{
	for (int c = T_ID; c <= T_TICKET_ID; c++)
		bind_text(st, c + 1, b, row, c);
	if (row->has_xy) {
		sqlite3_bind_double(st, 24, row->lon);
		sqlite3_bind_double(st, 25, row->lat);
	} else {
		sqlite3_bind_null(st, 24);
		sqlite3_bind_null(st, 25);
	}
	if (row->self_disposed != CROW_ABSENT)
		sqlite3_bind_int(st, 26, row->self_disposed);
	else
		sqlite3_bind_null(st, 26);
	if (row->reworks != CROW_ABSENT)
		sqlite3_bind_int(st, 27, row->reworks);
	else
		sqlite3_bind_null(st, 27);
	if (row->postponements != CROW_ABSENT)
		sqlite3_bind_int(st, 28, row->postponements);
	else
		sqlite3_bind_null(st, 28);
	sqlite3_bind_int64(st, 29, r->batch.id);
	sqlite3_bind_text(st, 30, r->now_text, -1, SQLITE_STATIC);
}

/* The step each of the five times of a case records. */
static const enum case_step time_steps[5] = {
	CASE_STEP_REPORT, CASE_STEP_REGISTER, CASE_STEP_DISPATCH, CASE_STEP_HANDLE,
	CASE_STEP_CLOSE,
};

/* What the store had of a case before this row. */
struct old_times {
	char t[5][TIMEPARSE_TEXT_LEN];
	int had[5];
	int state;                 /* enum case_state, or -1 */
	char last_event[TIMEPARSE_TEXT_LEN];
	char category[256];
	int has_category;
};

/* The case as the store has it after a row: what is printed for the row. */
struct landed {
	const char *state;
	const char *category;
	size_t category_len;
	char category_buf[256];
};

/* Events for the steps whose time is new. */
static int add_events(struct import_run *r, const struct block *b,
		      const struct crow *row, const struct old_times *old)
{
	for (int i = 0; i < 5; i++) {
		size_t n;
		const char *t = crow_col(row, &b->data, crow_time_cols[i], &n);
		enum case_step step = time_steps[i];
		sqlite3_stmt *st;
		if (!t)
			continue;
		if (old && old->had[i] && strlen(old->t[i]) == n && memcmp(old->t[i], t, n) == 0)
			continue;
		if (step == CASE_STEP_CLOSE && row->self_disposed > 0)
			step = CASE_STEP_SELF_DISPOSE;
		if (!(st = db_stmt(r->db, sql_event)))
			return -1;
		bind_text(st, 1, b, row, T_ID);
		sqlite3_bind_text(st, 2, case_steps[step].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, t, (int)n, SQLITE_STATIC);
		if (step == CASE_STEP_DISPATCH)
			bind_text(st, 4, b, row, T_UNIT);
		sqlite3_bind_int64(st, 5, r->batch.id);
		sqlite3_bind_int64(st, 6, r->next_event++);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/* The steps a new case's times record, as the bits of cases.ev_steps (1
 * report ... 16 close), and how many. */
static unsigned imported_steps(const struct crow *row, int *n)
{
	unsigned bits = 0;

	*n = 0;
	for (int i = 0; i < 5; i++)
		if (row->len[crow_time_cols[i]] != CROW_NONE) {
			bits |= 1u << i;
			++*n;
		}
	return bits;
}

enum upsert_result { UP_INSERTED, UP_UPDATED, UP_UNCHANGED, UP_EXISTS, UP_ERROR };

static int read_old_times(struct import_run *r, const struct block *b,
			  const struct crow *row, struct old_times *old)
{
	sqlite3_stmt *st = db_stmt(r->db, sql_old);
	const unsigned char *s;

	if (!st)
		return -1;
	bind_text(st, 1, b, row, T_ID);
	if (sqlite3_step(st) != SQLITE_ROW)
		return -1;
	for (int i = 0; i < 5; i++) {
		const unsigned char *t = sqlite3_column_text(st, i);
		old->had[i] = t != NULL;
		snprintf(old->t[i], TIMEPARSE_TEXT_LEN, "%s", t ? (const char *)t : "");
	}
	s = sqlite3_column_text(st, 5);
	old->state = s ? case_state_parse((const char *)s, strlen((const char *)s)) : -1;
	s = sqlite3_column_text(st, 6);
	snprintf(old->last_event, TIMEPARSE_TEXT_LEN, "%s", s ? (const char *)s : "");
	s = sqlite3_column_text(st, 7);
	old->has_category = s != NULL;
	snprintf(old->category, sizeof old->category, "%s", s ? (const char *)s : "");
	sqlite3_reset(st);
	return 0;
}

/* A case of month "YYYY-MM" was written: its month facts must go. */
static void month_touched(struct import_run *r, const char *at, size_t n)
{
	unsigned y = 0, m = 0;

	for (size_t i = 0; i < 4 && i < n; i++)
		y = y * 10 + (unsigned)(at[i] - '0');
	if (n >= 7)
		m = (unsigned)(at[5] - '0') * 10 + (unsigned)(at[6] - '0');
	if (n < 7 || y > 9999 || m < 1 || m > 12) {
		r->months_all = 1; /* not a time the store writes: drop them all */
		return;
	}
	m = y * 12 + m - 1;
	r->months[m / 8] |= (unsigned char)(1u << (m % 8));
}

/* How far along the workflow a state is: a row never takes a case back. */
static int progress_of(int state)
{
	static const int rank[CASE_NSTATES] = {
		[CASE_REPORTED] = 0, [CASE_REGISTERED] = 1, [CASE_PARKED] = 1,
		[CASE_DISPATCHED] = 2, [CASE_HANDLING] = 3, [CASE_HANDLED] = 4,
		[CASE_CLOSED] = 5, [CASE_VOID] = 5,
	};
	return state >= 0 && state < CASE_NSTATES ? rank[state] : 0;
}

/*
 * Is the row behind the store: does it say the case is at an earlier step
 * than the store does, or at the same step but with times that the store's
 * events have gone past (an export taken before case-route dispatched, say)?
 * Its workflow then stays as the store has it.
 */
static int behind(const struct block *b, const struct crow *row, const struct old_times *old)
{
	size_t n, tn;
	const char *s = crow_col(row, &b->data, T_STATE, &n);
	char newest[TIMEPARSE_TEXT_LEN] = "";
	int st, ahead, back;

	if (!s || old->state < 0)
		return 0; /* the row says nothing of the workflow */
	st = case_state_parse(s, n);
	ahead = progress_of(st) > progress_of(old->state);
	back = progress_of(st) < progress_of(old->state);
	if (ahead || back)
		return back;
	for (int i = 0; i < 5; i++) {
		const char *t = crow_col(row, &b->data, crow_time_cols[i], &tn);
		if (t && tn < TIMEPARSE_TEXT_LEN && (tn > strlen(newest) || memcmp(t, newest, tn) > 0)) {
			memcpy(newest, t, tn);
			newest[tn] = '\0';
		}
	}
	return strcmp(newest, old->last_event) < 0;
}

/* A case already in the store: --on-conflict says what to do. */
static enum upsert_result update(struct import_run *r, const struct block *b,
				 const struct crow *row, struct landed *ld)
{
	struct old_times old;
	sqlite3_stmt *st;
	const char *s;
	size_t n;
	int late, rc;

	r->all_inserted = 0;
	if (r->o->on_conflict == IMPORT_CONFLICT_FAIL)
		return UP_EXISTS;
	if (r->o->on_conflict == IMPORT_CONFLICT_SKIP)
		return UP_UNCHANGED;
	if (read_old_times(r, b, row, &old) < 0)
		return UP_ERROR;
	late = behind(b, row, &old);
	st = r->update[late];
	r->behind += late;
	if ((late || row->len[T_STATE] == CROW_NONE) && old.state >= 0)
		ld->state = case_states[old.state].name;
	if (row->len[T_KIND] == CROW_NONE) {
		snprintf(ld->category_buf, sizeof ld->category_buf, "%s", old.category);
		ld->category = old.has_category ? ld->category_buf : NULL;
		ld->category_len = strlen(ld->category_buf);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	bind_row(r, st, b, row);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return UP_ERROR;
	if (sqlite3_changes(r->db->h) == 0)
		return UP_UNCHANGED;
	month_touched(r, old.t[0], strlen(old.t[0]));
	if ((s = crow_col(row, &b->data, T_REPORTED_AT, &n)))
		month_touched(r, s, n);
	if (late)
		return UP_UPDATED;
	return add_events(r, b, row, &old) < 0 ? UP_ERROR : UP_UPDATED;
}

static enum upsert_result upsert(struct import_run *r, const struct block *b,
				 const struct crow *row, struct landed *ld)
{
	sqlite3_stmt *st = db_stmt(r->db, sql_insert);
	int rc, nsteps;
	unsigned steps;
	size_t n;

	ld->state = crow_col(row, &b->data, T_STATE, &n) ? NULL : "registered";
	ld->category = crow_col(row, &b->data, T_CATEGORY, &ld->category_len);

	if (!st)
		return UP_ERROR;
	bind_row(r, st, b, row);
	steps = imported_steps(row, &nsteps);
	if (steps)
		sqlite3_bind_int64(st, 31, r->next_event);
	sqlite3_bind_int(st, 32, (int)steps);
	bind_text(st, 33, b, row, T_DUPLICATE_OF);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		const char *at = crow_col(row, &b->data, T_REPORTED_AT, &n);
		r->next_event += nsteps; /* the row records its steps itself */
		month_touched(r, at, n);
		return UP_INSERTED;
	}
	if (rc != SQLITE_CONSTRAINT_PRIMARYKEY && rc != SQLITE_CONSTRAINT_UNIQUE &&
	    sqlite3_extended_errcode(r->db->h) != SQLITE_CONSTRAINT_PRIMARYKEY)
		return UP_ERROR;
	return update(r, b, row, ld);
}

static void reject(struct import_run *r, const struct block *b, const struct crow *row,
		   const char *reason, size_t n)
{
	struct buf hdr = BUF_INIT;
	size_t rawn;
	const char *raw = crow_col(row, &b->data, T_RAW, &rawn);
	char *why = xstrndup(reason, n);

	msg_errat(r->name, row->line, "%s", why);
	r->batch.rejected++;
	if (r->o->rejects) {
		rec_header_csv(r->src, &hdr);
		rejects_add(r->o->rejects, buf_str(&hdr), raw, rawn, r->name, row->line, why);
		buf_free(&hdr);
	}
	free(why);
}

/*
 * What a load does not pay per row: the triggers that drop a month's facts
 * on every insert (their work is done once at the end, see months_touched;
 * into empty tables, the facts are emptied once).  An insert that fires a trigger also keeps a statement journal: a
 * copy of every page it changes, 16 KiB a page.  Dropped inside the file's
 * transaction, so nobody else ever sees the store without them.
 */
static int set_load_ddl(struct import_run *r, int create)
{
	const char *const *ddl = case_load_ddl();
	if (!create && r->bulk && db_exec(r->db, "DELETE FROM stat_months") != SQLITE_OK)
		return -1;
	for (; *ddl; ddl += 2)
		if (db_exec(r->db, ddl[create]) != SQLITE_OK)
			return -1;
	return 0;
}

/* Drop the facts of the months this file wrote cases of. */
static int months_touched(struct import_run *r)
{
	sqlite3_stmt *st;
	char month[16];
	int rc = SQLITE_DONE;

	if (r->bulk)
		return 0;
	if (r->months_all)
		return db_exec(r->db, "DELETE FROM stat_months") == SQLITE_OK ? 0 : -1;
	if (sqlite3_prepare_v2(r->db->h, "DELETE FROM stat_months WHERE month = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	for (unsigned m = 0; m < 12 * 10000 && rc == SQLITE_DONE; m++) {
		if (!(r->months[m / 8] >> (m % 8) & 1))
			continue;
		snprintf(month, sizeof month, "%04u-%02u", m / 12, m % 12 + 1);
		sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	memset(r->months, 0, sizeof r->months);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int table_empty(struct import_run *r, int *empty)
{
	long long v = 0;

	if (db_query_int(r->db, "SELECT NOT EXISTS (SELECT 1 FROM cases)"
			 " AND NOT EXISTS (SELECT 1 FROM case_event_log)", &v) != SQLITE_OK)
		return -1;
	*empty = v != 0;
	return 0;
}

/*
 * Event ids.  The store's next event id is past both the log's AUTOINCREMENT
 * counter and its largest id; a run takes its ids from there, and moves the
 * counter past them before it commits, so that the next event any tool
 * appends (through the case_events view) comes after them.
 */
static int next_event_id(struct import_run *r)
{
	long long v;

	if (db_query_int(r->db, "SELECT max(coalesce((SELECT max(seq) FROM sqlite_sequence"
			 " WHERE name = 'case_event_log'), 0),"
			 " coalesce((SELECT max(id) FROM case_event_log), 0)) + 1", &v) != SQLITE_OK)
		return -1;
	r->next_event = v;
	return 0;
}

/* Run sql with ?1 bound to v; 0 or -1. */
static int exec_with(struct import_run *r, const char *sql, int64_t v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(r->db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, v);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int event_ids_taken(struct import_run *r)
{
	if (exec_with(r, "UPDATE sqlite_sequence SET seq = ?1"
		      " WHERE name = 'case_event_log' AND seq < ?1", r->next_event - 1) < 0)
		return -1;
	if (sqlite3_changes(r->db->h) || r->next_event == 1)
		return 0;
	return exec_with(r, "INSERT INTO sqlite_sequence(name, seq) SELECT 'case_event_log', ?1"
			 " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence"
			 " WHERE name = 'case_event_log')", r->next_event - 1);
}

/* ---- duplicates ------------------------------------------------------- */

/*
 * Feed the store's cases reported from lo to hi (times in the store's text)
 * to dd in the order case/dups.h wants; with upd, set duplicate_of on those
 * of this batch to what dd says.  0 or -1.
 */
static int dup_feed(struct import_run *r, struct dups *dd, const char *lo,
		    const char *hi, sqlite3_stmt *upd)
{
	/* the store's own times: never in the input's --date-format */
	struct timeparse_opts stored = { NULL, r->tpo.zone_min };
	sqlite3_stmt *sel = NULL;
	int rc = SQLITE_OK;

	if (sqlite3_prepare_v2(r->db->h,
		"SELECT id, coalesce(class_code, small_class, big_class), lat, lon,"
		" reported_at, batch_id = ?3, duplicate_of FROM cases"
		" WHERE reported_at BETWEEN ?1 AND ?2 AND lat IS NOT NULL"
		" AND lon IS NOT NULL ORDER BY reported_at, rowid", -1, &sel, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(sel, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(sel, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int64(sel, 3, r->batch.id);
	while (rc != SQLITE_ERROR && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(sel, 0);
		const char *cls = (const char *)sqlite3_column_text(sel, 1);
		const char *at = (const char *)sqlite3_column_text(sel, 4);
		const char *old = (const char *)sqlite3_column_text(sel, 6);
		const char *of;
		int64_t t;

		if (!cls || !at || timeparse_parse(at, strlen(at), &stored, &t, NULL) < 0)
			continue;
		of = dups_add(dd, cls, sqlite3_column_double(sel, 2),
			      sqlite3_column_double(sel, 3), t, id);
		if (!upd || !sqlite3_column_int(sel, 5) || (!of && !old) ||
		    (of && old && strcmp(of, old) == 0))
			continue; /* not of this batch, or already so */
		sqlite3_bind_text(upd, 1, id, -1, SQLITE_STATIC);
		if (of)
			sqlite3_bind_text(upd, 2, of, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(upd, 2);
		if (sqlite3_step(upd) != SQLITE_DONE)
			rc = SQLITE_ERROR;
		sqlite3_reset(upd);
	}
	sqlite3_finalize(sel);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int dups_wanted(const struct import_run *r)
{
	return r->o->dup_radius_m > 0 && r->o->dup_window_s > 0;
}

/*
 * Duplicates found as the rows come, instead of a sweep over the file's
 * times after the load: the reader thread gives each row to r->early in
 * file order, after the store's cases of the window before the newest
 * one.  That is the sweep's order, and its answer, when every row is a new
 * case and the rows come in time order, none before the store's newest: a
 * year's export into a new store, or the next month's into the year.  Any
 * other load is swept as before (early_dups_done() says which).  0 or -1.
 */
static int early_dups_begin(struct import_run *r)
{
	char lo[TIMEPARSE_TEXT_LEN];
	sqlite3_stmt *st;
	const char *at;
	int64_t t = INT64_MIN;
	int rc;

	r->early = NULL;
	r->all_inserted = 1;
	if (!dups_wanted(r))
		return 0;
	if (sqlite3_prepare_v2(r->db->h, "SELECT max(reported_at) FROM cases", -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	at = (const char *)sqlite3_column_text(st, 0);
	if (rc == SQLITE_ROW && at && timeparse_parse(at, strlen(at), &r->tpo, &t, NULL) < 0)
		rc = SQLITE_DONE; /* a time we cannot read: sweep */
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	r->early = dups_new(r->o->dup_radius_m, r->o->dup_window_s);
	r->early_ordered = 1;
	r->early_last = t;
	if (t == INT64_MIN)
		return 0;
	timeparse_format(t - r->o->dup_window_s, r->tpo.zone_min, lo);
	return dup_feed(r, r->early, lo, "9999", NULL);
}

/* 1 when the rows' duplicates were found as they came (the reader has
 * stopped); frees what found them. */
static int early_dups_done(struct import_run *r)
{
	int done = r->early && r->early_ordered && r->all_inserted;

	dups_free(r->early);
	r->early = NULL;
	return done;
}

/* Set duplicate_of on the cases of this batch by case/dups.h's rule, over
 * every case reported within the window of the file's times. */
static int dup_pass(struct import_run *r)
{
	char lo[TIMEPARSE_TEXT_LEN], hi[TIMEPARSE_TEXT_LEN];
	sqlite3_stmt *upd = NULL;
	struct dups *dd;
	int rc;

	if (early_dups_done(r)) {
		step_done(r, "duplicates found as the rows came");
		return 0;
	}
	if (!dups_wanted(r) || !r->fs.any_xy)
		return 0;
	timeparse_format(r->fs.tmin - r->o->dup_window_s, r->tpo.zone_min, lo);
	timeparse_format(r->fs.tmax + r->o->dup_window_s, r->tpo.zone_min, hi);
	if (sqlite3_prepare_v2(r->db->h, "UPDATE cases SET duplicate_of = ?2 WHERE id = ?1",
			       -1, &upd, NULL) != SQLITE_OK)
		return -1;
	dd = dups_new(r->o->dup_radius_m, r->o->dup_window_s);
	rc = dup_feed(r, dd, lo, hi, upd);
	dups_free(dd);
	sqlite3_finalize(upd);
	step_done(r, "duplicates swept");
	return rc;
}

/* ---- the run ------------------------------------------------------------ */

static const struct out_col record_cols[] = {
	{ "id", OUT_STR, "编号" }, { "state", OUT_STR, "状态" },
	{ "category", OUT_STR, "类别" }, { "reported_at", OUT_TIME, "上报时间" },
};

struct import_run *import_begin(struct db *d, const struct import_opts *o,
				int *status)
{
	struct import_run *r = xcalloc(1, sizeof *r);

	*status = 0;
	r->db = d;
	r->o = o;
	r->tpo.date_format = o->date_format;
	r->tpo.zone_min = db_zone_min(d);
	r->now = (int64_t)time(NULL);
	timeparse_format(r->now, r->tpo.zone_min, r->now_text);
	r->norm = (struct normaliser){ o->tax, &r->tpo, NULL, r->now, o->source };
	r->records = spool_new(ARRAY_SIZE(record_cols), status);
	if (!r->records) {
		free(r);
		return NULL;
	}
	return r;
}

/*
 * The progress line on a terminal: the bytes read of the file's size with
 * a percentage (bytes alone from a pipe) and the rows, then the phase after
 * the reading; cleared before the summary.
 */
static void progress(const char *name, const struct block *b, long long rows)
{
	const double mb = 1024.0 * 1024.0;

	if (b->size > 0)
		msg_progress("%s: %.1f of %.1f MB (%d%%), %lld rows", name,
			     (double)b->bytes / mb, (double)b->size / mb,
			     (int)(100.0 * (double)b->bytes / (double)b->size), rows);
	else
		msg_progress("%s: %.1f MB, %lld rows", name, (double)b->bytes / mb, rows);
}

static void progress_phase(const struct import_run *r, const char *phase)
{
	if (!r->o->progress)
		return;
	if (phase)
		msg_progress("%s: %lld rows read; %s ...", r->name, r->batch.read, phase);
	else
		msg_progress(NULL);
}

/* Open the file (rec checks its header for the required columns); 0 or an
 * exit code. */
static int open_source(struct import_run *r, const char *path)
{
	int st = 0;

	/* the source keeps a pointer to its options: they live in the run */
	r->ro = (struct rec_opts){ r->o->input_format, r->o->encoding, r->o->maps, r->o->nmaps,
				   r->o->date_format,
				   REC_O_MAP_HINT | (r->o->dry_run && msg_verbose ? REC_O_LOG_MAPPING : 0) };
	r->src = rec_open(path, import_fields, NFIELDS, &r->ro, &st);
	if (!r->src)
		return st;
	free(r->name);
	r->name = xstrdup(rec_name(r->src));
	r->norm.src = r->src;
	return st;
}

/* The file's transaction and batches row; the triggers dropped for the
 * load (set_load_ddl).  0, or -1 (a store error).  The page
 * cache stays SQLite's 2 MiB: a load appends, and 16 MiB only held more
 * dirty pages (no faster, 25 MB more memory). */
static int begin_file(struct import_run *r)
{
	r->behind = 0;
	r->months_all = 0;
	/* the rows' batch_id is the batch begun here: no foreign key to check
	 * (a check per row, and a statement journal) */
	if (db_exec(r->db, "PRAGMA foreign_keys = OFF") != SQLITE_OK ||
	    db_begin(r->db) != SQLITE_OK || batch_begin(r->db, &r->batch, "case-import", r->name) < 0 ||
	    table_empty(r, &r->bulk) < 0 || next_event_id(r) < 0 || early_dups_begin(r) < 0 ||
	    set_load_ddl(r, 0) < 0 || prepare_updates(r) < 0)
		return -1;
	return 0;
}

/* Keep the record of a row that landed, for the output: the case as the
 * store now has it. */
static void keep_record(struct import_run *r, const struct block *b, const struct crow *row,
			const struct landed *ld)
{
	const char *v[4];
	size_t len[4];

	v[0] = crow_col(row, &b->data, T_ID, &len[0]);
	v[1] = crow_col(row, &b->data, T_STATE, &len[1]);
	if (ld->state) {
		v[1] = ld->state;
		len[1] = strlen(ld->state);
	}
	v[2] = ld->category;
	len[2] = ld->category_len;
	v[3] = crow_col(row, &b->data, T_REPORTED_AT, &len[3]);
	spool_add(r->records, v, len);
}

/* The counts and warnings of a row that was written. */
static void count_row(struct import_run *r, const struct block *b, const struct crow *row,
		      enum upsert_result up, const struct landed *ld)
{
	struct file_stats *fs = &r->fs;

	if (up == UP_INSERTED)
		r->batch.inserted++;
	else if (up == UP_UPDATED)
		r->batch.updated++;
	else
		r->batch.unchanged++;
	if (row->warn_order && fs->order_warned++ < 10)
		msg_warnat(r->name, row->line, "%s is before reported_at",
			   crow_time_names[row->warn_order]);
	fs->any_xy |= row->has_xy;
	if (row->t_reported < fs->tmin)
		fs->tmin = row->t_reported;
	if (row->t_reported > fs->tmax)
		fs->tmax = row->t_reported;
	keep_record(r, b, row, ld);
}

/* One row of a block: refused, validated only (the file will roll back),
 * or written.  0, or -1 when the store failed. */
static int write_row(struct import_run *r, const struct block *b, const struct crow *row)
{
	enum upsert_result up;
	struct landed ld = { NULL, NULL, 0, "" };
	size_t n;
	const char *s;

	r->batch.read++;
	if (row->bad) {
		s = crow_col(row, &b->data, T_REASON, &n);
		reject(r, b, row, s, n);
		return 0;
	}
	if (r->batch.rejected && !r->o->keep_going)
		return 0;
	if ((up = upsert(r, b, row, &ld)) == UP_ERROR)
		return -1;
	if (up == UP_EXISTS) {
		char why[600];
		s = crow_col(row, &b->data, T_ID, &n);
		snprintf(why, sizeof why, "case '%.*s' is already in the store", (int)n, s);
		reject(r, b, row, why, strlen(why));
		return 0;
	}
	count_row(r, b, row, up, &ld);
	return 0;
}

/* Every row from the reader; 0, the reader's exit code, or -1 when the
 * store failed (the reader is then stopped). */
static int write_rows(struct import_run *r)
{
	time_t last_tick = time(NULL);
	int fatal = 0, db_failed = 0, end;

	do {
		struct block *b = take_block(r);
		for (size_t i = 0; i < b->n && !db_failed; i++)
			if (write_row(r, b, &b->row[i]) < 0) {
				db_failed = 1;
				r->cancel = 1;
			}
		if (b->status)
			fatal = b->status;
		end = give_back(r);
		if (r->o->progress && time(NULL) != last_tick) {
			last_tick = time(NULL);
			progress(r->name, b, r->batch.read);
		}
	} while (!end);
	pthread_join(r->reader, NULL);
	r->reading = 0;
	progress_phase(r, NULL);
	msg_repeats_end(r->name); /* the rows not shown, before the summary */
	if (r->fs.order_warned > 10)
		msg_warn("%s: %lld more rows with a step before reported_at", r->name,
			 r->fs.order_warned - 10);
	return db_failed ? -1 : fatal;
}

/* After the rows: the event ids taken, the triggers and the month facts,
 * the duplicates, the batch's counts, and the commit.  0 or -1 (a store error). */
static int finish_file(struct import_run *r)
{
	if (msg_verbose > 1)
		msg_verb("%s: the writer waited %.2f s for the reader", r->name, r->waited);
	step_done(r, "rows written");
	progress_phase(r, "the month facts");
	if (event_ids_taken(r) < 0)
		return -1;
	if (set_load_ddl(r, 1) < 0 || months_touched(r) < 0)
		return -1;
	progress_phase(r, "finding likely duplicates");
	if (dup_pass(r) < 0)
		return -1;
	if (batch_end(r->db, &r->batch) < 0)
		return -1;
	progress_phase(r, "committing");
	if (r->o->dry_run)
		db_rollback(r->db);
	else if (db_commit(r->db) != SQLITE_OK)
		return -1;
	progress_phase(r, NULL);
	step_done(r, "committed");
	return 0;
}

/* The file's summary line on stderr. */
static void summary(const struct import_run *r)
{
	char behind[64] = "";

	void (*say)(const char *, ...) ATTR_PRINTF(1, 2) = msg_info;

	if (r->behind)
		snprintf(behind, sizeof behind, ", %lld behind the store", r->behind);
	/* rows were refused: cron's mail must say so, even under -q */
	if (r->batch.rejected)
		say = msg_err;
	say("%s: %lld read, %lld inserted, %lld updated, %lld unchanged, "
	    "%lld rejected%s%s", r->name, r->batch.read, r->batch.inserted,
	    r->batch.updated, r->batch.unchanged, r->batch.rejected, behind,
	    r->o->dry_run ? " (dry run: nothing written)" : "");
}

static int import_one(struct import_run *r, const char *path, int *landed_out)
{
	struct spool_mark mark = spool_mark(r->records);
	int st, landed = 0;

	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	r->cpu0 = thread_cpu();
	r->reader_cpu = 0;
	memset(&r->fs, 0, sizeof r->fs);
	r->fs.tmin = INT64_MAX;
	r->fs.tmax = INT64_MIN;
	if ((st = open_source(r, path)) != 0)
		goto out;
	if (begin_file(r) < 0) {
		st = db_fail(r->db, r->name);
		goto out;
	}
	if ((st = reader_start(r)) != 0)
		goto out;
	st = write_rows(r);
	if (st < 0)
		st = db_fail(r->db, r->name);
	if (!st && r->batch.rejected && !r->o->keep_going)
		st = rejects_refuse(r->name, r->batch.rejected, "imported", r->o->rejects != NULL);
	if (!st && finish_file(r) < 0) {
		progress_phase(r, NULL);
		st = db_fail(r->db, r->name);
	}
	if (!st) {
		if (!r->first_load)
			summary(r);
		landed = 1;
		/* with --keep-going the good rows landed, and the bad ones
		 * still make the status 65 */
		if (r->batch.rejected)
			st = EXIT_DATA_ERR;
	}
out:
	if (r->blocks[0])
		reader_stop(r);
	dups_free(r->early);
	r->early = NULL;
	finalize_updates(r);
	db_rollback(r->db);
	db_exec(r->db, "PRAGMA foreign_keys = ON");
	if (landed)
		r->landed++;
	else
		spool_truncate(r->records, mark); /* these records did not land */
	r->bulk = 0;
	rec_close(r->src);
	r->src = NULL;
	*landed_out = landed;
	return st;
}

int import_file(struct import_run *r, const char *path)
{
	int landed, st = import_one(r, path, &landed);
	if (st)
		r->failed_files++;
	return st;
}

/* The store put in place (or not): open it as usual for what follows. */
static int reopen(struct import_run *r, const struct db_opts *o, struct db **d)
{
	int st = db_open(d, o);
	r->db = *d;
	return st;
}

int import_file_first(struct import_run *r, const char *path, struct firstload *fl,
		      const struct db_opts *o, struct db **d)
{
	struct spool_mark mark = spool_mark(r->records);
	int landed, st, put;

	r->first_load = 1;
	st = import_one(r, path, &landed);
	r->first_load = 0;
	if (!landed) {
		/* nothing to put in place: the store is made empty, as a run
		 * that fails into a new store always left it */
		firstload_abort(fl, d);
		put = reopen(r, o, d);
		st = st ? st : put;
	} else if ((put = firstload_commit(fl, d)) == 1) {
		/* another tool made the store meanwhile: load into that one */
		msg_verb("%s: the store '%s' appeared during the load: loading into it",
			 r->name, o->path);
		spool_truncate(r->records, mark);
		r->landed--;
		st = reopen(r, o, d);
		if (!st)
			st = import_one(r, path, &landed);
	} else if (put) {
		spool_truncate(r->records, mark);
		r->landed--;
		st = put;
	} else {
		summary(r);
		put = reopen(r, o, d);
		st = st ? st : put;
	}
	if (st)
		r->failed_files++;
	return st;
}

/* Print the records of the files that landed; 0 or 74. */
int import_end(struct import_run *r, struct out *out)
{
	int st = 0;
	size_t n = spool_count(r->records);

	if (!out) {
		if (n)
			msg_info("%zu record%s not printed to a terminal (a pipe, -o FILE "
				 "or -f FORMAT prints them)", n, n == 1 ? "" : "s");
	} else if (!r->landed && r->failed_files)
		out_discard(out); /* nothing landed: print nothing, not even a header */
	else
		st = (out_columns(out, record_cols, ARRAY_SIZE(record_cols)),
		      spool_write(r->records, out));
	spool_free(r->records);
	free(r->name);
	free(r);
	return st;
}
