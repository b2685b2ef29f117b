/*
 * zio.h - gzip-transparent input and output (zlib).
 *
 * Input: zin_open(path) opens a file ("-" or NULL is stdin) and reads it
 * through zlib, which inflates gzip data whatever the file is called (it
 * sniffs the magic bytes, also on a pipe) and passes anything else through
 * unchanged.  Concatenated gzip members are read in full, and zero bytes of
 * padding after the last one are ignored, as gzip(1) does; other bytes
 * after it ("trailing garbage"), a truncated gzip stream and a wrong CRC or
 * length are errors, not a short file.  Error texts do not name the file:
 * the caller does.
 *
 *   struct zin *z = zin_open("cases.csv.gz");    NULL: errno set
 *   ssize_t n = zin_read(z, buf, sizeof buf);     0 at end, -1 on error
 *   const char *why = zin_error(z);               after -1
 *   zin_close(z);
 *
 * Output: zout_open(path, gz) writes to a file (NULL or "-" is stdout),
 * compressed when gz is set (callers pass "the name ends in .gz").  Writes
 * are buffered; zout_close() returns -1 when anything failed (disk full),
 * with errno set, so that the caller exits 74.  A regular file is written
 * as PATH.XXXXXX beside it and renamed over PATH only when zout_close()
 * finds every write done: a failed or killed run leaves PATH as it was.
 * zout_discard(z) drops the output at close (a run whose work did not
 * land): the file is not made, stdout gets nothing more.
 */
#ifndef CITYOPS_ZIO_H
#define CITYOPS_ZIO_H

#include <sys/types.h>

struct zin;
struct zin *zin_open(const char *path);
ssize_t zin_read(struct zin *z, void *buf, size_t n);
const char *zin_error(const struct zin *z);
/* 1 when the failure was reading (an I/O error, 74), 0 when it was the
 * data (corrupt or truncated gzip, 65). */
int zin_error_io(const struct zin *z);
const char *zin_name(const struct zin *z);
int zin_is_gzip(const struct zin *z);
/* Bytes read from the file so far (compressed ones for gzip), and its size
 * (-1: a pipe or a terminal), for a progress line. */
void zin_progress(const struct zin *z, long long *done, long long *size);
int zin_close(struct zin *z);

struct zout;
struct zout *zout_open(const char *path, int gz);
/* Write to an open stream (a temporary file, say); zout_close leaves it open. */
struct zout *zout_open_fp(FILE *fp);
int zout_write(struct zout *z, const void *p, size_t n);
int zout_flush(struct zout *z);
int zout_error(const struct zout *z);
int zout_close(struct zout *z);
void zout_discard(struct zout *z);

/*
 * A tool's output, -o PATH (NULL or "-" is stdout; a .gz name compresses):
 *   z = zout_open_output(path, &st);   st 0; NULL after "cannot create
 *                                      'PATH'" with st 73
 *   st = zout_finish(z, failed);       closes; 0, or 74 after "write error on
 *                                      'PATH'" ("standard output"); a closed
 *                                      pipe is no error: nobody reads
 * failed says that the caller already saw a write fail (out_finish < 0).
 */
struct zout *zout_open_output(const char *path, int *status);
int zout_finish(struct zout *z, int failed);

/* Does path end in ".gz"? */
int zio_has_gz_suffix(const char *path);

#endif
