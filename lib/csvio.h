/*
 * csvio.h - CSV/TSV reading on libcsv, with the physical line where each
 * record starts; and CSV field quoting for writers.
 *
 *   struct csvio *r = csvio_new(readfn, ctx, ',');  '\t' for TSV; readfn
 *                                                 returns bytes, 0, or -1
 *   struct csvio_rec *rec;
 *   while ((rc = csvio_next(r, &rec)) > 0)
 *           use rec->n, rec->f[i], rec->len[i], rec->line;
 *   rc == 0: end of input; rc < 0: an error that ends the file (unbalanced
 *   quote, bad encoding, read error): csvio_error(r) and csvio_error_line(r).
 *
 * Fields are NUL-terminated copies valid until the next csvio_next().  Blank
 * lines are skipped.
 *
 * CSV (RFC 4180): quoted fields may hold the delimiter, "" and line breaks
 * (CR, LF or CRLF).  Quoting is lenient where real exports are sloppy (a
 * quote inside an unquoted field is kept as text), strict where data would
 * be lost: text after a closing quote ('"ab"cd') is an error on its line,
 * a quote left open at the end of the file is an error naming the line
 * where its record began, and so is a field over 64 MiB.
 * libcsv does not count lines, so the reader feeds it one physical line at a
 * time and notes the line on which a record begins.
 *
 * TSV (delim '\t') is read as the tools write it (out.h): one record per
 * line (LF, CRLF or CR), fields split on tabs, no quoting (a '"' is text),
 * and the escapes \t \n \r \\ decoded to tab, LF, CR and backslash; a
 * backslash before any other character is kept as it is.  So
 * `case-import -f tsv | case-route -i tsv` reads back every value.
 *
 * A line with no quote in it is split with memchr instead (most lines of a
 * big export are such lines), to the same fields.
 *
 * csvio_split_plain(p, n, delim, trim, field, ctx): split a line without
 * quotes (n bytes, no line end) at delim, calling field(ctx, s, len) for
 * each field in place, spaces around it dropped when trim; returns how
 * many fields the line had.
 *
 * csvio_quote(buf, s, n) appends s to buf as a CSV field (RFC 4180, ','),
 * quoted when it must be: a comma, quote, CR or LF in it, or a space at
 * either end (which a reader would trim); out.h's CSV is written with it.
 */
#ifndef CITYOPS_CSVIO_H
#define CITYOPS_CSVIO_H

#include "buf.h"
#include <sys/types.h>

struct csvio_rec {
	size_t n;
	char **f;
	size_t *len;
	long line;
};

struct csvio;
typedef ssize_t (*csvio_read_fn)(void *ctx, char *buf, size_t n);
struct csvio *csvio_new(csvio_read_fn readfn, void *ctx, char delim);
/* The message for text after a field's closing quote: field[0..n) is the
 * field as read up to the byte after the quote (its last 24 bytes shown,
 * from a whole character).  For a reader of its own (gps-audit's). */
void csvio_after_quote(char *out, size_t cap, const char *field, size_t n);
int csvio_next(struct csvio *r, struct csvio_rec **rec);
const char *csvio_error(const struct csvio *r);
long csvio_error_line(const struct csvio *r);
void csvio_free(struct csvio *r);

size_t csvio_split_plain(const char *p, size_t n, char delim, int trim,
			 void (*field)(void *ctx, const char *s, size_t n),
			 void *ctx);
void csvio_quote(struct buf *b, const char *s, size_t n);

#endif
