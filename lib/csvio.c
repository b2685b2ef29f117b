#include "common.h"

#include <csv.h>

#include "buf.h"
#include "csvio.h"

#define CHUNK (256 * 1024)
#define CSVIO_MAX_FIELD (64 << 20)

/* A queued record: fields are offsets into r->store. */
struct qrec {
	size_t first;  /* index of its first field in r->foff */
	size_t n;
	long line;
};

struct csvr {
	struct csv_parser p;
	csvr_read_fn readfn;
	void *ctx;
	char delim;
	char *chunk;
	size_t chunk_len, chunk_pos;
	int eof;
	long line;           /* physical line being fed (1-based) */
	long rec_line;       /* line on which the current record began */
	/* the data of the records completed by the last feed */
	struct buf store;
	size_t *foff, *flen;
	size_t nf, fcap;
	struct qrec *q;
	size_t nq, qcap, qhead;
	size_t cur_first;    /* first field of the record being built */
	/* what csvr_next hands out */
	struct csv_rec out;
	char **outf;
	size_t *outlen;
	size_t outcap;
	char err[200];
	long err_line;
};

/*
 * libcsv grows a field's buffer by a fixed block (128 bytes) with realloc,
 * which is quadratic for a long field wherever realloc copies.  Its buffers
 * come from these instead: each remembers its capacity and doubles it, so a
 * realloc that still fits is free.
 */
struct cbhdr {
	size_t cap;
	max_align_t pad[];
};

static void *csv_grow(void *p, size_t n)
{
	struct cbhdr *h = p ? (struct cbhdr *)p - 1 : NULL;
	size_t cap;

	if (h && h->cap >= n)
		return p;
	cap = h ? h->cap * 2 : 256;
	while (cap < n)
		cap *= 2;
	h = realloc(h, sizeof *h + cap);
	if (!h)
		return NULL;
	h->cap = cap;
	return h + 1;
}

static void csv_release(void *p)
{
	if (p)
		free((struct cbhdr *)p - 1);
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int space_only(unsigned char c)
{
	return c == ' ';
}

static void add_field(void *data, const char *s, size_t len)
{
	struct csvr *r = data;

	if (r->nf + 1 > r->fcap) {
		XGROW(r->foff, r->nf + 1, r->fcap);
		r->flen = xreallocarray(r->flen, r->fcap, sizeof *r->flen);
	}
	r->foff[r->nf] = r->store.len;
	r->flen[r->nf] = len;
	buf_add(&r->store, s ? s : "", s ? len : 0);
	buf_addc(&r->store, '\0');
	r->nf++;
}

static void cb_field(void *s, size_t len, void *data)
{
	add_field(data, s, len);
}

static void cb_record(int c, void *data)
{
	struct csvr *r = data;
	(void)c;
	XGROW(r->q, r->nq + 1, r->qcap);
	r->q[r->nq].first = r->cur_first;
	r->q[r->nq].n = r->nf - r->cur_first;
	r->q[r->nq].line = r->rec_line;
	r->nq++;
	r->cur_first = r->nf;
}

struct csvr *csvr_new(csvr_read_fn readfn, void *ctx, char delim)
{
	struct csvr *r = xcalloc(1, sizeof *r);

	if (csv_init(&r->p, CSV_STRICT_FINI) != 0) {
		free(r);
		return NULL;
	}
	csv_set_realloc_func(&r->p, csv_grow);
	csv_set_free_func(&r->p, csv_release);
	csv_set_delim(&r->p, (unsigned char)delim);
	/* Unquoted fields keep their spaces in TSV; CSV trims spaces (not
	 * tabs) around them so that `a, "b"` is read as two fields. */
	csv_set_space_func(&r->p, delim == '\t' ? no_space : space_only);
	r->readfn = readfn;
	r->ctx = ctx;
	r->delim = delim;
	r->chunk = xmalloc(CHUNK);
	r->line = 1;
	return r;
}

/* Refill the chunk; 0 ok (maybe eof), -1 error. */
static int refill(struct csvr *r)
{
	ssize_t n;

	if (r->chunk_pos < r->chunk_len) {
		memmove(r->chunk, r->chunk + r->chunk_pos, r->chunk_len - r->chunk_pos);
		r->chunk_len -= r->chunk_pos;
	} else {
		r->chunk_len = 0;
	}
	r->chunk_pos = 0;
	while (!r->eof && r->chunk_len < CHUNK) {
		n = r->readfn(r->ctx, r->chunk + r->chunk_len, CHUNK - r->chunk_len);
		if (n < 0) {
			snprintf(r->err, sizeof r->err, "read error");
			r->err_line = 0;
			return -1;
		}
		if (n == 0)
			r->eof = 1;
		r->chunk_len += (size_t)n;
		if (memchr(r->chunk, '\n', r->chunk_len))
			break;
	}
	return 0;
}

static void set_parse_error(struct csvr *r)
{
	int e = csv_error(&r->p);
	if (e == CSV_EPARSE)
		snprintf(r->err, sizeof r->err, "%s",
			 r->p.quoted ? "unexpected character after a closing quote"
				     : "quote inside an unquoted field");
	else
		snprintf(r->err, sizeof r->err, "%s", csv_strerror(e));
	r->err_line = r->line;
}

size_t csv_split_plain(const char *p, size_t n, char delim, int trim,
		       void (*field)(void *ctx, const char *s, size_t n), void *ctx)
{
	const char *e = p + n;
	size_t k = 0;

	for (;; k++) {
		const char *d = memchr(p, delim, (size_t)(e - p)), *fe = d ? d : e;
		if (trim) {
			while (p < fe && *p == ' ')
				p++;
			while (fe > p && fe[-1] == ' ')
				fe--;
		}
		field(ctx, p, (size_t)(fe - p));
		if (!d)
			return k + 1;
		p = d + 1;
	}
}

/*
 * A whole line (n bytes before its LF) with no quote and no CR but a last
 * one: split with memchr, as libcsv would read it (spaces around a CSV
 * field dropped), without feeding it byte by byte.  Most lines of a big
 * export are such lines.  1: its record is queued; 0: not such a line
 * (blank lines too: libcsv skips them).
 */
static int feed_plain(struct csvr *r, const char *p, size_t n)
{
	int trim = r->delim != '\t';
	size_t i = 0;

	if (n && p[n - 1] == '\r')
		n--;
	if (memchr(p, '"', n) || memchr(p, '\r', n))
		return 0;
	while (trim && i < n && p[i] == ' ')
		i++;
	if (i == n)
		return 0;
	r->rec_line = r->line;
	csv_split_plain(p, n, r->delim, trim, add_field, r);
	cb_record(0, r);
	return 1;
}

/* Drop the handed-out records; keep the fields of a record in progress. */
static void compact(struct csvr *r)
{
	size_t keep = r->nf - r->cur_first;

	if (keep == 0) {
		r->nf = 0;
		buf_reset(&r->store);
	} else {
		size_t base = r->foff[r->cur_first];
		memmove(r->store.s, r->store.s + base, r->store.len - base);
		r->store.len -= base;
		for (size_t i = 0; i < keep; i++) {
			r->foff[i] = r->foff[r->cur_first + i] - base;
			r->flen[i] = r->flen[r->cur_first + i];
		}
		r->nf = keep;
	}
	r->cur_first = 0;
	r->nq = 0;
	r->qhead = 0;
}

/* Feed physical lines until at least one record is queued or input ends.
 * 1: records queued, 0: end, -1: error. */
static int feed(struct csvr *r)
{
	compact(r);
	for (;;) {
		char *p, *nl;
		size_t len;

		if (r->chunk_pos >= r->chunk_len ||
		    !memchr(r->chunk + r->chunk_pos, '\n', r->chunk_len - r->chunk_pos)) {
			if (!r->eof && refill(r) < 0)
				return -1;
			if (r->chunk_pos >= r->chunk_len) {
				if (!r->eof)
					continue;
				/* libcsv checks this only in strict mode:
				 * FIELD_BEGUN (2) inside quotes */
				if ((r->p.pstate == 2 && r->p.quoted) ||
				    csv_fini(&r->p, cb_field, cb_record, r) != 0) {
					snprintf(r->err, sizeof r->err,
						 "unterminated quoted field");
					r->err_line = r->rec_line;
					return -1;
				}
				return r->nq > 0;
			}
		}
		p = r->chunk + r->chunk_pos;
		nl = memchr(p, '\n', r->chunk_len - r->chunk_pos);
		len = nl ? (size_t)(nl - p) + 1 : r->chunk_len - r->chunk_pos;
		if (r->p.pstate == 0 && nl && feed_plain(r, p, len - 1)) {
			r->chunk_pos += len;
			r->line++;
			return 1;
		}
		if (r->p.pstate == 0) /* ROW_NOT_BEGUN */
			r->rec_line = r->line;
		if (csv_parse(&r->p, p, len, cb_field, cb_record, r) != len) {
			set_parse_error(r);
			return -1;
		}
		r->chunk_pos += len;
		if (nl)
			r->line++;
		if (r->p.entry_pos > CSVIO_MAX_FIELD) {
			snprintf(r->err, sizeof r->err,
				 "field longer than %d MiB (unbalanced quote?)",
				 CSVIO_MAX_FIELD >> 20);
			r->err_line = r->rec_line;
			return -1;
		}
		if (r->nq > 0)
			return 1;
	}
}

int csvr_next(struct csvr *r, struct csv_rec **rec)
{
	struct qrec *q;
	int rc;

	if (r->qhead >= r->nq) {
		rc = feed(r);
		if (rc <= 0)
			return rc;
	}
	q = &r->q[r->qhead++];
	if (q->n > r->outcap) {
		r->outcap = q->n * 2;
		r->outf = xreallocarray(r->outf, r->outcap, sizeof *r->outf);
		r->outlen = xreallocarray(r->outlen, r->outcap, sizeof *r->outlen);
	}
	for (size_t i = 0; i < q->n; i++) {
		r->outf[i] = r->store.s + r->foff[q->first + i];
		r->outlen[i] = r->flen[q->first + i];
	}
	r->out.n = q->n;
	r->out.f = r->outf;
	r->out.len = r->outlen;
	r->out.line = q->line;
	*rec = &r->out;
	return 1;
}

const char *csvr_error(const struct csvr *r)
{
	return r->err;
}

long csvr_error_line(const struct csvr *r)
{
	return r->err_line;
}

long csvr_lines(const struct csvr *r)
{
	return r->line;
}

void csvr_free(struct csvr *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	free(r->chunk);
	buf_free(&r->store);
	free(r->foff);
	free(r->flen);
	free(r->q);
	free(r->outf);
	free(r->outlen);
	free(r);
}

void csv_quote_into(struct buf *b, const char *s, size_t n, char delim)
{
	int need = 0;

	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		need = 1;
	for (size_t i = 0; !need && i < n; i++) {
		char c = s[i];
		if (c == delim || c == '"' || c == '\n' || c == '\r')
			need = 1;
	}
	if (!need) {
		buf_add(b, s, n);
		return;
	}
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
}
