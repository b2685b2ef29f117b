#include "common.h"

#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "buf.h"
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

/*
 * Messages about rows that repeat (msg.h): the shapes seen in the current
 * file, with how often each came.  Guarded by a mutex: case-import's
 * reader thread warns while its writer thread reports bad rows.
 */
struct shape {
	char *key;       /* 'e' or 'w', then the text without quoted parts */
	char *example;   /* the text with its quoted parts as '…' */
	long long n;
};

static struct {
	pthread_mutex_t mu;
	char *file;
	struct shape *v;
	size_t n, cap;
} rep = { PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0, 0 };

/* text without what stands between single quotes: the shape's key, and
 * the example with '…' there */
static void shape_of(const char *text, struct buf *key, struct buf *example)
{
	int in = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\'') {
			buf_addc(key, '\'');
			buf_adds(example, in ? "'" : "'\u2026");
			in = !in;
		} else if (!in) {
			buf_addc(key, *p);
			buf_addc(example, *p);
		}
	}
	if (in)
		buf_addc(example, '\'');
}

/* 12345 as "12,345", locale or not. */
static void put_count(struct buf *b, long long n)
{
	char d[32];
	int k = snprintf(d, sizeof d, "%lld", n);

	for (int i = 0; i < k; i++) {
		if (i && (k - i) % 3 == 0 && d[i - 1] != '-')
			buf_addc(b, ',');
		buf_addc(b, d[i]);
	}
}

static void repeats_end_locked(void)
{
	for (size_t i = 0; i < rep.n; i++) {
		struct shape *sh = &rep.v[i];
		if (sh->n > MSG_REPEAT_SHOWN) {
			struct buf b = BUF_INIT;
			buf_adds(&b, "\u2026 and ");
			put_count(&b, sh->n - MSG_REPEAT_SHOWN);
			buf_addf(&b, " more row%s with the same problem (%s)",
				 sh->n - MSG_REPEAT_SHOWN == 1 ? "" : "s", sh->example);
			fflush(stdout);
			fprintf(stderr, "%s: %s: %s\n", prog_name, rep.file, b.s);
			buf_free(&b);
		}
		free(sh->key);
		free(sh->example);
	}
	rep.n = 0;
	free(rep.file);
	rep.file = NULL;
}

void msg_repeats_end(const char *file)
{
	pthread_mutex_lock(&rep.mu);
	if (!file || (rep.file && strcmp(rep.file, file) == 0))
		repeats_end_locked();
	pthread_mutex_unlock(&rep.mu);
}

static void repeats_at_exit(void)
{
	msg_repeats_end(NULL);
}

/* Print a row's message unless its shape came MSG_REPEAT_SHOWN times in
 * this file already. */
static void vmsg_row(char kind, const char *file, long line, const char *fmt, va_list ap)
{
	struct buf text = BUF_INIT, key = BUF_INIT, example = BUF_INIT;
	struct shape *sh = NULL;

	{
		char tmp[4096];
		vsnprintf(tmp, sizeof tmp, fmt, ap);
		buf_adds(&text, tmp);
	}
	buf_addc(&key, kind);
	shape_of(text.s, &key, &example);
	pthread_mutex_lock(&rep.mu);
	if (!rep.file || strcmp(rep.file, file) != 0) {
		repeats_end_locked();
		rep.file = xstrdup(file);
	}
	for (size_t i = 0; i < rep.n && !sh; i++)
		if (strcmp(rep.v[i].key, key.s) == 0)
			sh = &rep.v[i];
	if (!sh && rep.n < MSG_REPEAT_SHAPES) {
		XGROW(rep.v, rep.n + 1, rep.cap);
		sh = &rep.v[rep.n++];
		sh->key = buf_detach(&key);
		sh->example = buf_detach(&example);
		sh->n = 0;
	}
	if (!sh || ++sh->n <= MSG_REPEAT_SHOWN) {
		fflush(stdout);
		fprintf(stderr, "%s: %s:%ld: %s\n", prog_name, file, line, text.s);
	}
	pthread_mutex_unlock(&rep.mu);
	buf_free(&text);
	buf_free(&key);
	buf_free(&example);
}

void msg_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(NULL, 0, fmt, ap);
	va_end(ap);
}

/* A message at a place: about a row (counted, msg.h) when it has a line. */
static void vmsg_at(char kind, const char *file, long line, const char *fmt, va_list ap)
{
	if (file && line > 0)
		vmsg_row(kind, file, line, fmt, ap);
	else
		vmsg(file, line, fmt, ap);
}

void msg_errat(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg_at('e', file, line, fmt, ap);
	va_end(ap);
}

void msg_warnat(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	if (msg_quiet)
		return;
	va_start(ap, fmt);
	vmsg_at('w', file, line, fmt, ap);
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

void msg_progress(const char *fmt, ...)
{
	va_list ap;

	fputs("\r\033[K", stderr);
	if (!fmt)
		return;
	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
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
	atexit(repeats_at_exit); /* runs first: handlers run in reverse */
}
