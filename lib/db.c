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

int db_fail(struct db *d, const char *what)
{
	int rc = sqlite3_extended_errcode(d->h);
	if ((rc & 0xff) == SQLITE_BUSY)
		msg_err("%s: the store '%s' stayed locked past the busy timeout",
			what, d->path);
	else
		msg_err("%s: %s", what, sqlite3_errmsg(d->h));
	return db_exit_status(rc);
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

static int meta_get_int(struct db *d, const char *sql, long long *v)
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

static int migrate(struct db *d)
{
	long long ver = 0;
	int rc, newest = db_schema_version();
	char now[TP_TEXT_LEN];

	rc = meta_get_int(d, "PRAGMA user_version", &ver);
	if (rc != SQLITE_OK)
		return db_fail(d, d->path);
	if (ver > newest) {
		msg_err("'%s' is a store of schema version %lld, newer than this "
			"cityops (%d): upgrade cityops", d->path, ver, newest);
		return EXIT_CONFIG;
	}
	if (ver == newest)
		return 0;
	if ((rc = db_begin(d)) != SQLITE_OK)
		return db_fail(d, d->path);
	/* another process may have migrated while we waited for the lock */
	if ((rc = meta_get_int(d, "PRAGMA user_version", &ver)) != SQLITE_OK)
		goto fail;
	if (ver > newest) {
		db_rollback(d);
		msg_err("'%s' is a store of schema version %lld, newer than this "
			"cityops (%d): upgrade cityops", d->path, ver, newest);
		return EXIT_CONFIG;
	}
	for (int v = (int)ver + 1; v <= newest; v++)
		if ((rc = migrate_to(d, v)) != SQLITE_OK)
			goto fail;
	if (ver == 0) {
		sqlite3_stmt *st;
		tp_format((int64_t)time(NULL), 480, now);
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
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newest);
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
		if (z && tp_parse_zone(z, &m) == 0) {
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
 * Switch a store to WAL.  Two processes that open a new store at once both
 * ask for it while the file is still in rollback mode: the one that holds
 * a shared lock and wants the exclusive one gets SQLITE_BUSY at once,
 * without the busy handler (SQLite's way out of a deadlock).  It tries
 * again, within the busy timeout, by when the other has switched the file.
 */
static int set_wal(struct db *d)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int rc, waited = 0;

	while (((rc = db_exec(d, "PRAGMA journal_mode = WAL")) & 0xff) == SQLITE_BUSY &&
	       waited < d->busy_ms) {
		nanosleep(&pause, NULL);
		waited += 10;
	}
	return rc;
}

int db_open(struct db **out, const struct db_opts *o)
{
	struct db *d = xcalloc(1, sizeof *d);
	const char *path = db_default_path(o->path);
	int flags, rc, st;
	struct stat sb;

	*out = NULL;
	d->path = xstrdup(path);
	if (o->must_exist && stat(path, &sb) != 0 && errno == ENOENT) {
		msg_err("%s: no such store", path);
		st = EXIT_NO_INPUT;
		goto fail;
	}
	if (!o->readonly && stat(path, &sb) != 0 && errno == ENOENT) {
		/* create it ourselves so that the mode is 0600 from the start */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			msg_err("cannot create store '%s': %s", path, strerror(errno));
			st = EXIT_CANT_CREATE;
			goto fail;
		}
		if (fd >= 0) {
			close(fd);
			d->created = 1;
		}
	}
	flags = o->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	rc = sqlite3_open_v2(path, &d->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		msg_err("cannot open store '%s': %s", path,
			d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
		st = o->readonly ? EXIT_NO_INPUT : EXIT_CANT_CREATE;
		goto fail;
	}
	sqlite3_extended_result_codes(d->h, 1);
	/*
	 * A new store has 16 KiB pages (before WAL writes its first page).  In
	 * WAL every page of a big load is written twice, to the log and at the
	 * checkpoint; a quarter as many pages is a quarter as many system
	 * calls: a year of flood readings, 17% less CPU.  A store that exists
	 * keeps its pages.
	 */
	if (d->created)
		db_exec(d, "PRAGMA page_size = 16384");
	d->busy_ms = o->busy_ms > 0 ? o->busy_ms : 10000;
	sqlite3_busy_timeout(d->h, d->busy_ms);
	rc = db_exec(d, "PRAGMA foreign_keys = ON");
	if (rc == SQLITE_OK && !o->readonly) {
		rc = set_wal(d);
		if (rc == SQLITE_OK)
			rc = db_exec(d, "PRAGMA synchronous = NORMAL");
	}
	if (rc != SQLITE_OK) {
		if ((rc & 0xff) == SQLITE_NOTADB)
			msg_err("'%s' is not a cityops store (not an SQLite database)", path);
		else
			db_fail(d, path);
		st = (rc & 0xff) == SQLITE_NOTADB ? EXIT_CONFIG : db_exit_status(rc);
		goto fail;
	}
	if (!o->readonly && (st = migrate(d)) != 0)
		goto fail;
	if (o->readonly) {
		long long ver = 0;
		if (meta_get_int(d, "PRAGMA user_version", &ver) != SQLITE_OK) {
			st = db_fail(d, path);
			goto fail;
		}
		if (ver > db_schema_version()) {
			msg_err("'%s' is a store of schema version %lld, newer than "
				"this cityops (%d): upgrade cityops", path, ver,
				db_schema_version());
			st = EXIT_CONFIG;
			goto fail;
		}
	}
	if ((st = read_zone(d)) != 0)
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
