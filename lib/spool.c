/*
 * spool.c - rows kept in a temporary file until they may be printed (see
 * spool.h).  A row is its fields, each a 32-bit length (UINT32_MAX: no
 * value) and the bytes.
 */
#include "common.h"

#include <sys/types.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "out.h"
#include "spool.h"

#define NOVAL UINT32_MAX

struct spool {
	FILE *f;
	size_t ncols;
	size_t rows;
	int failed;
};

struct spool *spool_new(size_t ncols, int *status)
{
	struct spool *sp;
	FILE *f = tmpfile();

	*status = 0;
	if (!f) {
		msg_err("cannot create a temporary file: %s", strerror(errno));
		*status = EXIT_CANT_CREATE;
		return NULL;
	}
	sp = xcalloc(1, sizeof *sp);
	sp->f = f;
	sp->ncols = ncols;
	return sp;
}

void spool_row(struct spool *sp, const char *const *vals, const size_t *lens)
{
	for (size_t i = 0; i < sp->ncols; i++) {
		size_t n = vals[i] ? (lens ? lens[i] : strlen(vals[i])) : 0;
		uint32_t len = vals[i] ? (uint32_t)n : NOVAL;
		if (n >= NOVAL || fwrite(&len, sizeof len, 1, sp->f) != 1 ||
		    (n && fwrite(vals[i], 1, n, sp->f) != n))
			sp->failed = 1;
	}
	sp->rows++;
}

struct spool_mark spool_mark(const struct spool *sp)
{
	struct spool_mark m = { (long long)ftello(sp->f), sp->rows };
	return m;
}

void spool_drop(struct spool *sp, struct spool_mark m)
{
	if (fflush(sp->f) != 0 || ftruncate(fileno(sp->f), (off_t)m.off) != 0 ||
	    fseeko(sp->f, (off_t)m.off, SEEK_SET) != 0)
		sp->failed = 1;
	sp->rows = m.rows;
}

size_t spool_rows(const struct spool *sp)
{
	return sp->rows;
}

/* One row back into b; the values' offsets in off[] (SIZE_MAX: none). */
static int read_row(struct spool *sp, struct buf *b, size_t *off, size_t *len)
{
	buf_reset(b);
	for (size_t i = 0; i < sp->ncols; i++) {
		uint32_t n;
		if (fread(&n, sizeof n, 1, sp->f) != 1)
			return -1;
		if (n == NOVAL) {
			off[i] = SIZE_MAX;
			len[i] = 0;
			continue;
		}
		off[i] = b->len;
		len[i] = n;
		buf_grow(b, (size_t)n + 1);
		if (n && fread(b->s + b->len, 1, n, sp->f) != n)
			return -1;
		b->len += n;
		b->s[b->len++] = '\0';
	}
	return 0;
}

int spool_replay(struct spool *sp, struct out *o)
{
	struct buf b = BUF_INIT;
	size_t *off = xcalloc(sp->ncols + 1, sizeof *off);
	size_t *len = xcalloc(sp->ncols + 1, sizeof *len);
	const char **vals = xcalloc(sp->ncols + 1, sizeof *vals);
	int ret = -1;

	if (sp->failed || fflush(sp->f) != 0 || fseeko(sp->f, 0, SEEK_SET) != 0) {
		msg_err("cannot keep the output in a temporary file: %s", strerror(errno));
		goto out;
	}
	for (size_t r = 0; r < sp->rows; r++) {
		if (read_row(sp, &b, off, len) < 0) {
			msg_err("cannot read back the output kept in a temporary file");
			goto out;
		}
		for (size_t i = 0; i < sp->ncols; i++)
			vals[i] = off[i] == SIZE_MAX ? NULL : b.s + off[i];
		if (out_row(o, vals, len) < 0)
			goto out;
	}
	ret = 0;
	if (fseeko(sp->f, 0, SEEK_END) != 0)
		sp->failed = 1;
out:
	buf_free(&b);
	free(off);
	free(len);
	free(vals);
	return ret;
}

void spool_free(struct spool *sp)
{
	if (!sp)
		return;
	fclose(sp->f);
	free(sp);
}
