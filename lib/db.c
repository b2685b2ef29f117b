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

#define IDX_CASES_REPORTED_AT "CREATE INDEX cases_reported_at ON cases(reported_at)"
#define IDX_CASES_STATE "CREATE INDEX cases_state ON cases(state)"
#define IDX_CASES_CATEGORY "CREATE INDEX cases_category ON cases(category, reported_at)"
/* the indexes as the current version has them; older versions made some
 * differently (*_V1, *_V2), and their migrations keep doing so */
#define IDX_CASES_UNIT_V1 "CREATE INDEX cases_unit ON cases(unit)"
#define IDX_CASES_UNIT "CREATE INDEX cases_unit ON cases(unit) WHERE unit IS NOT NULL"
#define IDX_CASE_EVENTS_CASE "CREATE INDEX case_events_case ON case_events(case_id, at)"
#define IDX_CASES_MONTH_V2 \
	"CREATE INDEX cases_month ON cases(reported_month, category, state, due_at, closed_at)"
#define IDX_CASES_MONTH "CREATE INDEX cases_month ON cases(reported_month, category)"

#define TRG_CASES_STAT_INSERT \
	"CREATE TRIGGER cases_stat_insert AFTER INSERT ON cases BEGIN\n" \
	"  DELETE FROM stat_months WHERE month = NEW.reported_month;\nEND"
#define TRG_CASES_STAT_DELETE \
	"CREATE TRIGGER cases_stat_delete AFTER DELETE ON cases BEGIN\n" \
	"  DELETE FROM stat_months WHERE month = OLD.reported_month;\nEND"
#define TRG_CASES_STAT_UPDATE \
	"CREATE TRIGGER cases_stat_update AFTER UPDATE OF kind, big_class, reported_at,\n" \
	"  registered_at, dispatched_at, handled_at, closed_at, due_at, state,\n" \
	"  self_disposed, reworks, postponements ON cases BEGIN\n" \
	"  DELETE FROM stat_months WHERE month IN (OLD.reported_month, NEW.reported_month);\nEND"

static const char *const bulk_ddl[] = {
	"DROP INDEX cases_reported_at", IDX_CASES_REPORTED_AT,
	"DROP INDEX cases_state", IDX_CASES_STATE,
	"DROP INDEX cases_category", IDX_CASES_CATEGORY,
	"DROP INDEX cases_unit", IDX_CASES_UNIT,
	"DROP INDEX case_events_case", IDX_CASE_EVENTS_CASE,
	"DROP INDEX cases_month", IDX_CASES_MONTH,
	"DROP TRIGGER cases_stat_insert", TRG_CASES_STAT_INSERT,
	"DROP TRIGGER cases_stat_delete", TRG_CASES_STAT_DELETE,
	"DROP TRIGGER cases_stat_update", TRG_CASES_STAT_UPDATE,
	NULL,
};

const char *const *db_bulk_ddl(void)
{
	return bulk_ddl;
}

/* Schema version 1: DESIGN §5.  Migration i takes a store from version i to
 * i + 1; its statements run in one transaction with the user_version bump. */
static const char *const schema_v1[] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);\n",
	"CREATE TABLE batches(\n"
	"  id INTEGER PRIMARY KEY, tool TEXT NOT NULL, source TEXT,\n"
	"  started_at TEXT NOT NULL, finished_at TEXT,\n"
	"  rows_read INTEGER NOT NULL DEFAULT 0, rows_inserted INTEGER NOT NULL DEFAULT 0,\n"
	"  rows_updated INTEGER NOT NULL DEFAULT 0, rows_unchanged INTEGER NOT NULL DEFAULT 0,\n"
	"  rows_rejected INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'running');\n",
	"CREATE TABLE cases(\n"
	"  id TEXT PRIMARY KEY NOT NULL, source TEXT,\n"
	"  kind TEXT NOT NULL DEFAULT 'event' CHECK (kind IN ('component','event')),\n"
	"  class_code TEXT, big_class TEXT, small_class TEXT,\n"
	"  category TEXT GENERATED ALWAYS AS (CASE kind WHEN 'component' THEN '部件' ELSE big_class END) VIRTUAL,\n"
	"  description TEXT, address TEXT, district TEXT, street TEXT, community TEXT, grid TEXT,\n"
	"  lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180),\n"
	"  lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),\n"
	"  object_id TEXT, reporter TEXT,\n"
	"  reported_at TEXT NOT NULL, registered_at TEXT, dispatched_at TEXT,\n"
	"  handled_at TEXT, closed_at TEXT, due_at TEXT,\n"
	"  state TEXT NOT NULL CHECK (state IN ('reported','registered','dispatched','handling','handled','closed','parked','void')),\n"
	"  unit TEXT, self_disposed INTEGER NOT NULL DEFAULT 0 CHECK (self_disposed IN (0,1)),\n"
	"  reworks INTEGER NOT NULL DEFAULT 0, postponements INTEGER NOT NULL DEFAULT 0,\n"
	"  duplicate_of TEXT, ticket_id TEXT,\n"
	"  batch_id INTEGER REFERENCES batches(id), updated_at TEXT);\n",
	IDX_CASES_REPORTED_AT, IDX_CASES_STATE, IDX_CASES_CATEGORY, IDX_CASES_UNIT_V1,
	"CREATE TABLE case_events(\n"
	"  id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, step TEXT NOT NULL,\n"
	"  at TEXT NOT NULL, actor TEXT, unit TEXT, note TEXT, rule TEXT,\n"
	"  batch_id INTEGER REFERENCES batches(id));\n",
	IDX_CASE_EVENTS_CASE,
	"CREATE TABLE tickets(\n"
	"  id TEXT PRIMARY KEY NOT NULL, received_at TEXT, channel TEXT, type TEXT,\n"
	"  category TEXT, content TEXT, address TEXT, caller TEXT, phone TEXT,\n"
	"  urgent INTEGER NOT NULL DEFAULT 0, unit TEXT, status TEXT, due_at TEXT,\n"
	"  signed_at TEXT, done_at TEXT, reply TEXT, result TEXT, satisfaction TEXT,\n"
	"  revisited_at TEXT, case_id TEXT, first_batch INTEGER, last_changed_batch INTEGER,\n"
	"  content_hash TEXT, updated_at TEXT);\n",
	"CREATE INDEX tickets_received_at ON tickets(received_at);\n",
	"CREATE TABLE ticket_changes(\n"
	"  ticket_id TEXT NOT NULL, batch_id INTEGER NOT NULL, field TEXT NOT NULL,\n"
	"  old TEXT, new TEXT);\n",
	"CREATE INDEX ticket_changes_ticket ON ticket_changes(ticket_id);\n",
	"CREATE TABLE readings(\n"
	"  station TEXT NOT NULL, at TEXT NOT NULL, level_cm REAL, quality TEXT,\n"
	"  batch_id INTEGER, PRIMARY KEY(station, at)) WITHOUT ROWID;\n",
	"CREATE TABLE flood_alerts(\n"
	"  id INTEGER PRIMARY KEY, station TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('level','rise','stale','bad')),\n"
	"  level TEXT CHECK (level IS NULL OR level IN ('blue','yellow','orange','red')),\n"
	"  opened_at TEXT NOT NULL, closed_at TEXT, peak_cm REAL, peak_at TEXT,\n"
	"  last_notified_at TEXT);\n",
	"CREATE TABLE violations(\n"
	"  id INTEGER PRIMARY KEY, plate TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('speeding','off_route','zone','hours','gap')),\n"
	"  started_at TEXT NOT NULL, ended_at TEXT, duration_s INTEGER, max_speed_kmh REAL,\n"
	"  limit_kmh REAL, max_distance_m REAL, lat REAL, lon REAL, rule TEXT, detail TEXT,\n"
	"  batch_id INTEGER, UNIQUE(plate, kind, started_at));\n",
	"CREATE VIEW v_cases_zh AS SELECT id AS 案件编号, source AS 案件来源,\n"
	"  CASE kind WHEN 'component' THEN '部件' ELSE '事件' END AS 问题类型,\n"
	"  class_code AS 小类编码, big_class AS 大类, small_class AS 小类, category AS 类别,\n"
	"  description AS 问题描述, address AS 问题地址, district AS 区县, street AS 街道,\n"
	"  community AS 社区, grid AS 网格, lon AS 经度, lat AS 纬度, object_id AS 部件编号,\n"
	"  reporter AS 上报人, reported_at AS 上报时间, registered_at AS 立案时间,\n"
	"  dispatched_at AS 派遣时间, handled_at AS 处置时间, closed_at AS 结案时间,\n"
	"  due_at AS 处置时限,\n"
	"  CASE state WHEN 'reported' THEN '待受理' WHEN 'registered' THEN '已立案'\n"
	"    WHEN 'dispatched' THEN '已派遣' WHEN 'handling' THEN '处置中'\n"
	"    WHEN 'handled' THEN '已处置' WHEN 'closed' THEN '已结案'\n"
	"    WHEN 'parked' THEN '缓办' WHEN 'void' THEN '作废' END AS 案件状态,\n"
	"  unit AS 处置单位, self_disposed AS 自行处置, reworks AS 返工次数,\n"
	"  postponements AS 延期次数, duplicate_of AS 疑似重复, ticket_id AS 热线工单号\n"
	"FROM cases;\n",
	"CREATE VIEW v_monthly AS SELECT substr(reported_at, 1, 7) AS month, category,\n"
	"  count(*) AS received, sum(state = 'closed') AS closed\n"
	"FROM cases GROUP BY 1, 2;\n",
	NULL,
};

/* Version 2: the month a case was reported, as a key that case-stat's
 * monthly reports group and filter on through an index that covers them. */
static const char *const schema_v2[] = {
	"ALTER TABLE cases ADD COLUMN reported_month TEXT"
	" GENERATED ALWAYS AS (substr(reported_at, 1, 7)) VIRTUAL",
	IDX_CASES_MONTH_V2,
	NULL,
};

/* Version 3: case-stat's per-month facts (facts.c), a cache over cases.  The
 * triggers drop a month's facts in the same transaction as any write that
 * changes what they hold, so a month that is there is never stale.  With the
 * reports reading facts, cases_month need only find a month's cases: slim,
 * a dispatch no longer rewrites it.  A case gets its unit once: cases_unit
 * leaves out the cases without one, so a dispatch only adds an entry. */
static const char *const schema_v3[] = {
	"CREATE TABLE stat_months(\n"
	"  month TEXT PRIMARY KEY NOT NULL, built_at TEXT NOT NULL, facts BLOB NOT NULL);\n",
	TRG_CASES_STAT_INSERT, TRG_CASES_STAT_DELETE, TRG_CASES_STAT_UPDATE,
	"DROP INDEX cases_month", IDX_CASES_MONTH,
	"DROP INDEX cases_unit", IDX_CASES_UNIT,
	NULL,
};

static const char *const *const migrations[] = { schema_v1, schema_v2, schema_v3 };

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
	int rc;
	char now[TP_TEXT_LEN];

	rc = meta_get_int(d, "PRAGMA user_version", &ver);
	if (rc != SQLITE_OK)
		return db_fail(d, d->path);
	if (ver > DB_SCHEMA_VERSION) {
		msg_err("'%s' is a store of schema version %lld, newer than this "
			"cityops (%d): upgrade cityops", d->path, ver, DB_SCHEMA_VERSION);
		return EXIT_CONFIG;
	}
	if (ver == DB_SCHEMA_VERSION)
		return 0;
	if ((rc = db_begin(d)) != SQLITE_OK)
		return db_fail(d, d->path);
	/* another process may have migrated while we waited for the lock */
	if ((rc = meta_get_int(d, "PRAGMA user_version", &ver)) != SQLITE_OK)
		goto fail;
	if (ver > DB_SCHEMA_VERSION) {
		db_rollback(d);
		msg_err("'%s' is a store of schema version %lld, newer than this "
			"cityops (%d): upgrade cityops", d->path, ver, DB_SCHEMA_VERSION);
		return EXIT_CONFIG;
	}
	for (long long v = ver; v < DB_SCHEMA_VERSION; v++) {
		for (const char *const *q = migrations[v]; *q; q++)
			if ((rc = db_exec(d, *q)) != SQLITE_OK)
				goto fail;
	}
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
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", DB_SCHEMA_VERSION);
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

int db_open(struct db **out, const struct db_opts *o)
{
	struct db *d = xcalloc(1, sizeof *d);
	const char *path = db_default_path(o->path);
	int flags, rc, st;
	struct stat sb;

	*out = NULL;
	d->path = xstrdup(path);
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
	d->busy_ms = o->busy_ms > 0 ? o->busy_ms : 10000;
	sqlite3_busy_timeout(d->h, d->busy_ms);
	rc = db_exec(d, "PRAGMA foreign_keys = ON");
	if (rc == SQLITE_OK && !o->readonly) {
		rc = db_exec(d, "PRAGMA journal_mode = WAL");
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
		if (ver > DB_SCHEMA_VERSION) {
			msg_err("'%s' is a store of schema version %lld, newer than "
				"this cityops (%d): upgrade cityops", path, ver,
				DB_SCHEMA_VERSION);
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
