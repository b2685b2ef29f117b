#include "common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "msg.h"
#include "timeparse.h"

struct db_stmt_ent {
	const char *sql;
	sqlite3_stmt *st;
};

/* The core's tables: meta and batches (DESIGN §5); the domains bring theirs. */
static const char *const core_v1[] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);\n",
	"CREATE TABLE batches(\n"
	"  id INTEGER PRIMARY KEY, tool TEXT NOT NULL, source TEXT,\n"
	"  started_at TEXT NOT NULL, finished_at TEXT,\n"
	"  rows_read INTEGER NOT NULL DEFAULT 0, rows_inserted INTEGER NOT NULL DEFAULT 0,\n"
	"  rows_updated INTEGER NOT NULL DEFAULT 0, rows_unchanged INTEGER NOT NULL DEFAULT 0,\n"
	"  rows_rejected INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'running');\n",
	NULL,
};
static const struct db_migration core_steps[] = { { 1, core_v1 } };
static const struct db_schema core_schema = { "core", core_steps, ARRAY_SIZE(core_steps) };

#define DB_MAX_SCHEMAS 16
static const struct db_schema *schemas[DB_MAX_SCHEMAS] = { &core_schema };
static size_t nschemas = 1;

void db_schema_register(const struct db_schema *s)
{
	for (size_t i = 0; i < nschemas; i++)
		if (schemas[i] == s)
			return;
	if (nschemas == DB_MAX_SCHEMAS) {
		msg_err("too many schemas registered (at most %d)", DB_MAX_SCHEMAS);
		abort();
	}
	schemas[nschemas++] = s;
}

int db_schema_version(void)
{
	int v = 0;
	for (size_t i = 0; i < nschemas; i++)
		for (size_t j = 0; j < schemas[i]->nsteps; j++)
			if (schemas[i]->steps[j].version > v)
				v = schemas[i]->steps[j].version;
	return v;
}

/* Run every registered statement of version v. */
static int migrate_to(struct db *d, int v)
{
	int rc;

	for (size_t i = 0; i < nschemas; i++)
		for (size_t j = 0; j < schemas[i]->nsteps; j++) {
			if (schemas[i]->steps[j].version != v)
				continue;
			for (const char *const *q = schemas[i]->steps[j].sql; *q; q++)
				if ((rc = db_exec(d, *q)) != SQLITE_OK)
					return rc;
		}
	return SQLITE_OK;
}

const char *db_default_path(const char *opt)
{
	const char *e;
	if (opt && *opt)
		return opt;
	e = getenv("CITYOPS_DB");
	if (e && *e)
		return e;
	return "cityops.db";
}

int db_exit_status(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return EXIT_LOCKED;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		return EXIT_IO_ERR;
	case SQLITE_CANTOPEN:
		return EXIT_CANT_CREATE;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return EXIT_CANT_CREATE;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return EXIT_DATA_ERR;
	default:
		return EXIT_SOFTWARE_ERR;
	}
}

/* An error of the store's file itself, whatever statement met it. */
static int store_trouble(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_READONLY: case SQLITE_IOERR: case SQLITE_FULL: case SQLITE_CORRUPT:
	case SQLITE_CANTOPEN: case SQLITE_NOTADB: case SQLITE_PERM:
		return 1;
	}
	return 0;
}

int db_fail(struct db *d, const char *what)
{
	int rc = sqlite3_extended_errcode(d->h), st = db_exit_status(rc);

	if (!d->failed)
		d->failed = st;
	if ((rc & 0xff) == SQLITE_BUSY && d->busy_ms == 0)
		msg_err("%s: the store '%s' is locked by another writer "
			"(--busy-timeout 0: not waiting)", what, d->path);
	else if ((rc & 0xff) == SQLITE_BUSY)
		msg_err("%s: the store '%s' stayed locked past the busy timeout",
			what, d->path);
	else if (!store_trouble(rc) || strcmp(what, d->path) == 0)
		msg_err("%s: %s", what, sqlite3_errmsg(d->h));
	else /* the store's trouble, not the input's: name it */
		msg_err("%s: the store '%s': %s%s", what, d->path, sqlite3_errmsg(d->h),
			(rc & 0xff) == SQLITE_READONLY ? " (check the mode of the store, "
			"its -wal and -shm files, and their folder)" : "");
	return st;
}

int db_failed(const struct db *d)
{
	return d->failed;
}

int db_exec(struct db *d, const char *sql)
{
	return sqlite3_exec(d->h, sql, NULL, NULL, NULL);
}

int db_begin(struct db *d)
{
	return db_exec(d, "BEGIN IMMEDIATE");
}

int db_commit(struct db *d)
{
	return db_exec(d, "COMMIT");
}

int db_rollback(struct db *d)
{
	if (sqlite3_get_autocommit(d->h))
		return SQLITE_OK;
	return db_exec(d, "ROLLBACK");
}

sqlite3_stmt *db_stmt(struct db *d, const char *sql)
{
	for (size_t i = 0; i < d->nstmts; i++)
		if (d->stmts[i].sql == sql) {
			sqlite3_reset(d->stmts[i].st);
			sqlite3_clear_bindings(d->stmts[i].st);
			return d->stmts[i].st;
		}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	XGROW(d->stmts, d->nstmts + 1, d->stmtcap);
	d->stmts[d->nstmts].sql = sql;
	d->stmts[d->nstmts].st = st;
	d->nstmts++;
	return st;
}

/* ---- waiting for another writer ----------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The batch another writer runs, as far as the store shows it: a second,
 * read-only connection sees the last commit (a WAL reader is never
 * blocked).  A batch row that its run has not committed yet is not there.
 */
static int running_batch(const struct db *d, char *buf, size_t n)
{
	static const char sql[] =
		"SELECT tool, coalesce(source, ''), started_at FROM batches"
		" WHERE status = 'running' AND finished_at IS NULL"
		" ORDER BY id DESC LIMIT 1";
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (sqlite3_open_v2(d->path, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *tool = (const char *)sqlite3_column_text(st, 0);
		const char *src = (const char *)sqlite3_column_text(st, 1);
		const char *at = (const char *)sqlite3_column_text(st, 2);
		snprintf(buf, n, "%s%s%s%s has been writing to it since %s",
			 tool ? tool : "a run", src && *src ? " ('" : "",
			 src ? src : "", src && *src ? "')" : "", at ? at : "?");
		found = 1;
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return found;
}

/*
 * Linux: the process that holds the WAL write lock (byte 120 of the -shm
 * file, SQLite's WAL_WRITE_LOCK), from /proc/locks, named by /proc/PID/comm.
 */
static int lock_holder(const struct db *d, char *buf, size_t n)
{
	char shm[4096], line[256], comm[64] = "";
	struct stat sb;
	unsigned long ino;
	long long start, pid = 0;
	FILE *f;

	if ((size_t)snprintf(shm, sizeof shm, "%s-shm", d->path) >= sizeof shm ||
	    stat(shm, &sb) != 0 || !(f = fopen("/proc/locks", "r")))
		return 0;
	while (!pid && fgets(line, sizeof line, f)) {
		long long p;
		if (strstr(line, "->") || !strstr(line, "POSIX") ||
		    sscanf(line, "%*d: %*s %*s %*s %lld %*x:%*x:%lu %lld", &p, &ino,
			   &start) != 3)
			continue;
		if (ino == (unsigned long)sb.st_ino && start == 120)
			pid = p;
	}
	fclose(f);
	if (!pid)
		return 0;
	snprintf(shm, sizeof shm, "/proc/%lld/comm", pid);
	if ((f = fopen(shm, "r"))) {
		if (fgets(comm, sizeof comm, f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	if (*comm)
		snprintf(buf, n, "%s (pid %lld) is writing to it", comm, pid);
	else
		snprintf(buf, n, "process %lld is writing to it", pid);
	return 1;
}

/* Say once what the wait is for (DESIGN §8: cron runs queue, visibly). */
static void busy_notice(const struct db *d)
{
	char who[512];
	int s = (d->busy_ms + 999) / 1000;

	if (!running_batch(d, who, sizeof who) && !lock_holder(d, who, sizeof who))
		snprintf(who, sizeof who, "another writer holds it");
	msg_warn("waiting for the store '%s': %s (for up to %d %s: --busy-timeout)",
		 d->path, who, s % 60 ? s : s / 60, s % 60 ? "s" : "min");
}

/*
 * SQLite's busy handler: sleep a little longer each time, up to 100 ms,
 * until busy_ms have passed since this wait began (count 0).
 */
static int busy_handler(void *arg, int count)
{
	static const int delay_ms[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 };
	struct db *d = arg;
	int64_t now = now_ms(), left;
	int ms;
	struct timespec ts;

	if (count == 0)
		d->busy_since = now;
	left = d->busy_ms - (now - d->busy_since);
	if (left <= 0)
		return 0;
	if (!d->busy_told && now - d->busy_since >= DB_BUSY_NOTICE_MS) {
		d->busy_told = 1;
		busy_notice(d);
	}
	ms = count < (int)ARRAY_SIZE(delay_ms) ? delay_ms[count] : 100;
	if (ms > left)
		ms = (int)left;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	return 1;
}

void db_busy_wait(struct db *d, int wait)
{
	if (wait && d->busy_ms > 0)
		sqlite3_busy_handler(d->h, busy_handler, d);
	else
		sqlite3_busy_handler(d->h, NULL, NULL);
}

int db_query_int(struct db *d, const char *sql, long long *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(d->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The store's schema version, which must not be newer than this cityops:
 * 0, 78 after a message, or a store error's status. */
static int db_check_version(struct db *d, long long *ver)
{
	*ver = 0;
	if (db_query_int(d, "PRAGMA user_version", ver) != SQLITE_OK)
		return db_fail(d, d->path);
	if (*ver > db_schema_version()) {
		msg_err("'%s' is a store of schema version %lld, newer than this "
			"cityops (%d): upgrade cityops", d->path, *ver, db_schema_version());
		return EXIT_CONFIG;
	}
	return 0;
}

static int migrate(struct db *d)
{
	long long ver = 0;
	int rc, newest = db_schema_version();
	char now[TIMEPARSE_TEXT_LEN];

	if ((rc = db_check_version(d, &ver)) != 0)
		return rc;
	if (ver == newest)
		return 0;
	if ((rc = db_begin(d)) != SQLITE_OK)
		return db_fail(d, d->path);
	/* another process may have migrated while we waited for the lock */
	if ((rc = db_check_version(d, &ver)) != 0) {
		db_rollback(d);
		return rc;
	}
	for (int v = (int)ver + 1; v <= newest; v++)
		if ((rc = migrate_to(d, v)) != SQLITE_OK)
			goto fail;
	if (ver == 0) {
		sqlite3_stmt *st;
		timeparse_format((int64_t)time(NULL), 480, now);
		rc = sqlite3_prepare_v2(d->h,
			"INSERT INTO meta(key, value) VALUES ('timezone', '+08:00'),"
			" ('created_at', ?1), ('created_by_version', ?2)", -1, &st, NULL);
		if (rc != SQLITE_OK)
			goto fail;
		sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, CITYOPS_VERSION, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	{
		char sql[96];
		snprintf(sql, sizeof sql, "PRAGMA application_id = %d; "
			 "PRAGMA user_version = %d", DB_APPLICATION_ID, newest);
		if ((rc = db_exec(d, sql)) != SQLITE_OK)
			goto fail;
	}
	if ((rc = db_commit(d)) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	rc = db_fail(d, d->path);
	db_rollback(d);
	return rc;
}

static int read_zone(struct db *d)
{
	sqlite3_stmt *st;
	int rc;

	d->zone_min = 480;
	rc = sqlite3_prepare_v2(d->h, "SELECT value FROM meta WHERE key = 'timezone'",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(d, d->path);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *z = (const char *)sqlite3_column_text(st, 0);
		int m;
		if (z && timeparse_zone(z, &m) == 0) {
			d->zone_min = m;
		} else {
			msg_err("'%s': meta.timezone '%s' is not a UTC offset",
				d->path, z ? z : "");
			sqlite3_finalize(st);
			return EXIT_CONFIG;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * SQLite gives some names a meaning of their own: ":memory:" and "" are
 * databases that vanish at close, "file:..." is a URI whose ?mode= and
 * ?vfs= change how it opens.  A store is a file that stays.
 */
int db_path_special(const char *path)
{
	return !*path || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0;
}

enum db_kind { DB_KIND_EMPTY, DB_KIND_STORE, DB_KIND_FOREIGN };

/*
 * What the database holds, read in one statement (one snapshot, so that a
 * store another process is creating is seen whole or not at all): a store
 * of ours carries our application_id; one made before application_id was
 * set has a user_version and the core's meta and batches tables.  An empty
 * database has neither objects nor versions.  SQLite's result code.
 */
static int db_kind(struct db *d, enum db_kind *kind)
{
	static const char sql[] =
		"SELECT (SELECT application_id FROM pragma_application_id),"
		" (SELECT user_version FROM pragma_user_version),"
		" (SELECT count(*) FROM sqlite_master),"
		" (SELECT count(*) FROM sqlite_master WHERE type = 'table'"
		"  AND name IN ('meta', 'batches'))";
	sqlite3_stmt *st;
	long long app, ver, nobj, ncore;
	int rc = sqlite3_prepare_v2(d->h, sql, -1, &st, NULL);

	*kind = DB_KIND_FOREIGN;
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		app = sqlite3_column_int64(st, 0);
		ver = sqlite3_column_int64(st, 1);
		nobj = sqlite3_column_int64(st, 2);
		ncore = sqlite3_column_int64(st, 3);
		if (app == DB_APPLICATION_ID || (app == 0 && ver > 0 && ncore == 2))
			*kind = DB_KIND_STORE;
		else if (app == 0 && ver == 0 && nobj == 0)
			*kind = DB_KIND_EMPTY;
		else
			*kind = DB_KIND_FOREIGN;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Is this database ours to use?  0, or an exit code after a message. */
static int db_recognise(struct db *d, const struct db_opts *o)
{
	enum db_kind kind;
	int rc = db_kind(d, &kind);

	if ((rc & 0xff) == SQLITE_NOTADB) {
		msg_err("'%s' is not a cityops store (not an SQLite database)", d->path);
		return EXIT_CONFIG;
	}
	if (rc != SQLITE_OK)
		return db_fail(d, d->path);
	if (kind == DB_KIND_FOREIGN) {
		msg_err("'%s' is not a cityops store: it is an SQLite database of "
			"something else (left as it is; give -D a new path)", d->path);
		return EXIT_CONFIG;
	}
	if (kind == DB_KIND_EMPTY && (o->must_exist || o->readonly) && !d->created) {
		msg_err("%s: no such store", d->path);
		return EXIT_NO_INPUT;
	}
	return 0;
}

/* Create a missing store ourselves, so that its mode is 0600 from the start. */
static int db_create_file(struct db *d, const struct db_opts *o)
{
	struct stat sb;
	int fd;

	if (stat(d->path, &sb) == 0 || errno != ENOENT)
		return 0;
	if (o->must_exist || o->readonly) {
		msg_err("%s: no such store", d->path);
		return EXIT_NO_INPUT;
	}
	fd = open(d->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST) {
		msg_err("cannot create store '%s': %s", d->path, strerror(errno));
		return EXIT_CANT_CREATE;
	}
	if (fd >= 0) {
		close(fd);
		d->created = 1;
	}
	return 0;
}

/*
 * Switching a new store to WAL while another process opens it too can give
 * SQLITE_BUSY without SQLite calling the busy handler (it would deadlock on
 * the shared lock the pragma holds): wait as the handler would, and retry.
 */
static int exec_waiting(struct db *d, const char *sql)
{
	int rc, n = 0;

	while ((rc = db_exec(d, sql)) != SQLITE_OK && (rc & 0xff) == SQLITE_BUSY &&
	       d->busy_ms > 0 && busy_handler(d, n++))
		;
	return rc;
}

static int db_pragmas(struct db *d, const struct db_opts *o)
{
	int rc;

	/*
	 * A new store has 16 KiB pages (before WAL writes its first page).  In
	 * WAL every page of a big load is written twice, to the log and at the
	 * checkpoint; a quarter as many pages is a quarter as many system
	 * calls: a year of flood readings, 17% less CPU.  A store that exists
	 * keeps its pages.
	 */
	if (d->created)
		db_exec(d, "PRAGMA page_size = 16384");
	rc = db_exec(d, "PRAGMA foreign_keys = ON");

	if (rc == SQLITE_OK && !o->readonly) {
		rc = exec_waiting(d, "PRAGMA journal_mode = WAL");
		if (rc == SQLITE_OK)
			rc = db_exec(d, "PRAGMA synchronous = NORMAL");
	}
	return rc == SQLITE_OK ? 0 : db_fail(d, d->path);
}

/*
 * SQLite's settings for the process, before its first use: no memory
 * statistics (nobody reads them, and keeping them takes a global mutex on
 * every allocation: 4% of a bulk load's CPU, with a reader thread about).
 */
void db_configure(void)
{
	static int done;

	if (done++)
		return;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* MISUSE if too late: fine */
}

int db_open(struct db **out, const struct db_opts *o)
{
	struct db *d;
	const char *path = db_default_path(o->path);
	int flags, rc, st;

	*out = NULL;
	db_configure();
	if (db_path_special(path)) {
		msg_err("'%s' is not a path: a store is a file (SQLite's special "
			"names and URIs are refused; for a file of that name give "
			"'./%s')", path, path);
		return EXIT_USAGE;
	}
	d = xcalloc(1, sizeof *d);
	d->path = xstrdup(path);
	if ((st = db_create_file(d, o)) != 0)
		goto fail;
	flags = o->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	rc = sqlite3_open_v2(path, &d->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		msg_err("cannot open store '%s': %s", path,
			d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
		st = o->readonly ? EXIT_NO_INPUT : EXIT_CANT_CREATE;
		goto fail;
	}
	sqlite3_extended_result_codes(d->h, 1);
	d->busy_ms = o->busy_ms < 0 ? DB_BUSY_DEFAULT_MS : o->busy_ms;
	db_busy_wait(d, 1);
	/* nothing is written before we know the file is ours */
	if ((st = db_recognise(d, o)) != 0 || (st = db_pragmas(d, o)) != 0)
		goto fail;
	st = o->readonly ? db_check_version(d, &(long long){ 0 }) : migrate(d);
	if (st != 0 || (st = read_zone(d)) != 0)
		goto fail;
	*out = d;
	return 0;
fail:
	if (d->created && d->h == NULL)
		unlink(path);
	db_close(d);
	return st;
}

int db_zone_min(const struct db *d)
{
	return d->zone_min;
}

void db_close(struct db *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nstmts; i++)
		sqlite3_finalize(d->stmts[i].st);
	free(d->stmts);
	if (d->h)
		sqlite3_close(d->h);
	free(d->path);
	free(d);
}
