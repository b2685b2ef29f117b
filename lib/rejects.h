/*
 * rejects.h - the --rejects file: every bad input row, as it was read, with
 * where it came from and why it was refused (DESIGN §3 "Bad rows").
 *
 *   struct rejects *rj = rejects_open(path, &st);  NULL with st 73 after a
 *                                                  message; path NULL: a
 *                                                  NULL rejects that takes
 *                                                  rows and writes nothing
 *   rejects_add(rj, header, raw, rawn, file, line, reason);
 *   rejects_add_rec(rj, src, line, reason);        the current record of a
 *                                                  rec source
 *   st = rejects_close(rj);                        0, or 74 after "write
 *                                                  error on 'PATH'"
 *   st = rejects_refuse(name, nbad, "imported", have_rejects);
 *                                                  a file whose bad rows
 *                                                  keep all of it out: says
 *                                                  so, returns 65
 *
 * The file is CSV: the input's header (as rec_header_csv() gives it) plus
 * reject_file, reject_line, reject_reason, then each row as read plus those
 * three.  A header line is written again whenever the input's header changes
 * (several files in one run), so each row sits under the header it came
 * with.  A .gz path compresses.
 */
#ifndef CITYOPS_REJECTS_H
#define CITYOPS_REJECTS_H

#include "rec.h"

struct rejects;
struct rejects *rejects_open(const char *path, int *status);
void rejects_add(struct rejects *rj, const char *header, const char *raw,
		 size_t rawn, const char *file, long line, const char *reason);
void rejects_add_rec(struct rejects *rj, const struct rec_src *s, long line,
		     const char *reason);
int rejects_close(struct rejects *rj);
int rejects_refuse(const char *name, long long nbad, const char *verb, int have_rejects);

#endif
