/*
 * schema.c - the case loop's tables, views, indexes and triggers (DESIGN §5),
 * as migrations registered with db (see db.h).
 */
#include "common.h"

#include "db.h"
#include "case/case.h"

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
#define IDX_CASES_PENDING "CREATE INDEX cases_pending ON cases(state) WHERE unit IS NULL"
#define IDX_CASES_OPEN \
	"CREATE INDEX cases_open ON cases(due_at) WHERE " CASE_STATE_OPEN_SQL
#define IDX_CASE_EVENT_LOG "CREATE INDEX case_event_log_case ON case_event_log(case_id, at)"

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

#define VIEW_CASES_ZH \
	"CREATE VIEW v_cases_zh AS SELECT id AS 案件编号, source AS 案件来源,\n" \
	"  CASE kind WHEN 'component' THEN '部件' ELSE '事件' END AS 问题类型,\n" \
	"  class_code AS 小类编码, big_class AS 大类, small_class AS 小类, category AS 类别,\n" \
	"  description AS 问题描述, address AS 问题地址, district AS 区县, street AS 街道,\n" \
	"  community AS 社区, grid AS 网格, lon AS 经度, lat AS 纬度, object_id AS 部件编号,\n" \
	"  reporter AS 上报人, reported_at AS 上报时间, registered_at AS 立案时间,\n" \
	"  dispatched_at AS 派遣时间, handled_at AS 处置时间, closed_at AS 结案时间,\n" \
	"  due_at AS 处置时限,\n" \
	"  CASE state WHEN 'reported' THEN '待受理' WHEN 'registered' THEN '已立案'\n" \
	"    WHEN 'dispatched' THEN '已派遣' WHEN 'handling' THEN '处置中'\n" \
	"    WHEN 'handled' THEN '已处置' WHEN 'closed' THEN '已结案'\n" \
	"    WHEN 'parked' THEN '缓办' WHEN 'void' THEN '作废' END AS 案件状态,\n" \
	"  unit AS 处置单位, self_disposed AS 自行处置, reworks AS 返工次数,\n" \
	"  postponements AS 延期次数, duplicate_of AS 疑似重复, ticket_id AS 热线工单号\n" \
	"FROM cases;\n"

#define VIEW_MONTHLY \
	"CREATE VIEW v_monthly AS SELECT substr(reported_at, 1, 7) AS month, category,\n" \
	"  count(*) AS received, sum(state = 'closed') AS closed\n" \
	"FROM cases GROUP BY 1, 2;\n"

/* The triggers a load drops and makes again after it (see case_load_ddl). */
static const char *const load_ddl[] = {
	"DROP TRIGGER cases_stat_insert", TRG_CASES_STAT_INSERT,
	"DROP TRIGGER cases_stat_delete", TRG_CASES_STAT_DELETE,
	"DROP TRIGGER cases_stat_update", TRG_CASES_STAT_UPDATE,
	NULL,
};

/* What a load drops first and makes again after, in its transaction: the
 * triggers that keep stat_months, as (DROP sql, CREATE sql) pairs,
 * NULL-terminated.  The indexes stay: each takes a time-ordered load's rows
 * at its end (reported_at, the id's) or takes few (the partial ones). */
const char *const *case_load_ddl(void)
{
	return load_ddl;
}

/* Version 1: cases and their events (DESIGN §5), and the views for people. */
static const char *const case_v1[] = {
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
	VIEW_CASES_ZH,
	VIEW_MONTHLY,
	NULL,
};

/* Version 2: the month a case was reported, as a key that case-stat's
 * monthly reports group and filter on through an index that covers them. */
static const char *const case_v2[] = {
	"ALTER TABLE cases ADD COLUMN reported_month TEXT"
	" GENERATED ALWAYS AS (substr(reported_at, 1, 7)) VIRTUAL",
	IDX_CASES_MONTH_V2,
	NULL,
};

/* Version 3: case-stat's per-month facts (case/facts.c), a cache over cases.  The
 * triggers drop a month's facts in the same transaction as any write that
 * changes what they hold, so a month that is there is never stale.  With the
 * reports reading facts, cases_month need only find a month's cases: slim,
 * a dispatch no longer rewrites it.  A case gets its unit once: cases_unit
 * leaves out the cases without one, so a dispatch only adds an entry. */
static const char *const case_v3[] = {
	"CREATE TABLE stat_months(\n"
	"  month TEXT PRIMARY KEY NOT NULL, built_at TEXT NOT NULL, facts BLOB NOT NULL);\n",
	TRG_CASES_STAT_INSERT, TRG_CASES_STAT_DELETE, TRG_CASES_STAT_UPDATE,
	"DROP INDEX cases_month", IDX_CASES_MONTH,
	"DROP INDEX cases_unit", IDX_CASES_UNIT,
	NULL,
};

/*
 * Version 8: a bulk load that writes each fact once (issue 14).  (Version
 * 7 is flood-check's: the store's one user_version is shared.)
 *
 * The steps an import records are the case's own times: a case row says in
 * ev_steps which of them (a bit each: 1 report, 2 register, 4 dispatch,
 * 8 handle, 16 close) are events of the import that made it, in ev_first
 * the id of the first and in ev_batch that import's batch.  case_events is
 * a view: those steps, read from the row, and the steps the tools append
 * (dispatch, sign, rework, postpone ...), kept in case_event_log; the same
 * columns, ids and order as the table it replaces.  Inserting into the view
 * appends to the log.  When a row's imported step would read differently
 * (its time, unit or closing kind changes, or the case is deleted), the
 * steps are first copied to the log as they were, ids kept.  AUTOINCREMENT
 * on the log: the import takes the ids of the steps it records from
 * sqlite_sequence and moves it past them, so that a later event's id is
 * always larger.
 *
 * The state CHECK is an OR chain: an IN list of eight builds a lookup table
 * on every insert (a fifth of the insert's time).  The indexes are those a
 * query plan uses: reported_at (a time range), cases_month (a month's
 * cases; dropped in version 9), cases_pending (route --pending: registered cases with no unit)
 * and cases_open (route --overdue: open cases by deadline), the last two
 * partial; cases_state, cases_category and cases_unit served no query.
 * cases is rebuilt for the CHECK (its rows and rowids copied), the event
 * table copied into the log.
 */
#define CASES_V8 \
	"CREATE TABLE cases_v8(\n" \
	"  id TEXT PRIMARY KEY NOT NULL, source TEXT,\n" \
	"  kind TEXT NOT NULL DEFAULT 'event' CHECK (kind IN ('component','event')),\n" \
	"  class_code TEXT, big_class TEXT, small_class TEXT,\n" \
	"  category TEXT GENERATED ALWAYS AS (CASE kind WHEN 'component' THEN '部件' ELSE big_class END) VIRTUAL,\n" \
	"  description TEXT, address TEXT, district TEXT, street TEXT, community TEXT, grid TEXT,\n" \
	"  lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180),\n" \
	"  lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),\n" \
	"  object_id TEXT, reporter TEXT,\n" \
	"  reported_at TEXT NOT NULL, registered_at TEXT, dispatched_at TEXT,\n" \
	"  handled_at TEXT, closed_at TEXT, due_at TEXT,\n" \
	"  state TEXT NOT NULL CHECK (state = 'closed' OR state = 'registered' OR\n" \
	"    state = 'dispatched' OR state = 'handling' OR state = 'handled' OR\n" \
	"    state = 'reported' OR state = 'parked' OR state = 'void'),\n" \
	"  unit TEXT, self_disposed INTEGER NOT NULL DEFAULT 0 CHECK (self_disposed IN (0,1)),\n" \
	"  reworks INTEGER NOT NULL DEFAULT 0, postponements INTEGER NOT NULL DEFAULT 0,\n" \
	"  duplicate_of TEXT, ticket_id TEXT,\n" \
	"  batch_id INTEGER REFERENCES batches(id), updated_at TEXT,\n" \
	"  reported_month TEXT GENERATED ALWAYS AS (substr(reported_at, 1, 7)) VIRTUAL,\n" \
	"  ev_first INTEGER, ev_steps INTEGER NOT NULL DEFAULT 0, ev_batch INTEGER);\n"

#define CASES_V6_COLUMNS \
	"rowid, id, source, kind, class_code, big_class, small_class, description," \
	" address, district, street, community, grid, lon, lat, object_id, reporter," \
	" reported_at, registered_at, dispatched_at, handled_at, closed_at, due_at," \
	" state, unit, self_disposed, reworks, postponements, duplicate_of, ticket_id," \
	" batch_id, updated_at"

#define EVENT_COLUMNS "id, case_id, step, at, actor, unit, note, rule, batch_id"

/* The five steps an import records, as a table s(k, bit, below, step):
 * below is the bits of the steps before it. */
#define IMPORT_STEPS \
	"(SELECT 0 AS k, 1 AS bit, 0 AS below, 'report' AS step\n" \
	"  UNION ALL SELECT 1, 2, 1, 'register' UNION ALL SELECT 2, 4, 3, 'dispatch'\n" \
	"  UNION ALL SELECT 3, 8, 7, 'handle' UNION ALL SELECT 4, 16, 15, 'close') AS s"

/* The event of step s of case row r (c, or OLD in a trigger), as
 * EVENT_COLUMNS: its id is ev_first plus the imported steps before it. */
#define IMPORTED_EVENT(r) \
	r ".ev_first + (" r ".ev_steps & s.below & 1) + ((" r ".ev_steps & s.below) >> 1 & 1)\n" \
	"    + ((" r ".ev_steps & s.below) >> 2 & 1) + ((" r ".ev_steps & s.below) >> 3 & 1),\n" \
	"  " r ".id, CASE WHEN s.k = 4 AND " r ".self_disposed THEN 'self_dispose' ELSE s.step END,\n" \
	"  CASE s.k WHEN 0 THEN " r ".reported_at WHEN 1 THEN " r ".registered_at\n" \
	"    WHEN 2 THEN " r ".dispatched_at WHEN 3 THEN " r ".handled_at ELSE " r ".closed_at END,\n" \
	"  NULL, CASE s.k WHEN 2 THEN " r ".unit END, NULL, NULL, " r ".ev_batch\n"

/* Copy the imported steps of case id to the log, ids kept, and take them
 * off its row. */
#define KEEP_IMPORTED(id) \
	"  INSERT INTO case_event_log(" EVENT_COLUMNS ")\n" \
	"  SELECT " IMPORTED_EVENT("c") "  FROM cases AS c CROSS JOIN " IMPORT_STEPS "\n" \
	"  WHERE c.id = " id " AND c.ev_steps & s.bit;\n" \
	"  UPDATE cases SET ev_first = NULL, ev_steps = 0, ev_batch = NULL\n" \
	"  WHERE id = " id " AND ev_steps <> 0;\n"

#define KEEP_OLD \
	"  INSERT INTO case_event_log(" EVENT_COLUMNS ")\n" \
	"  SELECT " IMPORTED_EVENT("OLD") "  FROM " IMPORT_STEPS " WHERE OLD.ev_steps & s.bit;\n"

static const char *const case_v8[] = {
	"DROP VIEW v_cases_zh", "DROP VIEW v_monthly",
	CASES_V8,
	"INSERT INTO cases_v8(" CASES_V6_COLUMNS ") SELECT " CASES_V6_COLUMNS " FROM cases",
	"DROP TABLE cases",
	"ALTER TABLE cases_v8 RENAME TO cases",
	IDX_CASES_REPORTED_AT, IDX_CASES_MONTH, IDX_CASES_PENDING, IDX_CASES_OPEN,
	TRG_CASES_STAT_INSERT, TRG_CASES_STAT_DELETE, TRG_CASES_STAT_UPDATE,
	"CREATE TABLE case_event_log(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, step TEXT NOT NULL,\n"
	"  at TEXT NOT NULL, actor TEXT, unit TEXT, note TEXT, rule TEXT,\n"
	"  batch_id INTEGER REFERENCES batches(id));\n",
	"INSERT INTO case_event_log(" EVENT_COLUMNS ") SELECT " EVENT_COLUMNS
	" FROM case_events ORDER BY id",
	"DROP TABLE case_events",
	IDX_CASE_EVENT_LOG,
	"CREATE VIEW case_events(" EVENT_COLUMNS ") AS\n"
	"SELECT " IMPORTED_EVENT("c")
	"FROM cases AS c CROSS JOIN " IMPORT_STEPS " WHERE c.ev_steps & s.bit\n"
	"UNION ALL SELECT " EVENT_COLUMNS " FROM case_event_log ORDER BY 1;\n",
	"CREATE TRIGGER case_events_insert INSTEAD OF INSERT ON case_events BEGIN\n"
	"  INSERT INTO case_event_log(" EVENT_COLUMNS ") VALUES (NEW.id, NEW.case_id,\n"
	"    NEW.step, NEW.at, NEW.actor, NEW.unit, NEW.note, NEW.rule, NEW.batch_id);\nEND",
	"CREATE TRIGGER case_events_delete INSTEAD OF DELETE ON case_events BEGIN\n"
	KEEP_IMPORTED("OLD.case_id")
	"  DELETE FROM case_event_log WHERE id = OLD.id;\nEND",
	"CREATE TRIGGER case_events_update INSTEAD OF UPDATE ON case_events BEGIN\n"
	KEEP_IMPORTED("OLD.case_id")
	"  UPDATE case_event_log SET id = NEW.id, case_id = NEW.case_id, step = NEW.step,\n"
	"    at = NEW.at, actor = NEW.actor, unit = NEW.unit, note = NEW.note,\n"
	"    rule = NEW.rule, batch_id = NEW.batch_id WHERE id = OLD.id;\nEND",
	"CREATE TRIGGER cases_keep_imported AFTER UPDATE OF id, reported_at, registered_at,\n"
	"  dispatched_at, handled_at, closed_at, unit, self_disposed ON cases\n"
	"  WHEN OLD.ev_steps <> 0 AND (NEW.id IS NOT OLD.id\n"
	"    OR (OLD.ev_steps & 1 AND NEW.reported_at IS NOT OLD.reported_at)\n"
	"    OR (OLD.ev_steps & 2 AND NEW.registered_at IS NOT OLD.registered_at)\n"
	"    OR (OLD.ev_steps & 4 AND (NEW.dispatched_at IS NOT OLD.dispatched_at\n"
	"        OR NEW.unit IS NOT OLD.unit))\n"
	"    OR (OLD.ev_steps & 8 AND NEW.handled_at IS NOT OLD.handled_at)\n"
	"    OR (OLD.ev_steps & 16 AND (NEW.closed_at IS NOT OLD.closed_at\n"
	"        OR NEW.self_disposed IS NOT OLD.self_disposed))) BEGIN\n"
	KEEP_OLD
	"  UPDATE cases SET ev_first = NULL, ev_steps = 0, ev_batch = NULL WHERE rowid = NEW.rowid;\nEND",
	"CREATE TRIGGER cases_keep_imported_deleted AFTER DELETE ON cases\n"
	"  WHEN OLD.ev_steps <> 0 BEGIN\n"
	KEEP_OLD
	"END",
	VIEW_CASES_ZH, VIEW_MONTHLY,
	NULL,
};

/*
 * Version 9: no cases_month.  A month's cases are a range of reported_at
 * (substr(reported_at, 1, 7) = '2023-03' is reported_at >= '2023-03' AND
 * reported_at < '2023-04', for any text), which cases_reported_at finds.
 * cases_month took a load's rows in the middle (by category within the
 * month): into a store holding a year, 1,000,000 cases loaded in 4.0 s
 * without it and 4.8 s with it, its pages split and written twice in WAL.
 */
static const char *const case_v9[] = {
	"DROP INDEX cases_month",
	NULL,
};

static const struct db_migration case_migrations[] = {
	{ 1, case_v1 }, { 2, case_v2 }, { 3, case_v3 }, { 8, case_v8 }, { 9, case_v9 },
};
const struct db_schema case_schema = { "case", case_migrations, ARRAY_SIZE(case_migrations) };

