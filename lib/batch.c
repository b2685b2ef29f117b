#include "common.h"

#include <time.h>

#include <sqlite3.h>

#include "batch.h"
#include "db.h"
#include "timeparse.h"

static void now_text(const struct db *d, char out[TIMEPARSE_TEXT_LEN])
{
	timeparse_format((int64_t)time(NULL), db_zone_min(d), out);
}

int batch_begin(struct db *d, struct batch *b, const char *tool,
		const char *source)
{
	static const char sql[] =
		"INSERT INTO batches(tool, source, started_at) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = db_stmt(d, sql);
	char now[TIMEPARSE_TEXT_LEN];

	memset(b, 0, sizeof *b);
	if (!st)
		return -1;
	now_text(d, now);
	sqlite3_bind_text(st, 1, tool, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	b->id = sqlite3_last_insert_rowid(d->h);
	return 0;
}

int batch_end(struct db *d, const struct batch *b)
{
	static const char sql[] =
		"UPDATE batches SET finished_at = ?2, rows_read = ?3, rows_inserted = ?4,"
		" rows_updated = ?5, rows_unchanged = ?6, rows_rejected = ?7, status = ?8"
		" WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(d, sql);
	char now[TIMEPARSE_TEXT_LEN];

	if (!st)
		return -1;
	now_text(d, now);
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, b->read);
	sqlite3_bind_int64(st, 4, b->inserted);
	sqlite3_bind_int64(st, 5, b->updated);
	sqlite3_bind_int64(st, 6, b->unchanged);
	sqlite3_bind_int64(st, 7, b->rejected);
	sqlite3_bind_text(st, 8, b->rejected ? "partial" : "ok", -1, SQLITE_STATIC);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}
