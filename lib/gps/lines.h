/*
 * lines.h - a fast reader of delimited text (CSV, TSV, GeoLife .plt) for
 * the fixes, which are many: fields are handed out in place, without
 * copies, and the physical line where each record starts is counted.
 *
 *   struct lines *l = lines_open(path, enc, ',', &st);  NULL: st 66 after
 *                                                     a message
 *   struct lrec *r;
 *   while ((rc = lines_next(l, &r)) > 0)
 *           r->n fields (up to LINES_MAX_FIELDS kept; r->count is how
 *           many the line had), r->f[i] / r->len[i], r->line
 *   rc < 0: the input cannot be read on (message printed; lines_status()
 *           is 65 for bad bytes or an open quote, 74 for I/O)
 *   lines_raw(l, &buf)   the current record as CSV, for --rejects
 *   lines_close(l);
 *
 * RFC 4180: a quoted field may hold the delimiter, "" and line breaks; CR
 * LF and LF end a record; blank lines are skipped.  Text comes through
 * textin (gzip, a BOM, GB18030, UTF-8 checked).  A record may be up to
 * 64 MiB long.
 */
#ifndef CITYOPS_GPS_LINES_H
#define CITYOPS_GPS_LINES_H

#include "buf.h"
#include "encoding.h"

#define LINES_MAX_FIELDS 32

struct lrec {
	size_t n, count;
	const char *f[LINES_MAX_FIELDS];
	size_t len[LINES_MAX_FIELDS];
	long line;
};

struct lines;
struct lines *lines_open(const char *path, enum encoding enc, char delim, int *status);
int lines_next(struct lines *l, struct lrec **r);
int lines_status(const struct lines *l);
const char *lines_name(const struct lines *l);
void lines_raw(const struct lines *l, struct buf *out);
void lines_close(struct lines *l);

#endif
