/*
 * rec.h - a record source over CSV, TSV, JSON and JSON Lines, with header
 * mapping to a tool's canonical fields (DESIGN §3 "Headers").
 *
 * A tool describes the fields it wants:
 *   static const struct rec_field f[] = {
 *           { "id", "案件编号|案卷编号|工单编号" }, { "reported_at", "上报时间" } };
 * and opens a source:
 *   struct rec_opts o = { .fmt = REC_AUTO, .enc = ENCODING_AUTO, .maps = m, .nmaps = k };
 *   struct rec_src *s = rec_open(path, f, 2, &o, &status);   NULL: message
 *                                                             printed, status set
 *   struct rec r;
 *   while ((rc = rec_next(s, &r)) != 0) {
 *           rc == 1: r.v[i]/r.len[i] (NULL when the input has no value),
 *                    r.line is the physical line where the record starts
 *           rc == 2: a bad record (ragged row, not an object): r.reason
 *           rc < 0:  the file cannot be read on (message printed; status in
 *                    rec_status(s): 65 bad data, 66/74 I/O)
 *   }
 *
 * Headers match canonical names and aliases ignoring ASCII case, spaces,
 * '_' and '-' ("Created Date" = created_date); --map SRC=DST (maps[]) names any
 * other column, and wins over an alias.  JSON objects are flattened: a nested
 * object's keys become "parent.child"; arrays are kept as JSON text; null is
 * no value.  The format comes from the name (.csv .tsv .json .jsonl .ndjson,
 * each optionally .gz), else is sniffed ('[' or '{' first: JSON; a tab and no
 * comma in the first line: TSV; else CSV).
 *
 * rec_has(s, i): the input has a column for field i (CSV: in its header;
 * JSON: in any record so far).  rec_raw_csv(s, buf): the current record as
 * read, as CSV fields (JSON: its text), for a rejects file; rec_header_csv()
 * the matching header.
 */
#ifndef CITYOPS_REC_H
#define CITYOPS_REC_H

#include "buf.h"
#include "encoding.h"

struct rec_field {
	const char *name;
	const char *aliases;
};

enum rec_fmt { REC_AUTO, REC_CSV, REC_TSV, REC_JSON, REC_JSONL };

struct rec_opts {
	enum rec_fmt fmt;
	enum encoding enc;
	const char *const *maps;  /* "SRC=DST" */
	size_t nmaps;
};

struct rec {
	const char **v;
	size_t *len;
	long line;
	long recno;
	const char *reason;
};

struct rec_src;
struct rec_src *rec_open(const char *path, const struct rec_field *fields,
			 size_t nfields, const struct rec_opts *o, int *status);
int rec_next(struct rec_src *s, struct rec *r);
int rec_status(const struct rec_src *s);
int rec_has(const struct rec_src *s, size_t field);
const char *rec_name(const struct rec_src *s);
enum rec_fmt rec_format(const struct rec_src *s);
void rec_raw_csv(const struct rec_src *s, struct buf *out);
void rec_header_csv(const struct rec_src *s, struct buf *out);
void rec_close(struct rec_src *s);

/* A source of case ids (any CSV/JSON with an id column, as piped from the
 * tools): NULL with *status set, also when a CSV header has no id column.
 * rec_next() gives the id in r.v[0]. */
struct rec_src *rec_open_ids(const char *path, enum rec_fmt fmt, enum encoding enc,
			     int *status);

int rec_fmt_parse(const char *s);
/* Check "SRC=DST" maps against the fields; -1 with a message on a bad one. */
int rec_check_maps(const char *const *maps, size_t n,
		   const struct rec_field *fields, size_t nfields);

#endif
