/*
 * spool.h - rows kept aside until a run's work has landed, then written to
 * an out: a tool prints the cases it imported or routed only after their
 * transaction committed, so a pipe never sees a row that did not land.
 *
 *   struct spool *sp = spool_new(4, &st);     NULL with st 73 after a message
 *   spool_add(sp, vals, lens);                vals[i] NULL: no value; lens
 *                                             NULL: strlen
 *   struct spool_mark m = spool_mark(sp);     where the next row will go
 *   spool_truncate(sp, m);                    drop the rows added since m
 *                                             (a file that rolled back)
 *   size_t n = spool_count(sp);
 *   st = spool_write(sp, out);                every row, in order, to out
 *                                             (whose columns are set); 0,
 *                                             or 74 after a message
 *   spool_free(sp);
 *
 * Rows go to an unnamed temporary file, so memory stays bounded by one row
 * whatever the run's size.  Fields are length-prefixed: any byte may occur
 * in a value, and "no value" is not confused with any text.
 */
#ifndef CITYOPS_SPOOL_H
#define CITYOPS_SPOOL_H

#include <sys/types.h>

#include "out.h"

struct spool;
struct spool_mark {
	off_t off;
	size_t nrows;
};

struct spool *spool_new(size_t ncols, int *status);
void spool_add(struct spool *sp, const char *const *vals, const size_t *lens);
struct spool_mark spool_mark(struct spool *sp);
void spool_truncate(struct spool *sp, struct spool_mark m);
size_t spool_count(const struct spool *sp);
int spool_write(struct spool *sp, struct out *o);
void spool_free(struct spool *sp);

#endif
