/*
 * memsrc.h - a read callback over bytes in memory, for tests and fuzzers of
 * the streaming readers (csvio_new, json_stream_new).  step > 0 hands the
 * bytes out at most step at a time, so that tokens cross buffer ends.
 *
 *   struct memsrc m = MEMSRC(text, len, 3);
 *   struct csvio *r = csvio_new(memsrc_read, &m, ',');
 *
 *   char *s = slurp(path, &len);   a whole file, NUL-terminated (len may be
 *                                  NULL); NULL when it cannot be opened
 *   const char *path = write_tmp(p, n);   the bytes in a new file under
 *                                  /tmp (one path, reused by the next call;
 *                                  the caller unlinks it); NULL on failure
 */
#ifndef CITYOPS_TEST_MEMSRC_H
#define CITYOPS_TEST_MEMSRC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "buf.h"

struct memsrc {
	const void *p;
	size_t n, pos, step;
};

#define MEMSRC(p, n, step) ((struct memsrc){ (p), (n), 0, (step) })

static inline ssize_t memsrc_read(void *ctx, char *buf, size_t n)
{
	struct memsrc *m = ctx;
	size_t k = m->n - m->pos;
	if (k > n)
		k = n;
	if (m->step && k > m->step)
		k = m->step;
	memcpy(buf, (const char *)m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char tmp[4096];
	size_t k;

	if (!f)
		return NULL;
	while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, k);
	fclose(f);
	if (len)
		*len = b.len;
	return buf_detach(&b);
}

static inline const char *write_tmp(const void *p, size_t n)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/cityops-test-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, p, n) != (ssize_t)n) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

#endif
