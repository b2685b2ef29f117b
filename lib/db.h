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
 * foreign_keys=ON, busy_timeout (default 10 s); a new store has 16 KiB pages.  meta holds timezone
 * (+08:00 unless the store says otherwise), created_at, created_by_version.
 *
 * Times are kept in the store's zone; db_zone_min(d) is its offset, minutes.
 *
 * The schema.  The core owns meta and batches; each domain owns its tables
 * and gives db its migrations (DESIGN §4), which cmd/ registers before the
 * store is opened:
 *
 *   static const char *const v4[] = { "CREATE TABLE ...", ..., NULL };
 *   static const struct db_migration steps[] = { { 1, v1 }, { 4, v4 } };
 *   const struct db_schema flood_schema = { "flood", steps, ARRAY_SIZE(steps) };
 *   db_schema_register(&flood_schema);
 *
 * The store has one PRAGMA user_version.  Opening it at version v runs, in
 * one transaction, the statements of every registered migration numbered
 * v + 1 and up, in version order (the core first within a version, then
 * the domains in the order they were registered).  db_schema_version() is
 * the newest version any registered schema knows; a store newer than that
 * is refused with 78.  A domain never edits a migration that has shipped:
 * it adds one with the next free number.
 */
#ifndef CITYOPS_DB_H
#define CITYOPS_DB_H

#include <sqlite3.h>

struct db_migration {
	int version;                /* this step takes the store to version */
	const char *const *sql;     /* NULL-terminated statements */
};

struct db_schema {
	const char *name;           /* the domain: "case", "flood" ... */
	const struct db_migration *steps;
	size_t nsteps;
};

/* Register a domain's schema (kept by pointer; at most 16). */
void db_schema_register(const struct db_schema *s);
int db_schema_version(void);

struct db_opts {
	const char *path;
	int busy_ms;       /* 0: 10000 */
	int readonly;      /* do not create; open read-only */
	int must_exist;    /* do not create: a missing store is 66 ("PATH: no
			    * such store"), for runs that only read */
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

#endif
