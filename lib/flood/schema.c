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

/* Version 1: as DESIGN §5 first had them. */
static const struct db_migration flood_steps[] = { { 1, flood_v1 } };
const struct db_schema flood_schema = {
	"flood", flood_steps, ARRAY_SIZE(flood_steps),
};
