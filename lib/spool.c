#include "common.h"

#include <stdio_ext.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "out.h"
#include "spool.h"

#define NO_VALUE UINT32_MAX

/* rows are encoded here and written a block at a time: one write per
 * 64 KiB, not two per field */
#define SPOOL_BLOCK 65536

struct spool {
	FILE *fp;
	struct buf w;        /* encoded rows not yet written */
	size_t ncols;
	size_t nrows;
	int failed;          /* a write or a seek failed: errno in err */
	int err;
};

struct spool *spool_new(size_t ncols, int *status)
{
	struct spool *sp;
	FILE *fp = tmpfile();

	if (!fp) {
		msg_err("cannot create a temporary file: %s", strerror(errno));
		*status = EXIT_CANT_CREATE;
		return NULL;
	}
	/* one thread uses a spool: stdio's lock per call is pure cost */
	__fsetlocking(fp, FSETLOCKING_BYCALLER);
	sp = xcalloc(1, sizeof *sp);
	sp->fp = fp;
	sp->ncols = ncols;
	return sp;
}

static void fail(struct spool *sp)
{
	if (!sp->failed) {
		sp->failed = 1;
		sp->err = errno ? errno : EIO;
	}
}

/* Write the encoded rows out. */
static void flush_rows(struct spool *sp)
{
	if (sp->w.len && !sp->failed && fwrite(sp->w.s, 1, sp->w.len, sp->fp) != sp->w.len)
		fail(sp);
	buf_reset(&sp->w);
}

void spool_add(struct spool *sp, const char *const *vals, const size_t *lens)
{
	for (size_t i = 0; i < sp->ncols; i++) {
		size_t n = vals[i] ? (lens ? lens[i] : strlen(vals[i])) : 0;
		uint32_t len = vals[i] ? (uint32_t)n : NO_VALUE;
		if (n >= NO_VALUE)
			len = NO_VALUE - 1; /* 4 GiB of one value: cut, never misread */
		buf_add(&sp->w, &len, sizeof len);
		if (len != NO_VALUE)
			buf_add(&sp->w, vals[i], len);
	}
	sp->nrows++;
	if (sp->w.len >= SPOOL_BLOCK)
		flush_rows(sp);
}

struct spool_mark spool_mark(struct spool *sp)
{
	struct spool_mark m;

	flush_rows(sp);
	m = (struct spool_mark){ ftello(sp->fp), sp->nrows };
	if (m.off < 0)
		fail(sp);
	return m;
}

void spool_truncate(struct spool *sp, struct spool_mark m)
{
	flush_rows(sp);
	if (m.off < 0 || fflush(sp->fp) != 0 || ftruncate(fileno(sp->fp), m.off) != 0 ||
	    fseeko(sp->fp, m.off, SEEK_SET) != 0)
		fail(sp);
	else
		sp->nrows = m.nrows;
}

size_t spool_count(const struct spool *sp)
{
	return sp->nrows;
}

/* The next row into b; 1, 0 at the end, -1 when the file is short. */
static int read_row(struct spool *sp, struct buf *b, size_t *offs, size_t *lens)
{
	for (size_t i = 0; i < sp->ncols; i++) {
		uint32_t len;
		if (fread(&len, sizeof len, 1, sp->fp) != 1)
			return i == 0 && feof(sp->fp) ? 0 : -1;
		if (len == NO_VALUE) {
			offs[i] = SIZE_MAX;
			lens[i] = 0;
			continue;
		}
		offs[i] = b->len;
		lens[i] = len;
		buf_grow(b, (size_t)len + 1);
		if (len && fread(b->s + b->len, 1, len, sp->fp) != len)
			return -1;
		b->len += len;
		b->s[b->len++] = '\0';
	}
	return 1;
}

int spool_write(struct spool *sp, struct out *o)
{
	struct buf b = BUF_INIT;
	size_t *offs = xcalloc(sp->ncols + 1, sizeof *offs);
	size_t *lens = xcalloc(sp->ncols + 1, sizeof *lens);
	const char **vals = xcalloc(sp->ncols + 1, sizeof *vals);
	int rc = 0, st = 0;

	flush_rows(sp);
	if (!sp->failed && (fflush(sp->fp) != 0 || fseeko(sp->fp, 0, SEEK_SET) != 0))
		fail(sp);
	while (!sp->failed && (buf_reset(&b), rc = read_row(sp, &b, offs, lens)) > 0) {
		for (size_t i = 0; i < sp->ncols; i++)
			vals[i] = offs[i] == SIZE_MAX ? NULL : b.s + offs[i];
		if (out_row(o, vals, lens) < 0)
			break; /* the out's close says why */
	}
	if (rc < 0)
		fail(sp);
	if (sp->failed) {
		msg_err("cannot keep the rows in a temporary file: %s", strerror(sp->err));
		st = EXIT_IO_ERR;
	}
	buf_free(&b);
	free(offs);
	free(lens);
	free(vals);
	return st;
}

void spool_free(struct spool *sp)
{
	if (!sp)
		return;
	fclose(sp->fp);
	buf_free(&sp->w);
	free(sp);
}
