/*
 * export.h - what hotline-sync writes back out of the store (DESIGN §7.4):
 * the reply file the platform takes for upload, and the tickets as Open311
 * GeoReport v2 JSON.  Neither shows a caller's name or number, and the
 * free text is masked (mask.h) unless keep_pii.
 *
 *   st = hotline_replies(db, &o, &n);
 *           the tickets done since the last replies run (tickets.done_batch
 *           after the newest ticket_reply_runs row), by done_at: columns
 *           工单编号 办理结果 答复内容 办结时间 (id result reply done_at);
 *           CSV, or TSV/JSON/JSON Lines by the name's ending, .gz
 *           compressed; "-" is standard output.  The file is written under
 *           a temporary name and renamed into place before the run is
 *           recorded, in one transaction: a failure leaves the last run
 *           the last, and the next run writes the same tickets again.
 *           0, or 73/74/75 after a message; n the tickets written.
 *   st = hotline_open311(db, &o, &n);
 *           every ticket, by received_at, as a GeoReport v2 JSON array
 *           (service_request_id, status open|closed, status_notes,
 *           service_name, description, agency_responsible,
 *           requested_datetime, updated_datetime, expected_datetime,
 *           address, lat, long, ...), one object a line; times in ISO 8601
 *           with the store's offset.  hotline-sync reads it back.
 */
#ifndef CITYOPS_HOTLINE_EXPORT_H
#define CITYOPS_HOTLINE_EXPORT_H

#include "db.h"

struct hotline_export_opts {
	const char *path;
	int keep_pii;
	int bom;
	int dry_run;       /* replies: write the file, record no run */
};

int hotline_replies(struct db *d, const struct hotline_export_opts *o, long long *n);
int hotline_open311(struct db *d, const struct hotline_export_opts *o, long long *n);

#endif
