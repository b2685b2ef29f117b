#include "common.h"

#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "buf.h"
#include "msg.h"
#include "zio.h"

#define ZIN_BUF (256 * 1024)

enum zin_state { ZIN_SNIFF, ZIN_DIRECT, ZIN_INFLATE, ZIN_BETWEEN, ZIN_END };

struct zin {
	int fd;
	char *name;
	int is_gzip;              /* -1: not known until the first bytes */
	enum zin_state state;
	z_stream zs;
	int zs_init;
	unsigned char *in;        /* bytes read from fd: zs.next_in, avail_in */
	int in_eof;
	long long done, size;     /* bytes read from fd; its size (-1: unknown) */
	char err[160];
	int err_io;               /* err is the system's (a read), not the data's */
};

int zio_has_gz_suffix(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

struct zin *zin_open(const char *path)
{
	struct zin *z;
	struct stat sb;
	int fd;
	unsigned char magic[2];
	off_t at;

	if (!path || strcmp(path, "-") == 0) {
		fd = dup(STDIN_FILENO);
		path = "-";
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0)
		sb.st_mode = 0; /* not known: no size either */
	if (S_ISDIR(sb.st_mode)) {
		close(fd); /* it opens, but read() would fail: say why now */
		errno = EISDIR;
		return NULL;
	}
	z = xcalloc(1, sizeof *z);
	z->name = xstrdup(path);
	z->fd = fd;
	z->in = xmalloc(ZIN_BUF);
	z->is_gzip = -1;
	/* a seekable file says what it is before it is read */
	at = lseek(fd, 0, SEEK_CUR);
	z->size = at >= 0 && S_ISREG(sb.st_mode) && sb.st_size >= at ? (long long)(sb.st_size - at) : -1;
	if (at >= 0 && pread(fd, magic, 2, at) == 2)
		z->is_gzip = magic[0] == 0x1f && magic[1] == 0x8b;
	return z;
}

/* More raw bytes after those not yet used; 1, 0 at the end, -1 error. */
static int zin_fill(struct zin *z)
{
	ssize_t r;

	if (z->in_eof)
		return 0;
	if (z->zs.avail_in > 0 && z->zs.next_in != z->in)
		memmove(z->in, z->zs.next_in, z->zs.avail_in);
	z->zs.next_in = z->in;
	do
		r = read(z->fd, z->in + z->zs.avail_in, ZIN_BUF - z->zs.avail_in);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(z->err, sizeof z->err, "read error: %s", strerror(errno));
		z->err_io = 1;
		return -1;
	}
	if (r == 0) {
		z->in_eof = 1;
		return 0;
	}
	z->done += r;
	z->zs.avail_in += (unsigned)r;
	return 1;
}

/* Gzip or not: the first two bytes say (1f 8b).  0 or -1. */
static int zin_sniff(struct zin *z)
{
	while (z->zs.avail_in < 2 && !z->in_eof)
		if (zin_fill(z) < 0)
			return -1;
	z->is_gzip = z->zs.avail_in >= 2 && z->zs.next_in[0] == 0x1f &&
		     z->zs.next_in[1] == 0x8b;
	if (!z->is_gzip) {
		z->state = ZIN_DIRECT;
		return 0;
	}
	if (inflateInit2(&z->zs, 15 + 16) != Z_OK) {
		snprintf(z->err, sizeof z->err, "cannot inflate: out of memory");
		return -1;
	}
	z->zs_init = 1;
	z->state = ZIN_INFLATE;
	return 0;
}

/*
 * A gzip member ended: another may follow (concatenated members are one
 * stream), or zero bytes of padding, as gzip(1) allows; anything else is
 * an error, as gzip -t says.  0 or -1.
 */
static int zin_between(struct zin *z)
{
	for (;;) {
		if (z->zs.avail_in < 2 && !z->in_eof) {
			if (zin_fill(z) < 0)
				return -1;
			continue;
		}
		if (z->zs.avail_in == 0) {
			z->state = ZIN_END;
			return 0;
		}
		if (z->zs.avail_in >= 2 && z->zs.next_in[0] == 0x1f &&
		    z->zs.next_in[1] == 0x8b) {
			inflateReset(&z->zs);
			z->state = ZIN_INFLATE;
			return 0;
		}
		while (z->zs.avail_in > 0 && z->zs.next_in[0] == 0) {
			z->zs.next_in++;
			z->zs.avail_in--;
		}
		if (z->zs.avail_in > 0) {
			snprintf(z->err, sizeof z->err,
				 "trailing garbage after the gzip data");
			return -1;
		}
	}
}

static ssize_t zin_inflate(struct zin *z, void *buf, size_t n)
{
	for (;;) {
		int rc;
		size_t got;

		if (z->zs.avail_in == 0 && zin_fill(z) < 0)
			return -1;
		z->zs.next_out = buf;
		z->zs.avail_out = n > UINT_MAX ? UINT_MAX : (unsigned)n;
		rc = inflate(&z->zs, Z_NO_FLUSH);
		got = (size_t)((unsigned char *)z->zs.next_out - (unsigned char *)buf);
		if (rc == Z_STREAM_END)
			z->state = ZIN_BETWEEN;
		else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
			snprintf(z->err, sizeof z->err, "corrupt gzip data: %s",
				 z->zs.msg ? z->zs.msg : "invalid data");
			return -1;
		} else if (rc == Z_MEM_ERROR) {
			snprintf(z->err, sizeof z->err, "cannot inflate: out of memory");
			return -1;
		} else if (got == 0 && z->zs.avail_in == 0 && z->in_eof) {
			snprintf(z->err, sizeof z->err, "truncated gzip data");
			return -1;
		}
		if (got > 0)
			return (ssize_t)got;
		if (z->state == ZIN_BETWEEN)
			return 0; /* the caller asks again: zin_read goes on */
	}
}

ssize_t zin_read(struct zin *z, void *buf, size_t n)
{
	ssize_t r;

	if (n == 0)
		return 0;
	for (;;) {
		switch (z->state) {
		case ZIN_SNIFF:
			if (zin_sniff(z) < 0)
				return -1;
			continue;
		case ZIN_DIRECT:
			if (z->zs.avail_in > 0) {
				size_t k = z->zs.avail_in < n ? z->zs.avail_in : n;
				memcpy(buf, z->zs.next_in, k);
				z->zs.next_in += k;
				z->zs.avail_in -= (unsigned)k;
				return (ssize_t)k;
			}
			do
				r = read(z->fd, buf, n);
			while (r < 0 && errno == EINTR);
			if (r < 0) {
				snprintf(z->err, sizeof z->err, "read error: %s",
					 strerror(errno));
				z->err_io = 1;
			} else {
				z->done += r;
			}
			return r;
		case ZIN_INFLATE:
			r = zin_inflate(z, buf, n);
			if (r != 0 || z->state != ZIN_BETWEEN)
				return r;
			continue;
		case ZIN_BETWEEN:
			if (zin_between(z) < 0)
				return -1;
			continue;
		case ZIN_END:
			return 0;
		}
	}
}

const char *zin_error(const struct zin *z)
{
	return z->err[0] ? z->err : "read error";
}

int zin_error_io(const struct zin *z)
{
	return z->err_io || !z->err[0];
}

const char *zin_name(const struct zin *z)
{
	return z->name;
}

int zin_is_gzip(const struct zin *z)
{
	return z->is_gzip > 0;
}

void zin_progress(const struct zin *z, long long *done, long long *size)
{
	*done = z->done;
	*size = z->size;
}

int zin_close(struct zin *z)
{
	int r;
	if (!z)
		return 0;
	if (z->zs_init)
		inflateEnd(&z->zs);
	r = close(z->fd);
	free(z->in);
	free(z->name);
	free(z);
	return r;
}

struct zout {
	FILE *fp;
	gzFile gz;
	int failed;
	int err;         /* errno of the first failed write */
	int own;
	int discard;     /* zout_discard(): drop what was written */
	char *name;      /* for messages; NULL: standard output */
	char *tmp;       /* a file is written here, renamed to final at close */
	char *final;
};

/* A regular file is written beside itself and renamed into place when it is
 * complete, so that a run that fails (or is killed) leaves the old file as
 * it was.  Anything else (a device, a FIFO, /dev/stdout, a symbolic link,
 * which rename() would replace by a file) is written through in place. */
static int open_for_rename(struct zout *z, const char *path)
{
	struct stat sb;
	mode_t mask;
	int fd;

	if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	z->tmp = xmalloc(strlen(path) + 8);
	memcpy(z->tmp, path, strlen(path));
	memcpy(z->tmp + strlen(path), ".XXXXXX", 8);
	fd = mkstemp(z->tmp);
	if (fd < 0) {
		int e = errno;
		free(z->tmp);
		z->tmp = NULL;
		/* a folder we may not create in, but a file we may write */
		fd = e == EACCES ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666) : -1;
		if (fd < 0)
			errno = e;
		return fd;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		/* keep mkstemp's 0600: stricter, never looser */
	}
	z->final = xstrdup(path);
	return fd;
}

struct zout *zout_open(const char *path, int gz)
{
	struct zout *z = xcalloc(1, sizeof *z);
	int fd;

	if (!path || strcmp(path, "-") == 0) {
		if (gz) {
			fflush(stdout);
			fd = dup(STDOUT_FILENO);
			z->gz = fd >= 0 ? gzdopen(fd, "wb6") : NULL;
			if (!z->gz)
				goto fail;
			z->own = 1;
		} else {
			z->fp = stdout;
		}
		return z;
	}
	fd = open_for_rename(z, path);
	if (fd < 0)
		goto fail;
	z->own = 1;
	if (gz) {
		z->gz = gzdopen(fd, "wb6");
		if (!z->gz) {
			close(fd);
			goto fail;
		}
	} else {
		z->fp = fdopen(fd, "w");
		if (!z->fp) {
			close(fd);
			goto fail;
		}
	}
	return z;
fail:
	if (z->tmp) {
		int e = errno;
		unlink(z->tmp);
		errno = e;
	}
	free(z->tmp);
	free(z->final);
	free(z);
	return NULL;
}

void zout_discard(struct zout *z)
{
	if (z)
		z->discard = 1;
}

struct zout *zout_open_fp(FILE *fp)
{
	struct zout *z = xcalloc(1, sizeof *z);
	z->fp = fp;
	return z;
}

int zout_write(struct zout *z, const void *p, size_t n)
{
	if (z->failed)
		return -1;
	if (n == 0)
		return 0;
	if (z->gz) {
		if (gzwrite(z->gz, p, (unsigned)n) != (int)n) {
			int e;
			z->failed = 1;
			gzerror(z->gz, &e);
			z->err = e == Z_ERRNO ? errno : EIO;
		}
	} else if (fwrite(p, 1, n, z->fp) != n) {
		z->failed = 1;
		z->err = errno;
	}
	return z->failed ? -1 : 0;
}

int zout_flush(struct zout *z)
{
	if (z->failed)
		return -1;
	if (z->fp && fflush(z->fp) != 0) {
		z->failed = 1;
		z->err = errno;
	}
	return z->failed ? -1 : 0;
}

int zout_error(const struct zout *z)
{
	return z->failed || (z->fp && ferror(z->fp));
}

struct zout *zout_open_output(const char *path, int *status)
{
	struct zout *z;

	if (path && strcmp(path, "-") == 0)
		path = NULL;
	z = zout_open(path, path && zio_has_gz_suffix(path));
	if (!z) {
		msg_err("cannot create '%s': %s", path, strerror(errno));
		*status = EXIT_CANT_CREATE;
		return NULL;
	}
	z->name = path ? xstrdup(path) : NULL;
	*status = 0;
	return z;
}

int zout_finish(struct zout *z, int failed)
{
	char *name = z->name;
	int to_stdout = z->fp == stdout || (!name && z->gz);
	int err = z->err;
	int st = 0;

	failed |= zout_error(z);
	z->name = NULL;
	errno = 0;
	if (zout_close(z) < 0 && !err)
		err = errno;
	if (failed || err) {
		if (err == EPIPE) {
			/* nobody reads any more: no error, and none at exit */
			if (to_stdout)
				msg_stdout_closed();
		} else {
			if (!err)
				err = EIO;
			if (name)
				msg_err("write error on '%s': %s", name, strerror(err));
			else
				msg_err("write error on standard output: %s", strerror(err));
			if (to_stdout)
				clearerr(stdout); /* said once: not again at exit */
			st = EXIT_IO_ERR;
		}
	}
	free(name);
	return st;
}

int zout_close(struct zout *z)
{
	int failed;
	int saved = 0;

	if (!z)
		return 0;
	free(z->name);
	failed = z->failed;
	if (z->gz) {
		if (gzclose_w(z->gz) != Z_OK)
			failed = 1;
		saved = errno;
	} else if (z->fp) {
		if (fflush(z->fp) != 0 || ferror(z->fp))
			failed = 1;
		saved = errno;
		if (z->own && fclose(z->fp) != 0) {
			failed = 1;
			saved = errno;
		}
	}
	if (z->tmp) {
		if (failed || z->discard) {
			unlink(z->tmp);
		} else if (rename(z->tmp, z->final) != 0) {
			failed = 1;
			saved = errno;
			unlink(z->tmp);
		}
	}
	free(z->tmp);
	free(z->final);
	free(z);
	errno = saved;
	return failed ? -1 : 0;
}
