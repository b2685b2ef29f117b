/*
 * out.h - the record writer: csv, tsv, json, jsonl, table, md (DESIGN §3).
 *
 * A tool's main opens the output; the domain code that has the rows says
 * what the columns are and writes them (DESIGN §4: domains never print):
 *
 *   struct out *o = out_open(zout, OUT_CSV, flags);          in cmd/
 *   static const struct out_col cols[] = {
 *           { "id", OUT_STR, "编号" }, { "rows", OUT_NUM, "行数" },
 *           { "rate", OUT_RATE, "比率" } };
 *   out_columns(o, cols, 3);  once, before the first row
 *   out_row(o, vals, lens);   vals[i] NULL = no value; lens NULL: strlen
 *   out_total_row(o, vals, lens);  the last row, a total (合计): set off by
 *                             a rule in table and md, bold in xlsx
 *   out_raw(o, text, n);      or: a text that is the whole output (a filled
 *                             template, a JSON document), instead of rows
 *   out_discard(o);           or: write nothing at all, not even a header
 *                             (a run whose work did not land)
 *   st = out_close(o);        in cmd/: writes what is buffered (table, md,
 *                             json's ]), closes the zout; 0, or 74 after a
 *                             message (a closed pipe is no error)
 *
 * out_new(z, fmt, cols, n, flags) is out_open() and out_columns() in one;
 * out_finish(o) writes what is buffered and returns -1 when a write failed,
 * out_free(o) frees without closing the zout (for callers that own it).
 *
 * Column types: OUT_STR text; OUT_NUM a number (bare in JSON when it is
 * a valid JSON number); OUT_RATE a rate, given as "97.4%" or as a fraction;
 * OUT_TIME a time "YYYY-MM-DD HH:MM:SS".  The formats that have no types
 * print RATE as NUM and TIME as STR.  zh is the column's Chinese header,
 * used with OUT_F_ZH (NULL: the name).
 *
 * Formats:
 *   csv   RFC 4180: header line, fields quoted when they hold , " CR LF or
 *         start/end with a space; CRLF never added (LF line ends)
 *   tsv   header line; tab, newline, CR and backslash escaped as \t \n \r \\
 *   json  one array of objects, one object per line; OUT_NUM values are bare
 *         when they are valid JSON numbers; no value is null
 *   jsonl one object per line
 *   table columns aligned by display width (a CJK character is two columns,
 *         combining marks zero), numbers right-aligned, a rule under the
 *         header; control characters shown as spaces.  With OUT_F_TOTAL the
 *         last row given is set off by a rule (a total row).
 *   md    a GitHub pipe table; | escaped as \|, newlines as <br>
 * Flag OUT_F_BOM writes a UTF-8 BOM first (csv, tsv) so Excel reads Chinese.
 * OUT_F_NOHEADER omits the header line (csv, tsv).
 *
 * out_format_parse("csv") -> OUT_CSV, -1 when unknown.
 * out_default_format(fd): OUT_TABLE if fd is a terminal, else OUT_CSV.
 * out_display_width(s, n): terminal columns of a UTF-8 string.
 */
#ifndef CITYOPS_OUT_H
#define CITYOPS_OUT_H

#include "zio.h"

enum out_format { OUT_CSV, OUT_TSV, OUT_JSON, OUT_JSONL, OUT_TABLE, OUT_MD };
enum out_type { OUT_STR, OUT_NUM, OUT_RATE, OUT_TIME };

#define OUT_F_BOM 1
#define OUT_F_NOHEADER 2
#define OUT_F_TOTAL 4
#define OUT_F_ZH 8

struct out_col {
	const char *name;
	enum out_type type;
	const char *zh;
};

struct out;
struct out *out_open(struct zout *z, enum out_format fmt, int flags);
void out_columns(struct out *o, const struct out_col *cols, size_t ncols);
struct out *out_new(struct zout *z, enum out_format fmt,
		    const struct out_col *cols, size_t ncols, int flags);
int out_row(struct out *o, const char *const *vals, const size_t *lens);
int out_total_row(struct out *o, const char *const *vals, const size_t *lens);
int out_raw(struct out *o, const char *s, size_t n);
void out_discard(struct out *o);
enum out_format out_fmt(const struct out *o);
int out_finish(struct out *o);
void out_free(struct out *o);
int out_close(struct out *o);

int out_format_parse(const char *s);
enum out_format out_default_format(int fd);
const char *out_format_name(enum out_format f);
size_t out_display_width(const char *s, size_t n);

#endif
