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

/*
 * Version 4: what hotline-sync keeps besides the export's fields.
 *   title, lat, lon      fields exports carry (工单标题; Open311 lat/long)
 *   due_rule             where due_at came from: 'export', or the limit
 *                        that gave it ("投诉 15wd", "urgent 18:00")
 *   alert                the deadline alert printed for the current due_at:
 *                        'due_soon' or 'overdue' (each is printed once)
 *   done_batch           the run in which the ticket became done, for the
 *                        replies of the tickets done since the last reply run
 * tickets_watch finds the open tickets whose deadline comes near without
 * reading the done ones; tickets_id_hash answers a re-sync's lookup of a
 * ticket's hash from the index alone; ticket_reply_runs remembers each
 * --replies run.
 */
static const char *const hotline_v4[] = {
	"ALTER TABLE tickets ADD COLUMN title TEXT;\n",
	"ALTER TABLE tickets ADD COLUMN lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90);\n",
	"ALTER TABLE tickets ADD COLUMN lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180);\n",
	"ALTER TABLE tickets ADD COLUMN due_rule TEXT;\n",
	"ALTER TABLE tickets ADD COLUMN alert TEXT CHECK (alert IS NULL OR alert IN ('due_soon','overdue'));\n",
	"ALTER TABLE tickets ADD COLUMN done_batch INTEGER;\n",
	"CREATE INDEX tickets_watch ON tickets(due_at)\n"
	"  WHERE status NOT IN ('done','revisited') AND due_at IS NOT NULL AND alert IS NOT 'overdue';\n",
	"CREATE INDEX tickets_done_batch ON tickets(done_batch) WHERE done_batch IS NOT NULL;\n",
	"CREATE INDEX tickets_id_hash ON tickets(id, content_hash);\n",
	"CREATE INDEX ticket_changes_batch ON ticket_changes(batch_id);\n",
	"CREATE TABLE ticket_reply_runs(\n"
	"  batch_id INTEGER PRIMARY KEY REFERENCES batches(id), at TEXT NOT NULL,\n"
	"  file TEXT, tickets INTEGER NOT NULL DEFAULT 0);\n",
	"CREATE VIEW v_tickets_zh AS SELECT id AS 工单编号, received_at AS 受理时间,\n"
	"  channel AS 受理渠道, type AS 诉求类型, category AS 诉求分类, title AS 诉求标题,\n"
	"  content AS 诉求内容, address AS 诉求地址, caller AS 来电人, phone AS 来电号码,\n"
	"  CASE urgent WHEN 1 THEN '紧急' ELSE '一般' END AS 紧急程度, unit AS 承办单位,\n"
	"  due_at AS 办理时限,\n"
	"  CASE status WHEN 'received' THEN '待签收' WHEN 'signed' THEN '已签收'\n"
	"    WHEN 'handling' THEN '办理中' WHEN 'postponed' THEN '延期'\n"
	"    WHEN 'returned' THEN '已退回' WHEN 'done' THEN '已办结'\n"
	"    WHEN 'revisited' THEN '已回访' END AS 办理状态,\n"
	"  signed_at AS 签收时间, done_at AS 办结时间, reply AS 答复内容, result AS 办理结果,\n"
	"  CASE satisfaction WHEN 'very_satisfied' THEN '非常满意' WHEN 'satisfied' THEN '满意'\n"
	"    WHEN 'basically_satisfied' THEN '基本满意' WHEN 'dissatisfied' THEN '不满意'\n"
	"  END AS 满意度, revisited_at AS 回访时间, case_id AS 案件编号\n"
	"FROM tickets;\n",
	NULL,
};

/* Version 1: as DESIGN §5 first had them; 4: hotline-sync's own. */
static const struct db_migration hotline_steps[] = { { 1, hotline_v1 }, { 4, hotline_v4 } };
const struct db_schema hotline_schema = {
	"hotline", hotline_steps, ARRAY_SIZE(hotline_steps),
};
