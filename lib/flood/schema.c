/*
 * schema.c - flood-check's tables (DESIGN §5), as migrations registered
 * with db (see db.h).
 */
#include "common.h"

#include "db.h"
#include "flood/flood.h"

static const char *const flood_v1[] = {
	"CREATE TABLE readings(\n"
	"  station TEXT NOT NULL, at TEXT NOT NULL, level_cm REAL, quality TEXT,\n"
	"  batch_id INTEGER, PRIMARY KEY(station, at)) WITHOUT ROWID;\n",
	"CREATE TABLE flood_alerts(\n"
	"  id INTEGER PRIMARY KEY, station TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('level','rise','stale','bad')),\n"
	"  level TEXT CHECK (level IS NULL OR level IN ('blue','yellow','orange','red')),\n"
	"  opened_at TEXT NOT NULL, closed_at TEXT, peak_cm REAL, peak_at TEXT,\n"
	"  last_notified_at TEXT);\n",
	NULL,
};

/*
 * Version 5: what evaluation between runs needs.
 * - readings.bad: NULL, or why the reading is implausible (negative, above
 *   max_cm, a jump); quality keeps what the source said (USGS A, P ...).
 * - flood_alerts: the batch that opened an alert and the level it opened at.
 * - flood_state: one row per station, the evaluation's state between cron
 *   runs (cron runs are separate processes): the newest reading evaluated,
 *   the last plausible one, the open alerts, the runs of readings at or
 *   above each level (for --min-duration), the streaks of bad readings.
 * - flood_events: every transition, with its message; notified_at stays
 *   NULL while an --exec hook has not taken it, so the next run retries.
 */
static const char *const flood_v5[] = {
	"ALTER TABLE readings ADD COLUMN bad TEXT;\n",
	"ALTER TABLE flood_alerts ADD COLUMN opened_cm REAL;\n",
	"ALTER TABLE flood_alerts ADD COLUMN batch_id INTEGER;\n",
	"CREATE INDEX flood_alerts_station ON flood_alerts(station, opened_at);\n",
	"CREATE INDEX flood_alerts_open ON flood_alerts(station) WHERE closed_at IS NULL;\n",
	"CREATE TABLE flood_state(\n"
	"  station TEXT PRIMARY KEY NOT NULL, last_at TEXT, good_at TEXT, good_cm REAL,\n"
	"  level INTEGER NOT NULL DEFAULT 0, level_alert INTEGER, rise_alert INTEGER,\n"
	"  stale_alert INTEGER, bad_alert INTEGER,\n"
	"  blue_n INTEGER NOT NULL DEFAULT 0, blue_from TEXT,\n"
	"  yellow_n INTEGER NOT NULL DEFAULT 0, yellow_from TEXT,\n"
	"  orange_n INTEGER NOT NULL DEFAULT 0, orange_from TEXT,\n"
	"  red_n INTEGER NOT NULL DEFAULT 0, red_from TEXT,\n"
	"  bad_n INTEGER NOT NULL DEFAULT 0, jump_n INTEGER NOT NULL DEFAULT 0,\n"
	"  jump_cm REAL, jump_at TEXT, batch_id INTEGER, updated_at TEXT);\n",
	"CREATE TABLE flood_events(\n"
	"  id INTEGER PRIMARY KEY, station TEXT NOT NULL,\n"
	"  event TEXT NOT NULL CHECK (event IN ('opened','escalated','deescalated',\n"
	"    'cleared','stale','back','rising','bad')),\n"
	"  level TEXT, level_cm REAL, at TEXT NOT NULL, rate_cm_per_h REAL,\n"
	"  message TEXT NOT NULL, alert_id INTEGER, batch_id INTEGER,\n"
	"  notified_at TEXT, hook_failures INTEGER NOT NULL DEFAULT 0);\n",
	"CREATE INDEX flood_events_batch ON flood_events(batch_id, station);\n",
	"CREATE INDEX flood_events_pending ON flood_events(id) WHERE notified_at IS NULL;\n",
	"CREATE VIEW v_flood_events_zh AS SELECT station AS 站点, event AS 事件,\n"
	"  level AS 预警等级, level_cm AS 积水cm, at AS 时间, rate_cm_per_h AS 涨速cm每小时,\n"
	"  message AS 通知内容, notified_at AS 通知时间 FROM flood_events;\n",
	NULL,
};

/*
 * Version 7: readings keyed by (at, station), time first.  Readings come in
 * time order, the stations interleaved: in this order each one is added at
 * the end of the table, where SQLite appends without a search, instead of
 * at the end of its station's range in the middle (a search from the root
 * for every reading, and half-full pages).  The columns and their order
 * stay.  What reads readings bounds the time (a window, a period): the
 * primary key finds the range, the station is a filter inside it.
 */
static const char *const flood_v7[] = {
	"CREATE TABLE readings_v7(\n"
	"  station TEXT NOT NULL, at TEXT NOT NULL, level_cm REAL, quality TEXT,\n"
	"  batch_id INTEGER, bad TEXT, PRIMARY KEY(at, station)) WITHOUT ROWID;\n",
	"INSERT INTO readings_v7(station, at, level_cm, quality, batch_id, bad)\n"
	"  SELECT station, at, level_cm, quality, batch_id, bad FROM readings\n"
	"  ORDER BY at, station;\n",
	"DROP TABLE readings;\n",
	"ALTER TABLE readings_v7 RENAME TO readings;\n",
	NULL,
};

static const struct db_migration flood_steps[] = {
	{ 1, flood_v1 }, { 5, flood_v5 }, { 7, flood_v7 },
};
const struct db_schema flood_schema = {
	"flood", flood_steps, ARRAY_SIZE(flood_steps),
};
