/*
 * db.h - the store: open, pragmas, migrations, transactions, statements.
 *
 *   struct db *d;
 *   int st = db_open(&d, &opts);         0, or an exit code after a message:
 *                                        64 not a path (":memory:", a URI),
 *                                        66 no such store (must_exist),
 *                                        73 cannot open or create, 75 locked,
 *                                        78 a store from a newer version, or
 *                                        not a store (a foreign database)
 *   db_begin(d)  BEGIN IMMEDIATE (a writer takes its lock at once, so two
 *                cron runs queue on the busy timeout instead of deadlocking)
 *   db_commit(d) / db_rollback(d)
 *   sqlite3_stmt *st = db_stmt(d, sql);  prepared once per connection and
 *                                        reused (reset, bindings cleared)
 *   db_busy_wait(d, 0)  fail at once (SQLITE_BUSY) while another writer
 *                       holds the store, for work that may be skipped (a
 *                       reader's cache); db_busy_wait(d, 1) waits again
 *   db_exit_status(rc)  an SQLite result code -> exit code (BUSY/LOCKED 75,
 *                       FULL/IOERR 74, else 70)
 *   db_fail(d, what)    prints "prog: what: sqlite message", returns that
 *                       exit code, and keeps it for db_failed()
 *   db_failed(d)        0, or the exit code of the first db_fail() on d: a
 *                       function that returns a reason text for bad data
 *                       (or a count, or NULL) reports a store error with
 *                       db_fail() where it happens, and its caller asks
 *                       db_failed(d) -- a store error is never a magic
 *                       string compared with strcmp
 *
 * The path is opts.path, else $CITYOPS_DB, else ./cityops.db.  A new store is
 * created mode 0600 (SQLite gives its -wal and -shm files the same mode),
 * then its schema is built by the migrations, in one transaction keyed on
 * PRAGMA user_version.  Pragmas: journal_mode=WAL, synchronous=NORMAL,
 * foreign_keys=ON; a new store has 16 KiB pages.
 *
 * Waiting: a writer that finds the store locked by another waits for it
 * (db_opts.busy_ms, default 10 minutes, so that cron runs queue behind a
 * bureau's largest import instead of failing); after DB_BUSY_NOTICE_MS it
 * says once on stderr (a warning: -q hides it) what it waits for: the
 * other run's batch if the store shows one as running, else the process
 * that holds the lock (Linux /proc/locks).  busy_ms 0 fails at once with
 * 75.  Readers never wait: WAL lets them read the last commit.
 *  meta holds timezone
 * (+08:00 unless the store says otherwise), created_at, created_by_version.
 *
 * Only a cityops store is opened.  A store carries PRAGMA application_id
 * DB_APPLICATION_ID (set by the first migration this version runs; stores
 * of earlier versions have 0, a user_version and the meta and batches
 * tables, and are recognised by those).  A database that is neither empty
 * nor a store is refused with 78 before anything is written to it, and so
 * is a file that is not an SQLite database.  SQLite's special names
 * (":memory:", "file:" URIs) are refused with 64: a store is a path.
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

/* How long a writer waits for another by default: a bureau's largest run. */
#define DB_BUSY_DEFAULT_MS (10 * 60 * 1000)
/* After this long a wait says on stderr what it waits for. */
#define DB_BUSY_NOTICE_MS 2000

/* PRAGMA application_id of a store: "CITY" */
#define DB_APPLICATION_ID 0x43495459

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
/* A name SQLite reads as something else than a file (":memory:", "",
 * "file:" URIs): db_open() refuses it with 64. */
int db_path_special(const char *path);
int db_schema_version(void);

struct db_opts {
	const char *path;
	int busy_ms;       /* wait this long for another writer: 0 fails
			    * at once (75); < 0: DB_BUSY_DEFAULT_MS */
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
	int64_t busy_since;  /* when the current wait began (ms, monotonic) */
	int busy_told;       /* the wait was explained on stderr */
	int failed;          /* the exit code of the first db_fail(), else 0 */
	struct db_stmt_ent *stmts;
	size_t nstmts, stmtcap;
};

const char *db_default_path(const char *opt);
/* SQLite's process-wide settings, before the first connection (db_open
 * calls it; call it first to open a connection of your own). */
void db_configure(void);
/* The integer the query's first row begins with, into v: SQLITE_OK, or
 * SQLite's code (SQLITE_DONE: no row, v untouched). */
int db_query_int(struct db *d, const char *sql, long long *v);
int db_open(struct db **out, const struct db_opts *o);
void db_close(struct db *d);
int db_begin(struct db *d);
int db_commit(struct db *d);
int db_rollback(struct db *d);
int db_exec(struct db *d, const char *sql);
sqlite3_stmt *db_stmt(struct db *d, const char *sql);
int db_exit_status(int rc);
int db_fail(struct db *d, const char *what);
int db_failed(const struct db *d);
int db_zone_min(const struct db *d);
void db_busy_wait(struct db *d, int wait);

#endif
