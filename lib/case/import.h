/*
 * import.h - case-import's work: read a case export, normalise, validate and
 * upsert it into the store, one transaction per file (DESIGN §7.1).
 *
 *   struct import_opts o = { ... };
 *   struct import_run *r = import_begin(db, &o);
 *   st = import_file(r, path);        per file: 0, 65 (bad rows, file rolled
 *                                     back unless keep_going), 66, 74, 75 ...
 *   st = import_end(r);               flushes the printed records and the
 *                                     rejects file
 *
 * Reading, decoding and normalising run on a second thread that hands blocks
 * of normalised rows to the thread that writes the store, so parsing and the
 * B-tree work overlap on two cores.  Into an empty table, the secondary
 * indexes are dropped and built once after the load, inside the same
 * transaction (a crash leaves the store as it was, indexes included).
 *
 * Each imported record is printed (id, state, category, reported_at) only
 * after its file has committed, so a pipe never sees a case that did not land.
 */
#ifndef CITYOPS_IMPORT_H
#define CITYOPS_IMPORT_H

#include "db.h"
#include "opt.h"
#include "case/taxonomy.h"

enum conflict { CONFLICT_UPDATE, CONFLICT_SKIP, CONFLICT_FAIL };

struct import_opts {
	const struct opt_common *co;
	const char *const *maps;
	size_t nmaps;
	const char *date_format;
	const char *rejects;
	const char *source;        /* source for rows without one */
	int keep_going;
	enum conflict on_conflict;
	double dup_radius_m;
	long long dup_window_s;
	const struct taxonomy *tax;
	enum out_format out_format;
};

struct import_run;
struct import_run *import_begin(struct db *d, const struct import_opts *o,
				int *status);
int import_file(struct import_run *r, const char *path);
int import_end(struct import_run *r);

/* The canonical input fields with their aliases, for docs and mapping. */
extern const struct rec_field import_fields[];
extern const size_t import_nfields;

#endif
