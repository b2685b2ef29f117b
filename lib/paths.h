/*
 * paths.h - outputs that would destroy inputs (DESIGN §3: nothing is ever
 * half-written, and no option may eat its own input).
 *
 * `case-import -k --rejects m.csv m.csv` opens m.csv for writing before it
 * reads it: the rejects writer truncates the input to nothing.  A tool
 * lists what it reads and what it writes, and calls, after parsing its
 * options and BEFORE it opens anything for writing (the store included):
 *
 *   struct paths pa = PATHS_INIT;
 *   paths_input(&pa, NULL, argv[i]);         "-": standard input
 *   paths_operands(&pa, argc, argv, optind); the files named, or standard
 *                                            input when none is
 *   paths_input(&pa, "--classes", classes);  a NULL path is skipped
 *   paths_output(&pa, "-o", "-");            "-": standard output
 *   paths_output(&pa, "--rejects", rejects);  (NULL: not given, skipped)
 *   paths_output(&pa, "the store", db_default_path(co.db));
 *   st = paths_check(&pa);                   0, or 64 after a message:
 *       "case-import: --rejects 'm.csv' is the input 'm.csv': refusing to
 *        overwrite it"
 *   paths_free(&pa);
 *
 * Two names are the same file when stat(2) gives the same device and inode:
 * a symbolic or hard link to an input is caught, and so is an input given as
 * "-" whose standard input is redirected from the output file.  Only regular
 * files are compared (stdin from /dev/null with --rejects /dev/null is
 * fine); an output that does not exist yet cannot be an input.  Two outputs
 * that are one file (-o x --rejects x) are refused too: their lines would
 * interleave.
 */
#ifndef CITYOPS_PATHS_H
#define CITYOPS_PATHS_H

struct paths_ent {
	const char *what;   /* the option, "the store"; NULL: "the input" */
	const char *path;   /* NULL: standard input or output */
};

struct paths {
	struct paths_ent *in, *out;
	size_t nin, incap, nout, outcap;
};

#define PATHS_INIT { NULL, NULL, 0, 0, 0, 0 }

void paths_input(struct paths *pa, const char *what, const char *path);
void paths_output(struct paths *pa, const char *what, const char *path);
void paths_operands(struct paths *pa, int argc, char **argv, int first);
int paths_check(const struct paths *pa);
void paths_free(struct paths *pa);

#endif
