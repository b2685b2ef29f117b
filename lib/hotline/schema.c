/*
 * schema.c - the 12345 hotline's tables (DESIGN §5), as migrations
 * registered with db (see db.h).
 */
#include "common.h"

#include "db.h"
#include "hotline/hotline.h"

static const char *const hotline_v1[] = {
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
	NULL,
};

/* Version 1: as DESIGN §5 first had them. */
static const struct db_migration hotline_steps[] = { { 1, hotline_v1 } };
const struct db_schema hotline_schema = {
	"hotline", hotline_steps, ARRAY_SIZE(hotline_steps),
};
