#include "common.h"

#include <stdlib.h>
#include <unistd.h>

#include "msg.h"
#include "gps/fixbuf.h"

struct seg {
	uint64_t off;
	size_t n;
};

struct vbuf {
	struct gps_fix *f;
	size_t n, cap;
	int sorted;          /* f is in order (checked as fixes come) */
	struct seg *segs;
	size_t nsegs, segcap;
};

struct fixbuf {
	struct vbuf *v;
	size_t nv, vcap;
	size_t budget, used;
	FILE *tmp;
	uint64_t tmp_off;
	size_t runs;
};

struct fixbuf *fixbuf_new(size_t budget)
{
	struct fixbuf *b = xcalloc(1, sizeof *b);
	b->budget = budget < (1u << 20) ? (1u << 20) : budget;
	return b;
}

static int cmp_fix(const void *a, const void *b)
{
	return fix_cmp(a, b);
}

/* Insertion sort while the fixes are nearly in order (a few sent late),
 * qsort when they are not. */
static void sort_vbuf(struct vbuf *v)
{
	size_t moves = 0, limit = v->n * 8 + 64;

	if (v->sorted)
		return;
	for (size_t i = 1; i < v->n && moves <= limit; i++) {
		struct gps_fix x = v->f[i];
		size_t j = i;
		while (j > 0 && fix_cmp(&v->f[j - 1], &x) > 0 && moves++ <= limit) {
			v->f[j] = v->f[j - 1];
			j--;
		}
		v->f[j] = x;
	}
	if (moves > limit)
		qsort(v->f, v->n, sizeof *v->f, cmp_fix);
	v->sorted = 1;
}

/* A temporary file in $TMPDIR (else /tmp), gone when closed. */
static FILE *temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	snprintf(path, sizeof path, "%s/gps-audit.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		msg_err("cannot create a temporary file in '%s' to sort the fixes: %s",
			dir && *dir ? dir : "/tmp", strerror(errno));
		return NULL;
	}
	unlink(path);
	if (!(f = fdopen(fd, "w+b"))) {
		msg_err("cannot create a temporary file to sort the fixes: %s", strerror(errno));
		close(fd);
	}
	return f;
}

/* Write every vehicle's fixes, sorted, as one run. */
static int spill(struct fixbuf *b)
{
	if (!b->tmp && !(b->tmp = temp_file()))
		return -1;
	for (size_t i = 0; i < b->nv; i++) {
		struct vbuf *v = &b->v[i];
		if (!v->n)
			continue;
		sort_vbuf(v);
		if (fwrite(v->f, sizeof *v->f, v->n, b->tmp) != v->n) {
			msg_err("cannot write the fixes to a temporary file: %s", strerror(errno));
			return -1;
		}
		XGROW(v->segs, v->nsegs + 1, v->segcap);
		v->segs[v->nsegs].off = b->tmp_off;
		v->segs[v->nsegs++].n = v->n;
		b->tmp_off += v->n * sizeof *v->f;
		free(v->f);
		v->f = NULL;
		v->n = v->cap = 0;
	}
	if (fflush(b->tmp) != 0) {
		msg_err("cannot write the fixes to a temporary file: %s", strerror(errno));
		return -1;
	}
	b->used = 0;
	b->runs++;
	msg_verb("fixes sorted in %zu runs on disk so far", b->runs);
	return 0;
}

int fixbuf_add(struct fixbuf *b, size_t vid, const struct gps_fix *f)
{
	struct vbuf *v;

	if (vid >= b->nv) {
		XGROW(b->v, vid + 1, b->vcap);
		memset(b->v + b->nv, 0, (vid + 1 - b->nv) * sizeof *b->v);
		b->nv = vid + 1;
	}
	v = &b->v[vid];
	if (v->n == v->cap) {
		size_t old = v->cap;
		if (b->used + (old ? old : 64) * sizeof *f > b->budget && spill(b) < 0)
			return -1;
		old = v->cap;
		v->cap = old ? old * 2 : 64;
		v->f = xreallocarray(v->f, v->cap, sizeof *v->f);
		b->used += (v->cap - old) * sizeof *f;
	}
	if (v->n == 0)
		v->sorted = 1;
	else if (v->sorted && fix_cmp(&v->f[v->n - 1], f) > 0)
		v->sorted = 0;
	v->f[v->n++] = *f;
	return 0;
}

size_t fixbuf_runs(const struct fixbuf *b)
{
	return b->runs;
}

void fixbuf_drop(struct fixbuf *b, size_t vid)
{
	if (vid >= b->nv)
		return;
	b->used -= b->v[vid].cap * sizeof(struct gps_fix);
	free(b->v[vid].f);
	free(b->v[vid].segs);
	memset(&b->v[vid], 0, sizeof b->v[vid]);
}

void fixbuf_free(struct fixbuf *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nv; i++) {
		free(b->v[i].f);
		free(b->v[i].segs);
	}
	free(b->v);
	if (b->tmp)
		fclose(b->tmp);
	free(b);
}

/* ---- reading back ------------------------------------------------------ */

int fixbuf_iter(struct fixbuf *b, size_t vid, struct fixiter *it)
{
	struct vbuf *v;

	memset(it, 0, sizeof *it);
	it->b = b;
	if (vid >= b->nv)
		return 0;
	v = &b->v[vid];
	it->src = xcalloc(v->nsegs + 1, sizeof *it->src);
	for (size_t i = 0; i < v->nsegs; i++) {
		struct fixsrc *s = &it->src[it->nsrc++];
		s->off = v->segs[i].off;
		s->left = v->segs[i].n;
		s->buf = xmalloc(FIXITER_BUF * sizeof *s->buf);
	}
	if (v->n) {
		struct fixsrc *s = &it->src[it->nsrc++];
		sort_vbuf(v);
		s->mem = v->f;
		s->n = v->n;
	}
	return 0;
}

/* Make sure src has a fix at pos; 0 when it is spent, -1 on error. */
static int fill(struct fixiter *it, struct fixsrc *s)
{
	size_t k;

	if (s->pos < s->n)
		return 1;
	if (s->mem || !s->left)
		return 0;
	k = s->left < FIXITER_BUF ? s->left : FIXITER_BUF;
	if (pread(fileno(it->b->tmp), s->buf, k * sizeof *s->buf, (off_t)s->off) !=
	    (ssize_t)(k * sizeof *s->buf)) {
		msg_err("cannot read the fixes back from the temporary file: %s",
			strerror(errno ? errno : EIO));
		it->failed = 1;
		return -1;
	}
	s->off += k * sizeof *s->buf;
	s->left -= k;
	s->pos = 0;
	s->n = k;
	return 1;
}

int fixiter_next(struct fixiter *it, struct gps_fix *out)
{
	struct fixsrc *best = NULL;

	for (size_t i = 0; i < it->nsrc; i++) {
		struct fixsrc *s = &it->src[i];
		const struct gps_fix *f;
		int r = fill(it, s);
		if (r < 0)
			return -1;
		if (!r)
			continue;
		f = s->mem ? &s->mem[s->pos] : &s->buf[s->pos];
		if (!best || fix_cmp(f, best->mem ? &best->mem[best->pos] : &best->buf[best->pos]) < 0)
			best = s;
	}
	if (!best)
		return 0;
	*out = best->mem ? best->mem[best->pos] : best->buf[best->pos];
	best->pos++;
	return 1;
}

void fixiter_done(struct fixiter *it)
{
	for (size_t i = 0; i < it->nsrc; i++)
		free(it->src[i].buf);
	free(it->src);
	memset(it, 0, sizeof *it);
}
