/*
 * db.h - the store: open, pragmas, migrations, transactions, statements.
 *
 *   struct db *d;
 *   int st = db_open(&d, path, &opts);  0, or an exit code after a message:
 *                                        66/73 cannot open or create, 75 locked,
 *                                        78 a store from a newer version
 *   db_begin(d)  BEGIN IMMEDIATE (a writer takes its lock at once, so two
 *                cron runs queue on the busy timeout instead of deadlocking)
 *   db_commit(d) / db_rollback(d)
 *   sqlite3_stmt *st = db_stmt(d, sql);  prepared once per connection and
 *                                        reused (reset, bindings cleared)
 *   db_exit_status(rc)  an SQLite result code -> exit code (BUSY/LOCKED 75,
 *                       FULL/IOERR 74, else 70)
 *   db_fail(d, what)    prints "prog: what: sqlite message", returns that
 *                       exit code
 *
 * The path is opts.path, else $CITYOPS_DB, else ./cityops.db.  A new store is
 * created mode 0600 (SQLite gives its -wal and -shm files the same mode),
 * then its schema is built by the migrations, in one transaction keyed on
 * PRAGMA user_version.  Pragmas: journal_mode=WAL, synchronous=NORMAL,
 * foreign_keys=ON, busy_timeout (default 10 s).  meta holds timezone
 * (+08:00 unless the store says otherwise), created_at, created_by_version.
 *
 * Times are kept in the store's zone; db_zone_min(d) is its offset, minutes.
 */
#ifndef CITYOPS_DB_H
#define CITYOPS_DB_H

#include <sqlite3.h>

#define DB_SCHEMA_VERSION 3

struct db_opts {
	const char *path;
	int busy_ms;       /* 0: 10000 */
	int readonly;      /* do not create; open read-only */
};

struct db {
	sqlite3 *h;
	char *path;
	int created;       /* the store was created by this open */
	int zone_min;
	int busy_ms;
	struct db_stmt_ent *stmts;
	size_t nstmts, stmtcap;
};

const char *db_default_path(const char *opt);
int db_open(struct db **out, const struct db_opts *o);
void db_close(struct db *d);
int db_begin(struct db *d);
int db_commit(struct db *d);
int db_rollback(struct db *d);
int db_exec(struct db *d, const char *sql);
sqlite3_stmt *db_stmt(struct db *d, const char *sql);
int db_exit_status(int rc);
int db_fail(struct db *d, const char *what);
int db_zone_min(const struct db *d);
/* What a bulk load into empty tables drops first and makes again after: the
 * secondary indexes of cases and case_events and the triggers that keep
 * stat_months, as (DROP sql, CREATE sql) pairs, NULL-terminated. */
const char *const *db_bulk_ddl(void);

#endif
