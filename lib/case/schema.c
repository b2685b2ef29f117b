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

/* What a bulk load into empty tables drops first and makes again after: the
 * secondary indexes of cases and case_events and the triggers that keep
 * stat_months, as (DROP sql, CREATE sql) pairs, NULL-terminated. */
const char *const *case_bulk_ddl(void)
{
	return bulk_ddl;
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

static const struct db_migration case_migrations[] = {
	{ 1, case_v1 }, { 2, case_v2 }, { 3, case_v3 },
};
const struct db_schema case_schema = { "case", case_migrations, ARRAY_SIZE(case_migrations) };

