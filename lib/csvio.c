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

struct csvio {
	struct csv_parser p;
	csvio_read_fn readfn;
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
	/* what csvio_next hands out */
	struct csvio_rec out;
	char **outf;
	size_t *outlen;
	size_t outcap;
	char err[200];
	long err_line;
	/* CSV: where the quotes stand (enum qstate), and where the field
	 * being read began in the line being fed */
	int qs;
	size_t qfield;
	/* TSV: the record and field being read, a pending backslash or CR */
	int tsv, tsv_open, tsv_esc, tsv_cr;
	size_t tsv_fstart;
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

/* Room for one more field's offset and length: both arrays grow together,
 * by doubling (one realloc per field was quadratic where realloc copies,
 * as under ASan: 20,000 columns took 23 s). */
static void field_slot(struct csvio *r)
{
	if (r->nf + 1 > r->fcap) {
		size_t cap = r->fcap ? r->fcap * 2 : 16;
		r->foff = xreallocarray(r->foff, cap, sizeof *r->foff);
		r->flen = xreallocarray(r->flen, cap, sizeof *r->flen);
		r->fcap = cap;
	}
}

static void add_field(void *data, const char *s, size_t len)
{
	struct csvio *r = data;

	field_slot(r);
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
	struct csvio *r = data;
	(void)c;
	XGROW(r->q, r->nq + 1, r->qcap);
	r->q[r->nq].first = r->cur_first;
	r->q[r->nq].n = r->nf - r->cur_first;
	r->q[r->nq].line = r->rec_line;
	r->nq++;
	r->cur_first = r->nf;
}

struct csvio *csvio_new(csvio_read_fn readfn, void *ctx, char delim)
{
	struct csvio *r = xcalloc(1, sizeof *r);

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
	r->tsv = delim == '\t';
	r->chunk = xmalloc(CHUNK);
	r->line = 1;
	return r;
}

/* Refill the chunk; 0 ok (maybe eof), -1 error. */
static int refill(struct csvio *r)
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

static void set_parse_error(struct csvio *r)
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

/*
 * libcsv, lenient, reads '"ab"cd' as a quoted field that goes on past 'cd'
 * to the next quote, often at the end of the file ("unterminated quoted
 * field" far from the fault).  The quotes are followed alongside it, so
 * that text after a closing quote is an error on its own line.
 */
enum qstate {
	Q_START,       /* a field begins (spaces before it are trimmed) */
	Q_UNQUOTED,    /* in a field without quotes: a quote there is text */
	Q_QUOTED,      /* in a quoted field */
	Q_QUOTE,       /* a quote in a quoted field: the end, or "" */
	Q_CLOSED,      /* spaces after the closing quote */
};

void csvio_after_quote(char *out, size_t cap, const char *field, size_t n)
{
	size_t from = n > 24 ? n - 24 : 0;

	while (from + 1 < n && ((unsigned char)field[from] & 0xC0) == 0x80)
		from++; /* start on a whole character */
	snprintf(out, cap, "text after the closing quote of a field: '%.*s' (a quote "
		 "inside a quoted field is written \"\")", (int)(n - from), field + from);
}

static int quote_error(struct csvio *r, const char *p, size_t at)
{
	size_t from = r->qfield < at ? r->qfield : 0;

	csvio_after_quote(r->err, sizeof r->err, p + from, at + 1 - from);
	r->err_line = r->line;
	return -1;
}

static int quote_scan(struct csvio *r, const char *p, size_t len)
{
	const char d = r->delim;

	if (r->qs <= Q_UNQUOTED && !memchr(p, '"', len)) {
		/* no quote: only whether a field begins at the end matters */
		size_t k = len;
		while (k > 0 && p[k - 1] == ' ')
			k--;
		if (k > 0)
			r->qs = p[k - 1] == d || p[k - 1] == '\n' || p[k - 1] == '\r'
					? Q_START : Q_UNQUOTED;
		return 0;
	}
	r->qfield = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		int end = c == d || c == '\n' || c == '\r';

		switch (r->qs) {
		case Q_START:
			if (c == '"') {
				r->qs = Q_QUOTED;
				r->qfield = i;
			} else if (c != ' ' && !end) {
				r->qs = Q_UNQUOTED;
			}
			break;
		case Q_UNQUOTED:
			if (end)
				r->qs = Q_START;
			break;
		case Q_QUOTED:
			if (c == '"')
				r->qs = Q_QUOTE;
			break;
		case Q_QUOTE:
		case Q_CLOSED:
			if (c == '"' && r->qs == Q_QUOTE)
				r->qs = Q_QUOTED;
			else if (end)
				r->qs = Q_START;
			else if (c == ' ')
				r->qs = Q_CLOSED;
			else
				return quote_error(r, p, i);
			break;
		}
	}
	return 0;
}

size_t csvio_split_plain(const char *p, size_t n, char delim, int trim,
			 void (*field)(void *ctx, const char *s, size_t n),
			 void *ctx)
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
static int feed_plain(struct csvio *r, const char *p, size_t n)
{
	size_t i = 0;

	if (n && p[n - 1] == '\r')
		n--;
	if (memchr(p, '"', n) || memchr(p, '\r', n))
		return 0;
	while (i < n && p[i] == ' ')
		i++;
	if (i == n)
		return 0;
	r->rec_line = r->line;
	csvio_split_plain(p, n, r->delim, 1, add_field, r);
	cb_record(0, r);
	r->qs = Q_START; /* the line ended: a field begins */
	return 1;
}

/* Drop the handed-out records; keep the fields of a record in progress. */
static void compact(struct csvio *r)
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
static int feed(struct csvio *r)
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
		if (quote_scan(r, p, len) < 0)
			return -1;
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

/* ---- TSV ---------------------------------------------------------------- */

static void tsv_field_end(struct csvio *r)
{
	field_slot(r);
	r->foff[r->nf] = r->tsv_fstart;
	r->flen[r->nf] = r->store.len - r->tsv_fstart;
	buf_addc(&r->store, '\0');
	r->nf++;
	r->tsv_fstart = r->store.len;
}

/* The end of a line: queue its record unless the line was blank. */
static void tsv_record_end(struct csvio *r)
{
	tsv_field_end(r);
	r->tsv_open = 0;
	if (r->nf - r->cur_first == 1 && r->flen[r->cur_first] == 0) {
		r->store.len = r->foff[r->cur_first];
		r->nf = r->cur_first;
		return;
	}
	cb_record(0, r);
}

static void tsv_open_record(struct csvio *r)
{
	if (!r->tsv_open) {
		r->tsv_open = 1;
		r->rec_line = r->line;
		r->tsv_fstart = r->store.len;
	}
}

/* The bytes tsv_byte() must see; the others are copied a run at a time. */
static const unsigned char tsv_special[256] = {
	['\\'] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
};

/* One byte of TSV; 1 when it ended a record. */
static int tsv_byte(struct csvio *r, char c)
{
	static const char unesc[256] = {
		['t'] = '\t', ['n'] = '\n', ['r'] = '\r', ['\\'] = '\\',
	};
	int was_cr = r->tsv_cr;

	r->tsv_cr = 0;
	if (c == '\n' && was_cr) {
		r->line++; /* the LF of a CRLF: the CR ended the record */
		return 0;
	}
	tsv_open_record(r);
	if (r->tsv_esc) {
		r->tsv_esc = 0;
		if (unesc[(unsigned char)c]) {
			buf_addc(&r->store, unesc[(unsigned char)c]);
			return 0;
		}
		buf_addc(&r->store, '\\'); /* not an escape: the backslash is text */
	}
	switch (c) {
	case '\\':
		r->tsv_esc = 1;
		return 0;
	case '\t':
		tsv_field_end(r);
		return 0;
	case '\r':
	case '\n':
		tsv_record_end(r);
		r->tsv_cr = c == '\r';
		r->line += c == '\n';
		return 1;
	default:
		buf_addc(&r->store, c);
		return 0;
	}
}

/*
 * TSV as the tools write it (out.h): one record per line, fields split on
 * tabs, the escapes \t \n \r \\ decoded, no quoting.  1: a record queued,
 * 0: end, -1: error.
 */
static int feed_tsv(struct csvio *r)
{
	compact(r);
	for (;;) {
		if (r->chunk_pos >= r->chunk_len) {
			if (r->eof) {
				if (r->tsv_esc)
					buf_addc(&r->store, '\\');
				r->tsv_esc = 0;
				if (r->tsv_open)
					tsv_record_end(r);
				return r->nq > 0;
			}
			if (refill(r) < 0)
				return -1;
			continue;
		}
		while (r->chunk_pos < r->chunk_len) {
			const char *p = r->chunk + r->chunk_pos, *q = p;
			const char *e = r->chunk + r->chunk_len;
			if (!r->tsv_esc && !r->tsv_cr) {
				while (q < e && !tsv_special[(unsigned char)*q])
					q++;
				if (q > p) {
					tsv_open_record(r);
					buf_add(&r->store, p, (size_t)(q - p));
					r->chunk_pos += (size_t)(q - p);
					continue;
				}
			}
			if (tsv_byte(r, r->chunk[r->chunk_pos++]) && r->nq > 0)
				return 1;
		}
		if (r->tsv_open && r->store.len - r->tsv_fstart > CSVIO_MAX_FIELD) {
			snprintf(r->err, sizeof r->err, "field longer than %d MiB",
				 CSVIO_MAX_FIELD >> 20);
			r->err_line = r->rec_line;
			return -1;
		}
	}
}

int csvio_next(struct csvio *r, struct csvio_rec **rec)
{
	struct qrec *q;
	int rc;

	if (r->qhead >= r->nq) {
		rc = r->tsv ? feed_tsv(r) : feed(r);
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

const char *csvio_error(const struct csvio *r)
{
	return r->err;
}

long csvio_error_line(const struct csvio *r)
{
	return r->err_line;
}

void csvio_free(struct csvio *r)
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

static const unsigned char csv_special[256] = {
	[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1,
};

void csvio_quote(struct buf *b, const char *s, size_t n)
{
	const char *q, *end = s + n;
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (csv_special[(unsigned char)s[i]])
			break;
	if (i == n && s[0] != ' ' && s[n - 1] != ' ') {
		buf_add(b, s, n);
		return;
	}
	buf_grow(b, n + 2);
	buf_addc(b, '"');
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_addc(b, '"');
		s = q + 1;
	}
	buf_add(b, s, (size_t)(end - s));
	buf_addc(b, '"');
}
