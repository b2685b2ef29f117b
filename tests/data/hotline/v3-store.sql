PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta VALUES('timezone','+08:00');
INSERT INTO meta VALUES('created_at','2026-12-02 13:08:02');
INSERT INTO meta VALUES('created_by_version','0.1.0');
CREATE TABLE batches(
  id INTEGER PRIMARY KEY, tool TEXT NOT NULL, source TEXT,
  started_at TEXT NOT NULL, finished_at TEXT,
  rows_read INTEGER NOT NULL DEFAULT 0, rows_inserted INTEGER NOT NULL DEFAULT 0,
  rows_updated INTEGER NOT NULL DEFAULT 0, rows_unchanged INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'running');
INSERT INTO batches VALUES(1,'case-import','c.csv','2026-12-02 13:08:02','2026-12-02 13:08:02',2,2,0,0,0,'ok');
CREATE TABLE cases(
  id TEXT PRIMARY KEY NOT NULL, source TEXT,
  kind TEXT NOT NULL DEFAULT 'event' CHECK (kind IN ('component','event')),
  class_code TEXT, big_class TEXT, small_class TEXT,
  category TEXT GENERATED ALWAYS AS (CASE kind WHEN 'component' THEN '部件' ELSE big_class END) VIRTUAL,
  description TEXT, address TEXT, district TEXT, street TEXT, community TEXT, grid TEXT,
  lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180),
  lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
  object_id TEXT, reporter TEXT,
  reported_at TEXT NOT NULL, registered_at TEXT, dispatched_at TEXT,
  handled_at TEXT, closed_at TEXT, due_at TEXT,
  state TEXT NOT NULL CHECK (state IN ('reported','registered','dispatched','handling','handled','closed','parked','void')),
  unit TEXT, self_disposed INTEGER NOT NULL DEFAULT 0 CHECK (self_disposed IN (0,1)),
  reworks INTEGER NOT NULL DEFAULT 0, postponements INTEGER NOT NULL DEFAULT 0,
  duplicate_of TEXT, ticket_id TEXT,
  batch_id INTEGER REFERENCES batches(id), updated_at TEXT, reported_month TEXT GENERATED ALWAYS AS (substr(reported_at, 1, 7)) VIRTUAL);
INSERT INTO cases VALUES('C1',NULL,'event',NULL,NULL,NULL,'井盖破损',NULL,NULL,'琴台街道',NULL,NULL,NULL,NULL,NULL,NULL,'2023-05-01 09:00:00',NULL,NULL,NULL,NULL,NULL,'registered',NULL,0,0,0,NULL,NULL,1,'2026-12-02 13:08:02');
INSERT INTO cases VALUES('C2',NULL,'event',NULL,NULL,NULL,'占道经营',NULL,NULL,'汇源街道',NULL,NULL,NULL,NULL,NULL,NULL,'2023-05-02 10:00:00',NULL,NULL,NULL,NULL,NULL,'closed',NULL,0,0,0,NULL,NULL,1,'2026-12-02 13:08:02');
CREATE TABLE case_events(
  id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, step TEXT NOT NULL,
  at TEXT NOT NULL, actor TEXT, unit TEXT, note TEXT, rule TEXT,
  batch_id INTEGER REFERENCES batches(id));
INSERT INTO case_events VALUES(1,'C1','report','2023-05-01 09:00:00',NULL,NULL,NULL,NULL,1);
INSERT INTO case_events VALUES(2,'C2','report','2023-05-02 10:00:00',NULL,NULL,NULL,NULL,1);
CREATE TABLE tickets(
  id TEXT PRIMARY KEY NOT NULL, received_at TEXT, channel TEXT, type TEXT,
  category TEXT, content TEXT, address TEXT, caller TEXT, phone TEXT,
  urgent INTEGER NOT NULL DEFAULT 0, unit TEXT, status TEXT, due_at TEXT,
  signed_at TEXT, done_at TEXT, reply TEXT, result TEXT, satisfaction TEXT,
  revisited_at TEXT, case_id TEXT, first_batch INTEGER, last_changed_batch INTEGER,
  content_hash TEXT, updated_at TEXT);
CREATE TABLE ticket_changes(
  ticket_id TEXT NOT NULL, batch_id INTEGER NOT NULL, field TEXT NOT NULL,
  old TEXT, new TEXT);
CREATE TABLE readings(
  station TEXT NOT NULL, at TEXT NOT NULL, level_cm REAL, quality TEXT,
  batch_id INTEGER, PRIMARY KEY(station, at)) WITHOUT ROWID;
CREATE TABLE flood_alerts(
  id INTEGER PRIMARY KEY, station TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('level','rise','stale','bad')),
  level TEXT CHECK (level IS NULL OR level IN ('blue','yellow','orange','red')),
  opened_at TEXT NOT NULL, closed_at TEXT, peak_cm REAL, peak_at TEXT,
  last_notified_at TEXT);
CREATE TABLE violations(
  id INTEGER PRIMARY KEY, plate TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('speeding','off_route','zone','hours','gap')),
  started_at TEXT NOT NULL, ended_at TEXT, duration_s INTEGER, max_speed_kmh REAL,
  limit_kmh REAL, max_distance_m REAL, lat REAL, lon REAL, rule TEXT, detail TEXT,
  batch_id INTEGER, UNIQUE(plate, kind, started_at));
CREATE TABLE stat_months(
  month TEXT PRIMARY KEY NOT NULL, built_at TEXT NOT NULL, facts BLOB NOT NULL);
CREATE VIEW v_cases_zh AS SELECT id AS 案件编号, source AS 案件来源,
  CASE kind WHEN 'component' THEN '部件' ELSE '事件' END AS 问题类型,
  class_code AS 小类编码, big_class AS 大类, small_class AS 小类, category AS 类别,
  description AS 问题描述, address AS 问题地址, district AS 区县, street AS 街道,
  community AS 社区, grid AS 网格, lon AS 经度, lat AS 纬度, object_id AS 部件编号,
  reporter AS 上报人, reported_at AS 上报时间, registered_at AS 立案时间,
  dispatched_at AS 派遣时间, handled_at AS 处置时间, closed_at AS 结案时间,
  due_at AS 处置时限,
  CASE state WHEN 'reported' THEN '待受理' WHEN 'registered' THEN '已立案'
    WHEN 'dispatched' THEN '已派遣' WHEN 'handling' THEN '处置中'
    WHEN 'handled' THEN '已处置' WHEN 'closed' THEN '已结案'
    WHEN 'parked' THEN '缓办' WHEN 'void' THEN '作废' END AS 案件状态,
  unit AS 处置单位, self_disposed AS 自行处置, reworks AS 返工次数,
  postponements AS 延期次数, duplicate_of AS 疑似重复, ticket_id AS 热线工单号
FROM cases;
CREATE VIEW v_monthly AS SELECT substr(reported_at, 1, 7) AS month, category,
  count(*) AS received, sum(state = 'closed') AS closed
FROM cases GROUP BY 1, 2;
CREATE INDEX tickets_received_at ON tickets(received_at);
CREATE INDEX ticket_changes_ticket ON ticket_changes(ticket_id);
CREATE INDEX cases_reported_at ON cases(reported_at);
CREATE INDEX cases_state ON cases(state);
CREATE INDEX cases_category ON cases(category, reported_at);
CREATE INDEX cases_unit ON cases(unit) WHERE unit IS NOT NULL;
CREATE INDEX case_events_case ON case_events(case_id, at);
CREATE INDEX cases_month ON cases(reported_month, category);
CREATE TRIGGER cases_stat_insert AFTER INSERT ON cases BEGIN
  DELETE FROM stat_months WHERE month = NEW.reported_month;
END;
CREATE TRIGGER cases_stat_delete AFTER DELETE ON cases BEGIN
  DELETE FROM stat_months WHERE month = OLD.reported_month;
END;
CREATE TRIGGER cases_stat_update AFTER UPDATE OF kind, big_class, reported_at,
  registered_at, dispatched_at, handled_at, closed_at, due_at, state,
  self_disposed, reworks, postponements ON cases BEGIN
  DELETE FROM stat_months WHERE month IN (OLD.reported_month, NEW.reported_month);
END;
COMMIT;
PRAGMA user_version = 3;
