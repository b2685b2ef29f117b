/*
 * schema.c - gps-audit's tables (DESIGN §5), as migrations registered
 * with db (see db.h).
 */
#include "common.h"

#include "db.h"
#include "gps/gps.h"

static const char *const gps_v1[] = {
	"CREATE TABLE violations(\n"
	"  id INTEGER PRIMARY KEY, plate TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('speeding','off_route','zone','hours','gap')),\n"
	"  started_at TEXT NOT NULL, ended_at TEXT, duration_s INTEGER, max_speed_kmh REAL,\n"
	"  limit_kmh REAL, max_distance_m REAL, lat REAL, lon REAL, rule TEXT, detail TEXT,\n"
	"  batch_id INTEGER, UNIQUE(plate, kind, started_at));\n",
	NULL,
};

/* Version 6: what an episode also says (its mean speed, where its limit
 * came from, the distance travelled in it, its number of fixes) and whose
 * truck it was; indexes for a day's violations and a run's. */
static const char *const gps_v6[] = {
	"ALTER TABLE violations ADD COLUMN mean_speed_kmh REAL",
	"ALTER TABLE violations ADD COLUMN limit_source TEXT",
	"ALTER TABLE violations ADD COLUMN distance_m REAL",
	"ALTER TABLE violations ADD COLUMN fixes INTEGER",
	"ALTER TABLE violations ADD COLUMN company TEXT",
	"ALTER TABLE violations ADD COLUMN vehicle_kind TEXT",
	"CREATE INDEX violations_started ON violations(started_at)",
	"CREATE INDEX violations_batch ON violations(batch_id)",
	NULL,
};

/* Version 1: as DESIGN §5 first had them. */
static const struct db_migration gps_steps[] = { { 1, gps_v1 }, { 6, gps_v6 } };
const struct db_schema gps_schema = {
	"gps", gps_steps, ARRAY_SIZE(gps_steps),
};
