/*
 * export.c - the reply file and the Open311 export of the tickets (see
 * export.h).
 */
#include "common.h"

#include <stdio.h>
#include <time.h>

#include <sqlite3.h>

#include "batch.h"
#include "buf.h"
#include "db.h"
#include "hotline/export.h"
#include "hotline/ticket.h"
#include "json.h"
#include "msg.h"
#include "out.h"
#include "timeparse.h"
#include "zio.h"

/* The export's file (zout writes a regular file beside itself and puts it
 * in place when whole); a run whose store work failed, or whose writes
 * did, leaves the file as it was.  0, or 74 after a message. */
static int target_close(struct zout *z, int store_failed, int write_failed)
{
	if (store_failed || write_failed)
		zout_discard(z);
	return zout_finish(z, write_failed);
}

/* The format a file's name asks for: .tsv .json .jsonl (.ndjson), each
 * maybe .gz; else CSV. */
static enum out_format format_by_name(const char *path)
{
	static const struct { const char *end; enum out_format f; } ends[] = {
		{ ".tsv", OUT_TSV }, { ".json", OUT_JSON }, { ".jsonl", OUT_JSONL },
		{ ".ndjson", OUT_JSONL },
	};
	size_t n = strlen(path);

	if (zio_has_gz_suffix(path))
		n -= 3;
	for (size_t i = 0; i < ARRAY_SIZE(ends); i++) {
		size_t k = strlen(ends[i].end);
		if (n > k && strncmp(path + n - k, ends[i].end, k) == 0)
			return ends[i].f;
	}
	return OUT_CSV;
}

static const char sql_replies[] =
	"SELECT id, result, reply, done_at FROM tickets"
	" WHERE done_batch > (SELECT coalesce(max(batch_id), 0) FROM ticket_reply_runs)"
	" AND status IN ('done','revisited') ORDER BY done_at, id";
static const char sql_reply_run[] =
	"INSERT INTO ticket_reply_runs(batch_id, at, file, tickets) VALUES (?1, ?2, ?3, ?4)";

static void masked(struct buf *b, int keep_pii, int col, const unsigned char *s)
{
	buf_reset(b);
	if (!s)
		return;
	if (keep_pii)
		buf_adds(b, (const char *)s);
	else
		hotline_mask_col(b, col, (const char *)s, strlen((const char *)s));
}

/* Write the replies to out; 0, or -1 when the store failed. */
static int write_replies(struct db *d, const struct hotline_export_opts *o,
			 struct out *out, long long *n)
{
	static const struct out_col cols[] = {
		{ "id", OUT_STR, "工单编号" }, { "result", OUT_STR, "办理结果" },
		{ "reply", OUT_STR, "答复内容" }, { "done_at", OUT_TIME, "办结时间" },
	};
	sqlite3_stmt *st = db_stmt(d, sql_replies);
	struct buf res = BUF_INIT, rep = BUF_INIT;
	int rc;

	if (!st)
		return -1;
	out_columns(out, cols, ARRAY_SIZE(cols));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v[4];
		masked(&res, o->keep_pii, TK_RESULT, sqlite3_column_text(st, 1));
		masked(&rep, o->keep_pii, TK_REPLY, sqlite3_column_text(st, 2));
		v[0] = (const char *)sqlite3_column_text(st, 0);
		v[1] = sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL : buf_str(&res);
		v[2] = sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL : buf_str(&rep);
		v[3] = (const char *)sqlite3_column_text(st, 3);
		out_row(out, v, NULL);
		(*n)++;
	}
	sqlite3_reset(st);
	buf_free(&res);
	buf_free(&rep);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int record_run(struct db *d, const struct hotline_export_opts *o,
		      const struct batch *b)
{
	sqlite3_stmt *st = db_stmt(d, sql_reply_run);
	char now[TIMEPARSE_TEXT_LEN];

	if (!st || batch_end(d, b) < 0)
		return -1;
	timeparse_format((int64_t)time(NULL), db_zone_min(d), now);
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, o->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, b->read);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int hotline_replies(struct db *d, const struct hotline_export_opts *o, long long *n)
{
	struct zout *z;
	struct batch b;
	struct out *out;
	int st, failed;

	*n = 0;
	if (db_begin(d) != SQLITE_OK)
		return db_fail(d, o->path);
	if (batch_begin(d, &b, "hotline-sync", o->path) < 0) {
		st = db_fail(d, o->path);
		goto out;
	}
	if (!(z = zout_open_output(o->path, &st)))
		goto out;
	out = out_open(z, format_by_name(o->path), OUT_F_ZH | (o->bom ? OUT_F_BOM : 0));
	if (write_replies(d, o, out, n) < 0) {
		st = db_fail(d, o->path);
		out_discard(out);
	}
	failed = out_finish(out) < 0;
	out_free(out);
	if (st) {
		target_close(z, 1, failed);
		goto out;
	}
	if ((st = target_close(z, 0, failed)) != 0)
		goto out;
	b.read = *n;
	if (record_run(d, o, &b) < 0) {
		st = db_fail(d, o->path);
		goto out;
	}
	if (o->dry_run)
		db_rollback(d);
	else if (db_commit(d) != SQLITE_OK)
		st = db_fail(d, o->path);
out:
	db_rollback(d);
	return st;
}

/* ---- Open311 ----------------------------------------------------------- */

static const char sql_open311[] =
	"SELECT id, status, reply, category, content, unit, received_at, done_at,"
	" signed_at, due_at, address, lat, lon FROM tickets ORDER BY received_at, id";

static void put_str(struct buf *b, const char *key, const unsigned char *s)
{
	buf_addf(b, ",\"%s\":", key);
	if (s)
		json_put_string(b, (const char *)s, strlen((const char *)s));
	else
		buf_adds(b, "null");
}

/* "2023-06-01 09:00:00" -> "2023-06-01T09:00:00+08:00" */
static void put_time(struct buf *b, const char *key, const unsigned char *s,
		     const char *zone)
{
	buf_addf(b, ",\"%s\":", key);
	if (s && strlen((const char *)s) == TIMEPARSE_TEXT_LEN - 1)
		buf_addf(b, "\"%.10sT%s%s\"", (const char *)s, (const char *)s + 11, zone);
	else
		buf_adds(b, "null");
}

static void put_num(struct buf *b, const char *key, sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	buf_addf(b, ",\"%s\":", key);
	if (s)
		json_put_number(b, (const char *)s, strlen((const char *)s));
	else
		buf_adds(b, "null");
}

static void open311_row(struct buf *b, sqlite3_stmt *st, const struct hotline_export_opts *o,
			const char *zone)
{
	const char *status = (const char *)sqlite3_column_text(st, 1);
	int closed = status && (strcmp(status, "done") == 0 || strcmp(status, "revisited") == 0);
	const unsigned char *updated = sqlite3_column_text(st, closed ? 7 : 8);
	struct buf m = BUF_INIT;

	if (!updated)
		updated = sqlite3_column_text(st, 6);
	buf_adds(b, "{\"service_request_id\":");
	json_put_string(b, (const char *)sqlite3_column_text(st, 0),
			(size_t)sqlite3_column_bytes(st, 0));
	buf_addf(b, ",\"status\":\"%s\"", closed ? "closed" : "open");
	masked(&m, o->keep_pii, TK_REPLY, sqlite3_column_text(st, 2));
	put_str(b, "status_notes", sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL
			: (const unsigned char *)buf_str(&m));
	put_str(b, "service_name", sqlite3_column_text(st, 3));
	buf_adds(b, ",\"service_code\":null");
	masked(&m, o->keep_pii, TK_CONTENT, sqlite3_column_text(st, 4));
	put_str(b, "description", sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL
			: (const unsigned char *)buf_str(&m));
	put_str(b, "agency_responsible", sqlite3_column_text(st, 5));
	buf_adds(b, ",\"service_notice\":null");
	put_time(b, "requested_datetime", sqlite3_column_text(st, 6), zone);
	put_time(b, "updated_datetime", updated, zone);
	put_time(b, "expected_datetime", sqlite3_column_text(st, 9), zone);
	put_str(b, "address", sqlite3_column_text(st, 10));
	buf_adds(b, ",\"address_id\":null,\"zipcode\":null");
	put_num(b, "lat", st, 11);
	put_num(b, "long", st, 12);
	buf_adds(b, ",\"media_url\":null}");
	buf_free(&m);
}

int hotline_open311(struct db *d, const struct hotline_export_opts *o, long long *n)
{
	sqlite3_stmt *st = db_stmt(d, sql_open311);
	struct zout *z;
	struct buf b = BUF_INIT;
	char zone[16];
	int zm = db_zone_min(d), rc, st_ = 0, failed = 0;

	*n = 0;
	if (!st)
		return db_fail(d, o->path);
	snprintf(zone, sizeof zone, "%c%02d:%02d", zm < 0 ? '-' : '+', abs(zm) / 60, abs(zm) % 60);
	if (!(z = zout_open_output(o->path, &st_)))
		return st_;
	failed = zout_write(z, "[", 1) < 0;
	while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_reset(&b);
		buf_adds(&b, *n ? ",\n" : "\n");
		open311_row(&b, st, o, zone);
		failed = zout_write(z, b.s, b.len) < 0;
		(*n)++;
	}
	if (!failed && rc != SQLITE_DONE)
		st_ = db_fail(d, o->path);
	sqlite3_reset(st);
	if (!failed && !st_)
		failed = zout_write(z, "\n]\n", 3) < 0;
	buf_free(&b);
	rc = target_close(z, st_ != 0, failed);
	return st_ ? st_ : rc;
}
