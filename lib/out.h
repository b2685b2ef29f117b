/*
 * out.h - the record writer: csv, tsv, json, jsonl, table, md (DESIGN §3).
 *
 *   static const struct out_col cols[] = {
 *           { "id", OUT_STR }, { "rows", OUT_NUM }, { "rate", OUT_NUM } };
 *   struct out *o = out_new(zout, OUT_CSV, cols, 3, flags);
 *   out_row(o, vals, lens);   vals[i] NULL = no value; lens NULL: strlen
 *   rc = out_finish(o);       writes what is buffered (table, md, json's ]);
 *                             returns -1 when a write failed
 *   out_free(o);
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
enum out_type { OUT_STR, OUT_NUM };

#define OUT_F_BOM 1
#define OUT_F_NOHEADER 2
#define OUT_F_TOTAL 4

struct out_col {
	const char *name;
	enum out_type type;
};

struct out;
struct out *out_new(struct zout *z, enum out_format fmt,
		    const struct out_col *cols, size_t ncols, int flags);
int out_row(struct out *o, const char *const *vals, const size_t *lens);
int out_finish(struct out *o);
void out_free(struct out *o);

int out_format_parse(const char *s);
enum out_format out_default_format(int fd);
const char *out_format_name(enum out_format f);
size_t out_display_width(const char *s, size_t n);

#endif
