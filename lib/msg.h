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

extern const char *prog_name;
extern int msg_quiet;
extern int msg_verbose;

void prog_init(const char *argv0);

void msg_err(const char *fmt, ...) ATTR_PRINTF(1, 2);
void msg_warn(const char *fmt, ...) ATTR_PRINTF(1, 2);
void msg_info(const char *fmt, ...) ATTR_PRINTF(1, 2);
void msg_verb(const char *fmt, ...) ATTR_PRINTF(1, 2);
void msg_errat(const char *file, long line, const char *fmt, ...)
	ATTR_PRINTF(3, 4);
void msg_warnat(const char *file, long line, const char *fmt, ...)
	ATTR_PRINTF(3, 4);

/* Print "Try 'prog --help' ..." after msg_err(); returns EXIT_USAGE. */
int msg_usage_hint(void);

/* Flush stdout now; returns 0, or an exit code (EXIT_IO_ERR) after a message.
 * A broken pipe exits 0 at once: nobody is listening. */
int msg_flush_stdout(void);

/* The reader of stdout went away (EPIPE): what is left unwritten is dropped
 * and the exit check stays quiet; the exit status is the tool's own. */
void msg_stdout_closed(void);

#endif
