/*
 * spool.h - output rows kept in a temporary file until the transaction
 * that made them has committed, so that a pipe never sees a record that
 * did not land, with memory bounded whatever the number of rows.
 *
 *   struct spool *sp = spool_new(ncols, &st);   NULL with st 73 after a
 *                                               message
 *   struct spool_mark m = spool_mark(sp);       before a transaction
 *   spool_row(sp, vals, lens);                  vals[i] NULL: no value;
 *                                               lens NULL: strlen
 *   spool_drop(sp, m);                          it rolled back: forget the
 *                                               rows written since the mark
 *   st = spool_replay(sp, out);                 every row kept, in order,
 *                                               through out_row(); 0, or -1
 *                                               when the file failed (a
 *                                               message printed) or out
 *                                               did
 *   spool_rows(sp)                              rows kept now
 *   spool_free(sp);
 */
#ifndef CITYOPS_SPOOL_H
#define CITYOPS_SPOOL_H

#include "out.h"

struct spool;
struct spool_mark {
	long long off;
	size_t rows;
};

struct spool *spool_new(size_t ncols, int *status);
void spool_row(struct spool *sp, const char *const *vals, const size_t *lens);
struct spool_mark spool_mark(const struct spool *sp);
void spool_drop(struct spool *sp, struct spool_mark m);
size_t spool_rows(const struct spool *sp);
int spool_replay(struct spool *sp, struct out *o);
void spool_free(struct spool *sp);

#endif
