/*
 * msg.h - program setup, messages and exit codes (DESIGN §3).
 *
 * prog_init(argv[0]) sets the program name and locale and registers an
 * at-exit check that flushes stdout: a write error turns the exit status into
 * EXIT_IO_ERR (74) with a message, a broken pipe into a quiet 0 (util-linux
 * closestream.h).  Every message goes to stderr as "prog: ...".
 *
 *   msg_err()    errors: always printed
 *   msg_warn()   warnings: hidden by -q
 *   msg_info()   summaries and progress: hidden by -q
 *   msg_verb()   printed only with -v
 *   msg_errat()  "prog: FILE:LINE: ..." for data errors
 *
 * Messages about rows (msg_errat, msg_warnat with a line) that repeat are
 * printed MSG_REPEAT_SHOWN (5) times per file and shape; the others are
 * counted, and msg_repeats_end(file) (at the end of a file: rec_close()
 * calls it; and at exit) prints one line per shape for them:
 *   prog: june.csv: … and 9,997 more rows with the same problem
 *   (reported_at '…': unrecognised date or time)
 * A message's shape is its text without what stands between single quotes
 * (the values; the line is apart).  A message about another file ends the previous one's
 * count.  At most MSG_REPEAT_SHAPES shapes are counted per file; others
 * are always printed.  --rejects files still list every row.
 */
#ifndef CITYOPS_MSG_H
#define CITYOPS_MSG_H

#include <stdarg.h>

enum {
	EXIT_OK = 0,
	EXIT_FOUND = 1,         /* the check found something */
	EXIT_USAGE = 64,
	EXIT_DATA_ERR = 65,
	EXIT_NO_INPUT = 66,
	EXIT_SOFTWARE_ERR = 70,
	EXIT_CANT_CREATE = 73,
	EXIT_IO_ERR = 74,
	EXIT_LOCKED = 75,
	EXIT_CONFIG = 78,
};

/* A file's status that says the store itself is in trouble (locked, an I/O
 * error, a bug): a run over several files stops at it. */
static inline int exit_store_trouble(int st)
{
	return st == EXIT_LOCKED || st == EXIT_IO_ERR || st == EXIT_SOFTWARE_ERR;
}

extern const char *prog_name;
extern int msg_quiet;
extern int msg_verbose;

void prog_init(const char *argv0);

void msg_err(const char *fmt, ...) ATTR_PRINTF(1, 2);
void msg_warn(const char *fmt, ...) ATTR_PRINTF(1, 2);
void msg_info(const char *fmt, ...) ATTR_PRINTF(1, 2);
void msg_verb(const char *fmt, ...) ATTR_PRINTF(1, 2);
/* The progress line on a terminal: "PROG: ..." over the last one (the
 * caller decides there is a terminal); fmt NULL clears it. */
void msg_progress(const char *fmt, ...) ATTR_PRINTF(1, 2);
void msg_errat(const char *file, long line, const char *fmt, ...)
	ATTR_PRINTF(3, 4);
void msg_warnat(const char *file, long line, const char *fmt, ...)
	ATTR_PRINTF(3, 4);
/* The lines for the rows not shown, when the counts are file's (NULL: any
 * file's); the counts start again. */
void msg_repeats_end(const char *file);

#define MSG_REPEAT_SHOWN 5
#define MSG_REPEAT_SHAPES 256

/* Print "Try 'prog --help' ..." after msg_err(); returns EXIT_USAGE. */
int msg_usage_hint(void);

/* Flush stdout now; returns 0, or an exit code (EXIT_IO_ERR) after a message.
 * A broken pipe exits 0 at once: nobody is listening. */
int msg_flush_stdout(void);

/* The reader of stdout went away (EPIPE): what is left unwritten is dropped
 * and the exit check stays quiet; the exit status is the tool's own. */
void msg_stdout_closed(void);

#endif
