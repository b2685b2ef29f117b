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
 *   out_total(o, vals, lens); the total row (合计), last: set off as a total
 *                             in table and xlsx, a plain row elsewhere
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
 *         header; control characters shown as spaces; a rule above the
 *         total row.
 *   md    a GitHub pipe table; | escaped as \|, newlines as <br>
 *   xlsx  an Excel workbook (xlsx.h): the header row bold and frozen, OUT_NUM
 *         as numbers, OUT_RATE as percentages (0.0%), OUT_TIME as date-times,
 *         "-" and no value as empty cells, column widths fitted to the text
 *         (CJK counts two), the total row bold.  A binary: opt refuses it to
 *         a terminal.  out_raw() on it fails.
 * Flag OUT_F_BOM writes a UTF-8 BOM first (csv, tsv) so Excel reads Chinese.
 * OUT_F_NOHEADER omits the header line (csv, tsv).
 * OUT_F_TOTAL: the last row given is a total row (as if out_total() had
 * written it): a rule above it in table, bold in xlsx.
 * OUT_F_ZH: each column's Chinese header (out_col.zh) instead of its name.
 * OUT_F_WANT_TOTAL: the user asked for a total row (--total); the writer
 * does nothing with it: a domain that has a total row reads it with
 * out_flags() and then writes the row with out_total() in every format.
 * out_flags(o) gives the flags, so that domain code can follow --lang
 * (OUT_F_ZH: Chinese labels in its cells too) and --total.
 *
 * out_format_parse("csv") -> OUT_CSV, -1 when unknown (also "xlsx").
 * out_default_format(fd): OUT_TABLE if fd is a terminal, else OUT_CSV.
 * out_display_width(s, n): terminal columns of a UTF-8 string.
 *
 * Numbers: out_double(v, buf) writes a double in its shortest form that
 * reads back as the same double (the first of %.15g, %.16g, %.17g that
 * round-trips): 99.85, not 99.850000000000009; 0.30000000000000004 where
 * that is the value.  '.' whatever the locale; no exponent between 1e-4 and
 * 1e15; -0 is 0.  Non-finite values write "" and return 0: pass NULL (no
 * value) then.  Returns the length.  The JSON writers print an OUT_NUM or
 * OUT_RATE text that is a JSON number as it is, so a domain formats its
 * doubles with out_double() (or "%.4f"-style fixed decimals) and the text
 * goes out unchanged.
 */
#ifndef CITYOPS_OUT_H
#define CITYOPS_OUT_H

#include "zio.h"

enum out_format { OUT_CSV, OUT_TSV, OUT_JSON, OUT_JSONL, OUT_TABLE, OUT_MD, OUT_XLSX };
enum out_type { OUT_STR, OUT_NUM, OUT_RATE, OUT_TIME };

#define OUT_F_BOM 1
#define OUT_F_NOHEADER 2
#define OUT_F_TOTAL 4
#define OUT_F_ZH 8
#define OUT_F_WANT_TOTAL 16

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
int out_total(struct out *o, const char *const *vals, const size_t *lens);
/* The label of a total row: 合计, with "total" beside it unless --lang zh. */
const char *out_total_label(const struct out *o);
int out_raw(struct out *o, const char *s, size_t n);
int out_flags(const struct out *o);
void out_discard(struct out *o);
enum out_format out_fmt(const struct out *o);
int out_finish(struct out *o);
void out_free(struct out *o);
int out_close(struct out *o);

int out_format_parse(const char *s);
enum out_format out_default_format(int fd);
const char *out_format_name(enum out_format f);
size_t out_display_width(const char *s, size_t n);

#define OUT_DOUBLE_LEN 32
size_t out_double(double v, char buf[OUT_DOUBLE_LEN]);
/* v rounded to `decimals` places, then in its shortest form: a rate of
 * 1/3 to 4 places is 0.3333, of 1/2 is 0.5, of 1 is 1; buf. */
const char *out_fixed(double v, int decimals, char buf[OUT_DOUBLE_LEN]);
/* v with exactly `decimals` places (at most 9), rounded half away from
 * zero: 12.0, -0.1; "" for NaN, and +-1e15 beyond them; buf. */
const char *out_decimals(double v, int decimals, char buf[OUT_DOUBLE_LEN]);

#endif
