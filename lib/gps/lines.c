#include "common.h"

#include "csvio.h"
#include "msg.h"
#include "gps/lines.h"

#define CHUNK (1u << 20)
#define MAX_RECORD (64u << 20)

struct lines {
	struct encoding_in *t;
	char *name;
	char delim;
	char *buf;
	size_t cap, len, pos;
	int eof, status;
	long line;
	struct buf unq;          /* quoted fields with "" in them, unescaped */
	long unq_at[LINES_MAX_FIELDS];  /* where in unq, or -1: in place */
	struct lrec rec;
};

struct lines *lines_open(const char *path, enum encoding enc, char delim, int *status)
{
	struct lines *l = xcalloc(1, sizeof *l);

	l->name = xstrdup(path && strcmp(path, "-") ? path : "-");
	if (!(l->t = encoding_open(path, enc))) {
		msg_err("cannot open '%s': %s", l->name, strerror(errno));
		*status = EXIT_NO_INPUT;
		free(l->name);
		free(l);
		return NULL;
	}
	l->delim = delim;
	l->cap = CHUNK;
	l->buf = xmalloc(l->cap + 1);
	l->line = 1;
	*status = 0;
	return l;
}

/* Keep buf[pos..len), read more after it; 0, or -1 after a message. */
static int refill(struct lines *l)
{
	ssize_t r;

	if (l->pos) {
		memmove(l->buf, l->buf + l->pos, l->len - l->pos);
		l->len -= l->pos;
		l->pos = 0;
	}
	if (l->len == l->cap) {
		if (l->cap >= MAX_RECORD) {
			msg_errat(l->name, l->line, "record longer than %u MiB (unbalanced quote?)",
				  MAX_RECORD >> 20);
			l->status = EXIT_DATA_ERR;
			return -1;
		}
		l->cap *= 2;
		l->buf = xrealloc(l->buf, l->cap + 1);
	}
	r = encoding_read(l->t, l->buf + l->len, l->cap - l->len);
	if (r < 0) {
		long ln = encoding_error_line(l->t);
		msg_errat(l->name, ln, "%s", encoding_error(l->t));
		l->status = encoding_error_io(l->t) ? EXIT_IO_ERR : EXIT_DATA_ERR;
		return -1;
	}
	if (r == 0)
		l->eof = 1;
	l->len += (size_t)r;
	return 0;
}

static void plain_field(void *ctx, const char *s, size_t n)
{
	struct lines *l = ctx;
	struct lrec *r = &l->rec;

	if (r->n < LINES_MAX_FIELDS) {
		l->unq_at[r->n] = -1;
		r->f[r->n] = s;
		r->len[r->n++] = n;
	}
}

/* A whole line without quotes: split it at the delimiters (memchr, which
 * is what most lines of fixes take).  1 done, 0 not such a line. */
static int parse_plain(struct lines *l, size_t *end)
{
	const char *p = l->buf + l->pos, *e = l->buf + l->len, *nl;
	struct lrec *r = &l->rec;

	if (!(nl = memchr(p, '\n', (size_t)(e - p))) || memchr(p, '"', (size_t)(nl - p)))
		return 0;
	*end = (size_t)(nl - l->buf) + 1;
	if (nl > p && nl[-1] == '\r')
		nl--;
	r->n = 0;
	r->count = csvio_split_plain(p, (size_t)(nl - p), l->delim, 0, plain_field, l);
	return 1;
}

/* Parse one record at buf[pos..len).  1 done, 0 needs more input, -1 bad. */
static int parse(struct lines *l, size_t *end, long *lines)
{
	const char *b = l->buf, *p = b + l->pos, *e = b + l->len;
	struct lrec *r = &l->rec;

	r->n = r->count = 0;
	buf_reset(&l->unq);
	*lines = 0;
	for (;;) {
		const char *s = p;
		size_t n;
		if (p < e && *p == '"') {
			size_t at = l->unq.len;
			int copy = 0;
			for (p++;; p++) {
				if (p >= e)
					return 0;
				if (*p == '"') {
					if (p + 1 >= e && !l->eof)
						return 0;
					if (p + 1 < e && p[1] == '"') {
						copy = 1;
						p++;
						continue;
					}
					break;
				}
				if (*p == '\n')
					++*lines;
			}
			/* the field is s+1 .. p, with "" for " */
			if (copy) {
				for (const char *q = s + 1; q < p; q++) {
					buf_addc(&l->unq, *q);
					if (*q == '"')
						q++;
				}
			}
			p++;
			while (p < e && *p == ' ')
				p++;
			if (p < e && *p != l->delim && *p != '\n' && *p != '\r') {
				char why[200];
				csvio_after_quote(why, sizeof why, s, (size_t)(p + 1 - s));
				msg_errat(l->name, l->line, "%s", why);
				return -1;
			}
			if (r->n < LINES_MAX_FIELDS) {
				l->unq_at[r->n] = copy ? (long)at : -1;
				r->f[r->n] = s + 1;
				r->len[r->n++] = copy ? l->unq.len - at : (size_t)(p - s - 2);
			}
		} else {
			while (p < e && *p != l->delim && *p != '\n')
				p++;
			if (p >= e && !l->eof)
				return 0;
			n = (size_t)(p - s);
			if (p < e && *p == '\n' && n && s[n - 1] == '\r')
				n--;
			else if (p >= e && n && s[n - 1] == '\r')
				n--;
			if (r->n < LINES_MAX_FIELDS) {
				l->unq_at[r->n] = -1;
				r->f[r->n] = s;
				r->len[r->n++] = n;
			}
		}
		r->count++;
		if (p < e && *p == '\r')
			p++;
		if (p >= e || *p == '\n') {
			*end = (size_t)(p - b) + (p < e);
			return 1;
		}
		p++; /* the delimiter */
	}
}

int lines_next(struct lines *l, struct lrec **out)
{
	for (;;) {
		size_t end;
		long nl;
		int rc;

		if (l->pos >= l->len && l->eof)
			return 0;
		if (l->pos < l->len && (l->buf[l->pos] == '\n' ||
					(l->buf[l->pos] == '\r' && l->pos + 1 < l->len &&
					 l->buf[l->pos + 1] == '\n'))) {
			l->pos += l->buf[l->pos] == '\r' ? 2 : 1;
			l->line++;
			continue; /* a blank line */
		}
		nl = 0;
		rc = parse_plain(l, &end);
		if (!rc)
			rc = l->pos < l->len || l->eof ? parse(l, &end, &nl) : 0;
		if (rc < 0) {
			l->status = EXIT_DATA_ERR;
			return -1;
		}
		if (rc == 0) {
			if (l->eof) {
				msg_errat(l->name, l->line, "unterminated quoted field");
				l->status = EXIT_DATA_ERR;
				return -1;
			}
			if (refill(l) < 0)
				return -1;
			continue;
		}
		/* quoted fields that were unescaped live in unq */
		for (size_t i = 0; i < l->rec.n; i++)
			if (l->unq_at[i] >= 0)
				l->rec.f[i] = l->unq.s + l->unq_at[i];
		l->rec.line = l->line;
		l->line += 1 + nl;
		l->pos = end;
		*out = &l->rec;
		return 1;
	}
}

int lines_status(const struct lines *l)
{
	return l->status;
}

const char *lines_name(const struct lines *l)
{
	return l->name;
}

void lines_raw(const struct lines *l, struct buf *out)
{
	for (size_t i = 0; i < l->rec.n; i++) {
		if (i)
			buf_addc(out, ',');
		csvio_quote(out, l->rec.f[i], l->rec.len[i]);
	}
}

void lines_close(struct lines *l)
{
	if (!l)
		return;
	encoding_close(l->t);
	buf_free(&l->unq);
	free(l->buf);
	free(l->name);
	free(l);
}
