/*
 * import.h - case-import's work: read a case export, normalise, validate and
 * upsert it into the store, one transaction per file (DESIGN §7.1).
 *
 *   struct import_opts o = { ... };
 *   struct import_run *r = import_begin(db, &o, &st);
 *   st = import_file(r, path);        per file: 0, 65 (bad rows, file rolled
 *                                     back unless keep_going), 66, 74, 75 ...
 *   st = import_end(r, out);          writes the records of the files that
 *                                     landed to out, and frees the run (out
 *                                     NULL: says how many there were)
 *
 * A first load (case/firstload.h): import_begin() on the side file's store,
 * then import_file_first(r, path, fl, &opts, &d) loads the first file into
 * it, puts it in place when the file landed (else drops it and makes the
 * store empty, as any failed run into a new store does), and opens the
 * store as usual (d, with opts) for the other files.  Should a store appear
 * at the path meanwhile, the file is loaded again into that one; path must
 * be a file that can be read twice.
 *
 * Reading, decoding and normalising run on a second thread that hands blocks
 * of normalised rows to the thread that writes the store, so parsing and the
 * B-tree work overlap on two cores.  Into an empty table, the secondary
 * indexes are dropped and built once after the load, inside the same
 * transaction (a crash leaves the store as it was, indexes included).
 *
 * Each imported record is printed (id, state, category, reported_at) only
 * after its file has committed, so a pipe never sees a case that did not land.
 * How a record becomes a row is case/normalise.h; likely duplicates are
 * case/dups.h.
 */
#ifndef CITYOPS_IMPORT_H
#define CITYOPS_IMPORT_H

#include "db.h"
#include "encoding.h"
#include "out.h"
#include "rec.h"
#include "rejects.h"
#include "case/taxonomy.h"

enum import_conflict { IMPORT_CONFLICT_UPDATE, IMPORT_CONFLICT_SKIP, IMPORT_CONFLICT_FAIL };

struct import_opts {
	const char *const *maps;   /* --map SRC=DST */
	size_t nmaps;
	const char *date_format;
	enum rec_fmt input_format;
	enum encoding encoding;
	struct rejects *rejects;   /* bad rows go here (NULL: nowhere) */
	const char *source;        /* source for rows without one */
	int keep_going;
	int keep_empty;            /* an empty cell leaves a field as it is */
	int dry_run;
	int progress;              /* a progress line on stderr */
	enum import_conflict on_conflict;
	double dup_radius_m;
	long long dup_window_s;
	const struct taxonomy *tax;
};

struct import_run;
struct import_run *import_begin(struct db *d, const struct import_opts *o,
				int *status);
int import_file(struct import_run *r, const char *path);
struct firstload;
int import_file_first(struct import_run *r, const char *path, struct firstload *fl,
		      const struct db_opts *o, struct db **d);
int import_end(struct import_run *r, struct out *out);

/* The canonical input fields with their aliases (import_fields[], declared
 * in case/normalise.h), for docs and mapping: how many. */
extern const size_t import_nfields;

#endif
