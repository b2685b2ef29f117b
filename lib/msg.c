#include "common.h"

#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <unistd.h>

#include "msg.h"

const char *prog_name = "cityops";
int msg_quiet;
int msg_verbose;

static void vmsg(const char *file, long line, const char *fmt, va_list ap)
{
	char buf[4096];
	int n;

	if (file && line > 0)
		n = snprintf(buf, sizeof buf, "%s: %s:%ld: ", prog_name, file, line);
	else if (file)
		n = snprintf(buf, sizeof buf, "%s: %s: ", prog_name, file);
	else
		n = snprintf(buf, sizeof buf, "%s: ", prog_name);
	if (n < 0 || (size_t)n >= sizeof buf)
		n = 0;
	vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
	/* One write per message so that lines of parallel runs do not mix. */
	fflush(stdout);
	fprintf(stderr, "%s\n", buf);
}

void msg_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
}

void msg_errat(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(file, line, fmt, ap);
	va_end(ap);
}

void msg_warnat(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	if (msg_quiet)
		return;
	va_start(ap, fmt);
	vmsg(file, line, fmt, ap);
	va_end(ap);
}

void msg_warn(const char *fmt, ...)
{
	va_list ap;
	if (msg_quiet)
		return;
	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
}

void msg_info(const char *fmt, ...)
{
	va_list ap;
	if (msg_quiet)
		return;
	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
}

void msg_verb(const char *fmt, ...)
{
	va_list ap;
	if (!msg_verbose || msg_quiet)
		return;
	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
}

int msg_usage_hint(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", prog_name);
	return EXIT_USAGE;
}

int msg_flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		_exit(0);
	msg_err("write error on standard output: %s", strerror(errno));
	return EXIT_IO_ERR;
}

static int stdout_closed;

void msg_stdout_closed(void)
{
	int fd;

	stdout_closed = 1;
	clearerr(stdout);
	/* what stdio still holds would fail again at exit: send it nowhere */
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
}

static void close_stdout(void)
{
	int err = ferror(stdout);
	int saved;

	if (stdout_closed) {
		fflush(stdout);
		return;
	}

	errno = 0;
	if (fflush(stdout) != 0 || err) {
		saved = errno;
		if (saved == EPIPE)
			_exit(0);
		msg_err("write error on standard output%s%s",
			saved ? ": " : "", saved ? strerror(saved) : "");
		_exit(EXIT_IO_ERR);
	}
	if (fclose(stdout) != 0 && errno != EBADF) {
		if (errno == EPIPE)
			_exit(0);
		msg_err("write error on standard output: %s", strerror(errno));
		_exit(EXIT_IO_ERR);
	}
}

void prog_init(const char *argv0)
{
	const char *p;

	if (argv0 && *argv0) {
		p = strrchr(argv0, '/');
		prog_name = p ? p + 1 : argv0;
	}
	/* The user's locale for the language of strerror() only: numbers
	 * (strtod, printf's %f: de_DE's "0,96" is not JSON), times (strptime's
	 * %p and %b), case folding (tr_TR: strcasecmp("I", "i") != 0) and
	 * collation are the same under every locale.  C.UTF-8 keeps ctype's
	 * folding ASCII and gettext's output UTF-8. */
	setlocale(LC_ALL, "");
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C");
	setlocale(LC_NUMERIC, "C");
	setlocale(LC_TIME, "C");
	setlocale(LC_COLLATE, "C");
	/* A closed pipe is reported as EPIPE by write(), and we exit 0 quietly
	 * then; the default SIGPIPE would also be quiet but skips the flush of
	 * the store's transaction rollback, so we take the error instead. */
	signal(SIGPIPE, SIG_IGN);
	atexit(close_stdout);
}
