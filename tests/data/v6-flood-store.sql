PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta VALUES('timezone','+08:00');
INSERT INTO meta VALUES('created_at','2026-12-02 13:41:38');
INSERT INTO meta VALUES('created_by_version','0.1.0');
CREATE TABLE batches(
  id INTEGER PRIMARY KEY, tool TEXT NOT NULL, source TEXT,
  started_at TEXT NOT NULL, finished_at TEXT,
  rows_read INTEGER NOT NULL DEFAULT 0, rows_inserted INTEGER NOT NULL DEFAULT 0,
  rows_updated INTEGER NOT NULL DEFAULT 0, rows_unchanged INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'running');
INSERT INTO batches VALUES(1,'flood-check','v6in.csv','2026-12-02 13:41:38','2026-12-02 13:41:38',17,17,0,0,0,'ok');
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
CREATE TABLE case_events(
  id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, step TEXT NOT NULL,
  at TEXT NOT NULL, actor TEXT, unit TEXT, note TEXT, rule TEXT,
  batch_id INTEGER REFERENCES batches(id));
CREATE TABLE tickets(
  id TEXT PRIMARY KEY NOT NULL, received_at TEXT, channel TEXT, type TEXT,
  category TEXT, content TEXT, address TEXT, caller TEXT, phone TEXT,
  urgent INTEGER NOT NULL DEFAULT 0, unit TEXT, status TEXT, due_at TEXT,
  signed_at TEXT, done_at TEXT, reply TEXT, result TEXT, satisfaction TEXT,
  revisited_at TEXT, case_id TEXT, first_batch INTEGER, last_changed_batch INTEGER,
  content_hash TEXT, updated_at TEXT, title TEXT, lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90), lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180), due_rule TEXT, alert TEXT CHECK (alert IS NULL OR alert IN ('due_soon','overdue')), done_batch INTEGER);
CREATE TABLE ticket_changes(
  ticket_id TEXT NOT NULL, batch_id INTEGER NOT NULL, field TEXT NOT NULL,
  old TEXT, new TEXT);
CREATE TABLE readings(
  station TEXT NOT NULL, at TEXT NOT NULL, level_cm REAL, quality TEXT,
  batch_id INTEGER, bad TEXT, PRIMARY KEY(station, at)) WITHOUT ROWID;
INSERT INTO readings VALUES('FX01','2023-07-20 14:00:00',2.0,'A',1,NULL);
INSERT INTO readings VALUES('FX01','2023-07-20 14:01:00',2.0,'A',1,NULL);
INSERT INTO readings VALUES('FX01','2023-07-20 14:02:00',2.0,'A',1,NULL);
INSERT INTO readings VALUES('FX01','2023-07-20 14:03:00',2.0,'A',1,NULL);
INSERT INTO readings VALUES('FX01','2023-07-20 14:04:00',2.0,'A',1,NULL);
INSERT INTO readings VALUES('FX01','2023-07-20 14:05:00',2.0,'A',1,NULL);
INSERT INTO readings VALUES('FX01','2023-07-20 14:06:00',250.0,'P',1,'jump');
INSERT INTO readings VALUES('FX01','2023-07-20 14:07:00',-4.0,NULL,1,'negative');
INSERT INTO readings VALUES('FX09','2023-07-20 14:00:00',0.0,NULL,1,NULL);
INSERT INTO readings VALUES('FX09','2023-07-20 14:02:00',5.0,NULL,1,NULL);
INSERT INTO readings VALUES('FX09','2023-07-20 14:04:00',12.0,NULL,1,NULL);
INSERT INTO readings VALUES('FX09','2023-07-20 14:06:00',14.0,NULL,1,NULL);
INSERT INTO readings VALUES('FX09','2023-07-20 14:08:00',18.0,NULL,1,NULL);
INSERT INTO readings VALUES('FX09','2023-07-20 14:10:00',21.0,NULL,1,NULL);
INSERT INTO readings VALUES('FX09','2023-07-20 14:12:00',24.0,NULL,1,NULL);
INSERT INTO readings VALUES('FX09','2023-07-20 14:14:00',26.0,NULL,1,NULL);
INSERT INTO readings VALUES('FX09','2023-07-20 14:16:00',29.0,NULL,1,NULL);
CREATE TABLE flood_alerts(
  id INTEGER PRIMARY KEY, station TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('level','rise','stale','bad')),
  level TEXT CHECK (level IS NULL OR level IN ('blue','yellow','orange','red')),
  opened_at TEXT NOT NULL, closed_at TEXT, peak_cm REAL, peak_at TEXT,
  last_notified_at TEXT, opened_cm REAL, batch_id INTEGER);
INSERT INTO flood_alerts VALUES(1,'FX09','level','orange','2023-07-20 14:06:00',NULL,29.0,'2023-07-20 14:16:00',NULL,14.0,1);
INSERT INTO flood_alerts VALUES(2,'FX09','rise',NULL,'2023-07-20 14:10:00',NULL,21.0,'2023-07-20 14:10:00',NULL,21.0,1);
CREATE TABLE violations(
  id INTEGER PRIMARY KEY, plate TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('speeding','off_route','zone','hours','gap')),
  started_at TEXT NOT NULL, ended_at TEXT, duration_s INTEGER, max_speed_kmh REAL,
  limit_kmh REAL, max_distance_m REAL, lat REAL, lon REAL, rule TEXT, detail TEXT,
  batch_id INTEGER, mean_speed_kmh REAL, limit_source TEXT, distance_m REAL, fixes INTEGER, company TEXT, vehicle_kind TEXT, UNIQUE(plate, kind, started_at));
CREATE TABLE stat_months(
  month TEXT PRIMARY KEY NOT NULL, built_at TEXT NOT NULL, facts BLOB NOT NULL);
CREATE TABLE ticket_reply_runs(
  batch_id INTEGER PRIMARY KEY REFERENCES batches(id), at TEXT NOT NULL,
  file TEXT, tickets INTEGER NOT NULL DEFAULT 0);
CREATE TABLE flood_state(
  station TEXT PRIMARY KEY NOT NULL, last_at TEXT, good_at TEXT, good_cm REAL,
  level INTEGER NOT NULL DEFAULT 0, level_alert INTEGER, rise_alert INTEGER,
  stale_alert INTEGER, bad_alert INTEGER,
  blue_n INTEGER NOT NULL DEFAULT 0, blue_from TEXT,
  yellow_n INTEGER NOT NULL DEFAULT 0, yellow_from TEXT,
  orange_n INTEGER NOT NULL DEFAULT 0, orange_from TEXT,
  red_n INTEGER NOT NULL DEFAULT 0, red_from TEXT,
  bad_n INTEGER NOT NULL DEFAULT 0, jump_n INTEGER NOT NULL DEFAULT 0,
  jump_cm REAL, jump_at TEXT, batch_id INTEGER, updated_at TEXT);
INSERT INTO flood_state VALUES('FX01','2023-07-20 14:07:00','2023-07-20 14:05:00',2.0,0,NULL,NULL,NULL,NULL,0,NULL,0,NULL,0,NULL,0,NULL,2,1,250.0,'2023-07-20 14:06:00',1,'2026-12-02 13:41:38');
INSERT INTO flood_state VALUES('FX09','2023-07-20 14:16:00','2023-07-20 14:16:00',29.0,3,1,2,NULL,NULL,7,'2023-07-20 14:04:00',4,'2023-07-20 14:10:00',2,'2023-07-20 14:14:00',0,NULL,0,0,NULL,NULL,1,'2026-12-02 13:41:38');
CREATE TABLE flood_events(
  id INTEGER PRIMARY KEY, station TEXT NOT NULL,
  event TEXT NOT NULL CHECK (event IN ('opened','escalated','deescalated',
    'cleared','stale','back','rising','bad')),
  level TEXT, level_cm REAL, at TEXT NOT NULL, rate_cm_per_h REAL,
  message TEXT NOT NULL, alert_id INTEGER, batch_id INTEGER,
  notified_at TEXT, hook_failures INTEGER NOT NULL DEFAULT 0);
INSERT INTO flood_events VALUES(1,'FX09','opened','blue',14.0,'2023-07-20 14:06:00',NULL,'向阳路城壕桥西侧 积水 14 cm（蓝色预警，超过 10 cm），请加强巡查',1,1,'2026-12-02 13:41:38',0);
INSERT INTO flood_events VALUES(2,'FX09','rising','blue',21.0,'2023-07-20 14:10:00',125.142857142857153,'向阳路城壕桥西侧 积水 21 cm，水位快速上涨（每小时 125 cm），请提前做好封闭准备',2,1,'2026-12-02 13:41:38',0);
INSERT INTO flood_events VALUES(3,'FX09','escalated','yellow',24.0,'2023-07-20 14:12:00',117.85714285714284699,'向阳路城壕桥西侧 积水 24 cm（黄色预警，超过 20 cm），10 分钟上涨 20 cm，请做好封闭交通准备',1,1,'2026-12-02 13:41:38',0);
INSERT INTO flood_events VALUES(4,'FX09','escalated','orange',29.0,'2023-07-20 14:16:00',105.0,'向阳路城壕桥西侧 积水 29 cm（橙色预警，超过 25 cm 封闭线），10 分钟上涨 18 cm，请立即封闭交通并派员值守',1,1,'2026-12-02 13:41:38',0);
CREATE INDEX cases_reported_at ON cases(reported_at);
CREATE INDEX cases_state ON cases(state);
CREATE INDEX cases_category ON cases(category, reported_at);
CREATE INDEX case_events_case ON case_events(case_id, at);
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
CREATE INDEX cases_month ON cases(reported_month, category);
CREATE INDEX cases_unit ON cases(unit) WHERE unit IS NOT NULL;
CREATE INDEX tickets_watch ON tickets(due_at)
  WHERE status NOT IN ('done','revisited') AND due_at IS NOT NULL AND alert IS NOT 'overdue';
CREATE INDEX tickets_done_batch ON tickets(done_batch) WHERE done_batch IS NOT NULL;
CREATE INDEX tickets_id_hash ON tickets(id, content_hash);
CREATE INDEX ticket_changes_batch ON ticket_changes(batch_id);
CREATE VIEW v_tickets_zh AS SELECT id AS 工单编号, received_at AS 受理时间,
  channel AS 受理渠道, type AS 诉求类型, category AS 诉求分类, title AS 诉求标题,
  content AS 诉求内容, address AS 诉求地址, caller AS 来电人, phone AS 来电号码,
  CASE urgent WHEN 1 THEN '紧急' ELSE '一般' END AS 紧急程度, unit AS 承办单位,
  due_at AS 办理时限,
  CASE status WHEN 'received' THEN '待签收' WHEN 'signed' THEN '已签收'
    WHEN 'handling' THEN '办理中' WHEN 'postponed' THEN '延期'
    WHEN 'returned' THEN '已退回' WHEN 'done' THEN '已办结'
    WHEN 'revisited' THEN '已回访' END AS 办理状态,
  signed_at AS 签收时间, done_at AS 办结时间, reply AS 答复内容, result AS 办理结果,
  CASE satisfaction WHEN 'very_satisfied' THEN '非常满意' WHEN 'satisfied' THEN '满意'
    WHEN 'basically_satisfied' THEN '基本满意' WHEN 'dissatisfied' THEN '不满意'
  END AS 满意度, revisited_at AS 回访时间, case_id AS 案件编号
FROM tickets;
CREATE INDEX flood_alerts_station ON flood_alerts(station, opened_at);
CREATE INDEX flood_alerts_open ON flood_alerts(station) WHERE closed_at IS NULL;
CREATE INDEX flood_events_batch ON flood_events(batch_id, station);
CREATE INDEX flood_events_pending ON flood_events(id) WHERE notified_at IS NULL;
CREATE VIEW v_flood_events_zh AS SELECT station AS 站点, event AS 事件,
  level AS 预警等级, level_cm AS 积水cm, at AS 时间, rate_cm_per_h AS 涨速cm每小时,
  message AS 通知内容, notified_at AS 通知时间 FROM flood_events;
CREATE INDEX violations_started ON violations(started_at);
CREATE INDEX violations_batch ON violations(batch_id);
COMMIT;
PRAGMA user_version = 6;
