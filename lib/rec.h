/*
 * rec.h - a record source over CSV, TSV, JSON and JSON Lines, with header
 * mapping to a tool's canonical fields (DESIGN §3 "Headers").
 *
 * A tool describes the fields it wants (flags: REC_F_REQUIRED, REC_F_TIME):
 *   static const struct rec_field f[] = {
 *           { "id", "案件编号|案卷编号|工单编号", REC_F_REQUIRED },
 *           { "reported_at", "上报时间", REC_F_REQUIRED | REC_F_TIME } };
 * and opens a source:
 *   struct rec_opts o = { .fmt = REC_AUTO, .enc = ENCODING_AUTO, .maps = m,
 *                         .nmaps = k, .date_format = NULL, .flags = 0 };
 *   struct rec_src *s = rec_open(path, f, 2, &o, &status);  NULL: message
 *                                                            printed, status set
 *   struct rec r;
 *   while ((rc = rec_next(s, &r)) != 0) {
 *           rc == 1: r.v[i]/r.len[i] (NULL when the input has no value),
 *                    r.line is the physical line where the record starts
 *           rc == 2: a bad record (ragged row, not an object): r.reason
 *           rc < 0:  the file cannot be read on (message printed; status in
 *                    rec_status(s): 65 bad data, 64 a --map from no column,
 *                    66/74 I/O)
 *   }
 *
 * Headers match canonical names and aliases ignoring ASCII case, spaces,
 * '_' and '-' ("Created Date" = created_date); --map SRC=DST (maps[]) names
 * any other column (DST a canonical name or an alias, in any case), and wins
 * over a column an alias gives the same field, wherever it stands; a SRC
 * that no column has is an error (64).  JSON objects are flattened: a
 * nested object's keys become "parent.child"; arrays are kept as JSON text;
 * null is no value.  A key twice in one object (also as a path:
 * {"a":{"b":1},"a.b":2}) and a NUL (\u0000) in a key or a string make the
 * record bad (rc 2, r.reason "record N: duplicate key 'id'").  A .json file
 * (or REC_JSON) must hold a JSON value: empty or blank input is an error.
 * TSV is the tools' own (csvio.h): no quoting, and the escapes \t \n \r \\
 * that `-f tsv` writes are decoded, so every record written as TSV reads
 * back as it was.  The format comes from the name (.csv .tsv .json .jsonl
 * .ndjson, each optionally .gz), else is sniffed ('[' or '{' first: JSON; a
 * tab and no comma in the first line: TSV; else CSV).
 *
 * rec_has(s, i): the input has a column for field i (CSV: in its header;
 * JSON: in any record so far).  rec_header_line(s): the physical line of
 * the CSV header (blank lines may come before it), 0 for JSON.
 * rec_raw_csv(s, buf): the current record as read, as CSV fields (JSON: its
 * text), for a rejects file; rec_header_csv() the matching header.
 */
#ifndef CITYOPS_REC_H
#define CITYOPS_REC_H

#include "buf.h"
#include "encoding.h"

struct rec_field {
	const char *name;
	const char *aliases;
	unsigned flags;           /* REC_F_* */
};

/* A CSV/TSV header must have a column for the field: rec_open() fails
 * (65) naming, in one message, every such field it lacks, at the header's
 * physical line. */
#define REC_F_REQUIRED 1u
/* The field holds times. */
#define REC_F_TIME 2u
/* The field holds personal data (a caller's name or phone): --show-mapping
 * and the mapping on stderr never show its values. */
#define REC_F_PRIVATE 4u

enum rec_fmt { REC_AUTO, REC_CSV, REC_TSV, REC_JSON, REC_JSONL };

struct rec_opts {
	enum rec_fmt fmt;
	enum encoding enc;
	const char *const *maps;  /* "SRC=DST" */
	size_t nmaps;
	const char *date_format;  /* the user's --date-format, or NULL */
	unsigned flags;           /* REC_O_* */
};

/* The tool has --map: a message about a missing column says to use it. */
#define REC_O_MAP_HINT 1u
/* A CSV/TSV of one column whose header is no field's name or alias has no
 * header: it is a list of values of the first field, its first line
 * included ("P002\nP003\n"). */
#define REC_O_BARE_VALUES 2u
/* For --show-mapping: read ahead to the limits and keep the first values
 * of each column; a missing required column or an ambiguous date form is
 * shown by rec_mapping_write(), not an error. */
#define REC_O_SHOW 4u
/* Write the mapping to stderr as a table when the source opens (-n -v). */
#define REC_O_LOG_MAPPING 8u
/* Say nothing of the columns not read (a reader of its own reads the
 * records, and says it when it maps the header: rec_map_header()). */
#define REC_O_QUIET_COLUMNS 16u

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
long rec_header_line(const struct rec_src *s);
const char *rec_name(const struct rec_src *s);
/* The bytes of the file read so far and its size (-1: not known), for a
 * progress line: encoding_progress() of the source. */
void rec_progress(const struct rec_src *s, long long *done, long long *size);
enum rec_fmt rec_format(const struct rec_src *s);
void rec_raw_csv(const struct rec_src *s, struct buf *out);
void rec_header_csv(const struct rec_src *s, struct buf *out);
void rec_close(struct rec_src *s);

/*
 * For a reader of its own (gps-audit's fast one), the headers it meets
 * mapped as rec_open() maps a CSV file's, by the same rules (--map first,
 * to a name or an alias; then names and aliases), with the same messages:
 *
 *   struct rec_src *nm = rec_names(fields, nfields, &opts);
 *   f = rec_field_named(nm, name, n);       the field a header name gives,
 *                                           or -1
 *   st = rec_map_header(nm, file, line, cols, lens, ncols, col);
 *           col[i]: the field column i gives (-1: none, or an earlier
 *           column gives it); 0, or 64 (a --map of no column) or 65 (a
 *           REC_F_REQUIRED field without a column) after a message
 *   rec_close(nm);
 */
struct rec_src *rec_names(const struct rec_field *fields, size_t nfields,
			  const struct rec_opts *o);
int rec_field_named(struct rec_src *s, const char *name, size_t n);
int rec_map_header(struct rec_src *s, const char *file, long line, const char *const *cols,
		   const size_t *lens, size_t ncols, int *col);

/* A source of case ids (any CSV/JSON with an id column, as piped from the
 * tools, or a bare list: one column whose first line is not an id header,
 * REC_O_BARE_VALUES): NULL with *status set, also when a CSV header of
 * several columns has no id column.  rec_next() gives the id in r.v[0]. */
struct rec_src *rec_open_ids(const char *path, enum rec_fmt fmt, enum encoding enc,
			     int *status);

/*
 * The mapping of an open source, as rows of an out (it obeys -f and -o):
 *   rec_mapping_begin(o);          the columns, once
 *   rec_mapping_write(s, o);       per source: 0, or -1 when a write failed
 *   st = rec_pending(s);           0, or the status of an error met while
 *                                  reading ahead, after its message
 * One row per input column: file, column, the field it gives, how (name,
 * alias, --map, "value (no header)", unused, or "unused: 'id' is read from
 * 'Where'"), the date format of a time field (automatic, detected,
 * --date-format, ambiguous or unrecognised), and its first 3 non-empty
 * values, each cut at 60 bytes (REC_O_SHOW, REC_O_LOG_MAPPING); then one
 * row per field no column gives ("missing", "missing (required)").  rec_mapping_log(s) writes it to stderr as a
 * table.
 */
struct out;
void rec_mapping_begin(struct out *o);
int rec_mapping_write(const struct rec_src *s, struct out *o);
void rec_mapping_log(const struct rec_src *s);
int rec_pending(struct rec_src *s);

/*
 * Reading ahead and dates.  Before handing out any record, rec_open()
 * reads the first records ahead (at most 10,000 records or 16 MiB) when a
 * REC_F_TIME field has a column and no --date-format was given, until each
 * such field has 1,000 non-empty values (or with REC_O_SHOW and
 * REC_O_LOG_MAPPING, to the limits).  A field whose values no automatic
 * form of timeparse.h reads gets the form timeparse_detect() finds for all of
 * them: rec_date_format(s, field) gives it (NULL: the automatic forms will
 * do, or nothing fits) and -v says which.  When two forms read them
 * differently (every day <= 12: %m/%d or %d/%m), rec_open() fails (65)
 * naming both readings and asking for --date-format.  An error met while
 * reading ahead is reported after the records before it are handed out.
 */
const char *rec_date_format(const struct rec_src *s, size_t field);

int rec_fmt_parse(const char *s);
/* Check "SRC=DST" maps against the fields; -1 with a message on a bad one. */
int rec_check_maps(const char *const *maps, size_t n,
		   const struct rec_field *fields, size_t nfields);

#endif
