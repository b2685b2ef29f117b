/*
 * ticket.h - a 12345 work order (工单) as exports give it and as the store
 * keeps it (DESIGN §5 tickets, §7.4): the input fields with their aliases,
 * and the normalisation of one input record.
 *
 * The ticket's columns, in the order of enum hotline_col; hotline_col_name[c] is the
 * store's column ("received_at"), and hotline_fields[] the input fields
 * (the columns, then "updated", an export's last-change time) with the
 * Chinese and Open311 GeoReport v2 names they are read by:
 *
 *   id            工单编号 工单号 受理编号; service_request_id
 *   received_at   受理时间 来电时间 登记时间; requested_datetime
 *   channel       受理渠道 来源渠道 渠道
 *   type          诉求类型 工单类型 (咨询 求助 投诉 举报 建议)
 *   category      诉求分类 问题分类 业务分类; service_name
 *   title         诉求标题 工单标题 标题
 *   content       诉求内容 问题描述 来电内容; description
 *   address       诉求地址 事发地址 地址
 *   caller phone  来电人 来电号码 (masked unless keep_pii)
 *   urgent        紧急程度 是否紧急
 *   unit          承办单位 责任单位 处置单位; agency_responsible
 *   due_at        办理时限 截止时间; expected_datetime
 *   status        办理状态 工单状态; status (words.h)
 *   signed_at done_at  签收时间 办结时间
 *   reply result  答复内容 (status_notes) 办理结果
 *   satisfaction revisited_at  满意度 回访时间
 *   lat lon       纬度 经度; lat long
 *
 *   struct hotline_norm nm = { tpo, keep_pii, now };
 *   struct hotline_ticket t;  hotline_ticket_init(&t);
 *   if (hotline_ticket_read(&t, &nm, &rec) < 0)   t.reason says why (the first
 *           problem: "missing id", "received_at 'x': invalid date" ...)
 *   t.v[c], t.n[c]   the normalised value, NUL-terminated, or NULL when
 *                    the record does not give it (no column, or empty)
 *   hotline_ticket_free(&t);
 *
 *   uint64_t h = hotline_raw_hash(&rec, &nm);
 *           over the record as read (each field's number, length and
 *           bytes) and what its normalisation depends on (keep_pii, the
 *           date format, the store's zone, HOTLINE_HASH_VERSION): two records
 *           with the same hash normalise alike, so a ticket whose stored
 *           hash is the record's needs no normalising and no write.  Not
 *           for anything an attacker may choose to collide at scale.
 *
 * Normal forms: times "YYYY-MM-DD HH:MM:SS" in the store's zone; status and
 * satisfaction their English names; type its canonical name when it has
 * one; urgent "1" or "0"; lat and lon with at most 7 decimals; text trimmed
 * (U+3000 included); caller, phone and the mobile numbers in title,
 * content, reply and result masked (mask.h).  An export's done status
 * without a done_at takes its "updated" time as done_at (Open311 gives
 * only that).
 *
 * hotline_coord_text(buf, x) writes a coordinate in that form without the
 * locale: "40.7472791", "-74.03".
 */
#ifndef CITYOPS_HOTLINE_TICKET_H
#define CITYOPS_HOTLINE_TICKET_H

#include "buf.h"
#include "rec.h"
#include "timeparse.h"

enum hotline_col {
	TK_ID, TK_RECEIVED_AT, TK_CHANNEL, TK_TYPE, TK_CATEGORY, TK_TITLE,
	TK_CONTENT, TK_ADDRESS, TK_CALLER, TK_PHONE, TK_URGENT, TK_UNIT,
	TK_DUE_AT, TK_STATUS, TK_SIGNED_AT, TK_DONE_AT, TK_REPLY, TK_RESULT,
	TK_SATISFACTION, TK_REVISITED_AT, TK_LAT, TK_LON, TK_NCOLS
};
#define HF_UPDATED TK_NCOLS
#define HF_NFIELDS (TK_NCOLS + 1)

#define HOTLINE_ID_MAX 256
/* Changes whenever the normalisation of a record changes: a new version
 * sees every stored hash as different once, and compares field by field. */
#define HOTLINE_HASH_VERSION 1u

extern const char *const hotline_col_name[TK_NCOLS];
extern const struct rec_field hotline_fields[HF_NFIELDS];

/* Is the column personal or free text, compared in its masked form? */
int hotline_col_masked(int c);
/* Is the column a time? */
int hotline_col_time(int c);

struct hotline_norm {
	struct timeparse_opts tpo;   /* date_format: --date-format */
	const struct rec_src *src;   /* the time forms rec detected (NULL: none) */
	int keep_pii;
	int64_t now;         /* times later than a day after this are refused */
};

struct hotline_ticket {
	const char *v[TK_NCOLS];
	size_t n[TK_NCOLS];
	uint64_t hash;
	char reason[256];
	struct buf data;
	size_t off[TK_NCOLS];
};

void hotline_ticket_init(struct hotline_ticket *t);
void hotline_ticket_free(struct hotline_ticket *t);
int hotline_ticket_read(struct hotline_ticket *t, const struct hotline_norm *nm,
		   const struct rec *r);
uint64_t hotline_raw_hash(const struct rec *r, const struct hotline_norm *nm);
/* Mask a value of column c as the store keeps it (caller, phone, free
 * text; others as they are), appending to b. */
void hotline_mask_col(struct buf *b, int c, const char *s, size_t n);
void hotline_coord_text(struct buf *b, double x);

#endif
