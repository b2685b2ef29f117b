/*
 * ids.h - the record ids a tool works on: from its arguments, or from any
 * CSV/JSON stream with an id column, as the tools pipe to each other
 * (DESIGN §2 "Pipes").
 *
 *   struct ids ids = IDS_INIT;
 *   st = ids_read("-", REC_AUTO, ENCODING_AUTO, &ids);   every id of the stream,
 *           in order; 0, or 65 after a message per bad record
 *           ("FILE:LINE: no id"), or 66/74 when it cannot be read
 *   ids_add(&ids, argv[i], strlen(argv[i]));
 *   for (size_t i = 0; i < ids.n; i++) use(ids.v[i]);
 *   ids_free(&ids);
 *
 * An id is at most IDS_MAX_LEN bytes, with no NUL or other control
 * character.  The stream is read to its end before the caller goes on, so a
 * tool may take the store's write lock only after the tool before it in the
 * pipe has committed and printed.
 */
#ifndef CITYOPS_IDS_H
#define CITYOPS_IDS_H

#include "encoding.h"
#include "rec.h"

#define IDS_MAX_LEN 511

struct ids {
	char **v;
	size_t n, cap;
};

#define IDS_INIT { NULL, 0, 0 }

int ids_read(const char *path, enum rec_fmt fmt, enum encoding enc, struct ids *ids);
void ids_add(struct ids *ids, const char *s, size_t n);
void ids_free(struct ids *ids);

#endif
