/*
 * create.c - a case opened by another tool (see create.h).
 */
#include "common.h"

#include <time.h>

#include <sqlite3.h>

#include "case/case.h"
#include "case/create.h"
#include "db.h"
#include "timeparse.h"

static const char sql_case[] =
	"INSERT OR IGNORE INTO cases(id, source, kind, class_code, big_class, small_class,"
	" description, address, reporter, reported_at, state, ticket_id, batch_id, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
static const char sql_event[] =
	"INSERT INTO case_events(case_id, step, at, batch_id) VALUES (?1, ?2, ?3, ?4)";

static void bind(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int case_create(struct db *d, const struct case_new *c, sqlite3_int64 batch)
{
	sqlite3_stmt *st = db_stmt(d, sql_case);
	const char *const v[] = {
		c->id, c->source, c->kind ? c->kind : "event", c->class_code,
		c->big_class, c->small_class, c->description, c->address, c->reporter,
		c->reported_at, case_states[CASE_REPORTED].name, c->ticket_id,
	};
	char now[TIMEPARSE_TEXT_LEN];

	if (!st)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		bind(st, (int)i + 1, v[i]);
	sqlite3_bind_int64(st, 13, batch);
	timeparse_format((int64_t)time(NULL), db_zone_min(d), now);
	sqlite3_bind_text(st, 14, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(d->h) == 0)
		return 0;
	if (!(st = db_stmt(d, sql_event)))
		return -1;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, case_steps[CASE_STEP_REPORT].name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->reported_at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, batch);
	return sqlite3_step(st) == SQLITE_DONE ? 1 : -1;
}
