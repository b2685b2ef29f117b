/*
 * csvio.h - CSV/TSV reading on libcsv, with the physical line where each
 * record starts; and CSV field quoting for writers.
 *
 *   struct csvr *r = csvr_new(readfn, ctx, ',');   '\t' for TSV; readfn
 *                                                  returns bytes, 0, or -1
 *   struct csv_rec *rec;
 *   while ((rc = csvr_next(r, &rec)) > 0)
 *           use rec->n, rec->f[i], rec->len[i], rec->line;
 *   rc == 0: end of input; rc < 0: an error that ends the file (unbalanced
 *   quote, bad encoding, read error): csvr_error(r) and csvr_error_line(r).
 *
 * Fields are NUL-terminated copies valid until the next csvr_next().  Blank
 * lines are skipped.  Quoted fields may hold the delimiter, "" and line
 * breaks (CR, LF or CRLF).  Quoting is lenient where real exports are
 * sloppy (a quote inside an unquoted field is kept as text), strict where
 * data would be lost: a quote left open at the end of the file is an error
 * naming the line where its record began, and so is a field over 64 MiB.
 * libcsv does not count lines, so the reader feeds it one physical line at a
 * time and notes the line on which a record begins.
 *
 * A line with no quote in it is split with memchr instead (most lines of a
 * big export are such lines), to the same fields.
 *
 * csv_split_plain(p, n, delim, trim, field, ctx): split a line without
 * quotes (n bytes, no line end) at delim, calling field(ctx, s, len) for
 * each field in place, spaces around it dropped when trim; returns how
 * many fields the line had.
 *
 * csv_quote_into(buf, s, n, delim) appends s to buf, quoted when it must be.
 */
#ifndef CITYOPS_CSVIO_H
#define CITYOPS_CSVIO_H

#include "buf.h"
#include <sys/types.h>

struct csv_rec {
	size_t n;
	char **f;
	size_t *len;
	long line;
};

struct csvr;
typedef ssize_t (*csvr_read_fn)(void *ctx, char *buf, size_t n);
struct csvr *csvr_new(csvr_read_fn readfn, void *ctx, char delim);
int csvr_next(struct csvr *r, struct csv_rec **rec);
const char *csvr_error(const struct csvr *r);
long csvr_error_line(const struct csvr *r);
/* Physical lines read so far. */
long csvr_lines(const struct csvr *r);
void csvr_free(struct csvr *r);

size_t csv_split_plain(const char *p, size_t n, char delim, int trim,
		       void (*field)(void *ctx, const char *s, size_t n), void *ctx);
void csv_quote_into(struct buf *b, const char *s, size_t n, char delim);

#endif
