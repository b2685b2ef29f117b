#include "common.h"

#include <stdarg.h>
#include <strings.h>

#include "buf.h"
#include "csvio.h"
#include "encoding.h"
#include "json.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "strmap.h"
#include "text.h"
#include "timeparse.h"
#include "zio.h"

#define PEEK_SIZE 4096
/* Reading ahead (rec.h): at most this many records or bytes, and enough
 * for this many non-empty values of each time field. */
#define SAMPLE_ROWS 10000
#define SAMPLE_BYTES (16u << 20)
#define SAMPLE_TIMES 1000
#define SHOWN 3           /* first values of a column that --show-mapping shows */
#define SHOWN_BYTES 60    /* of each, at most */

/* How a column came to a field. */
enum how { HOW_NONE, HOW_NAME, HOW_ALIAS, HOW_MAP, HOW_VALUE };

/* An input column: a CSV header cell or a JSON key (a "parent.child" path). */
struct col {
	char *name;     /* as the input spells it */
	int field;      /* the field it is read as; -1: none */
	int want;       /* the field its name gives, also when another wins */
	enum how how;
	int lost_to;    /* the column that reads want instead, or -1 */
	unsigned long visit;  /* JSON: the last record that had the key */
	int object;     /* JSON: the key holds an object (a parent) */
	int nshown;
	char *shown[SHOWN];   /* its first non-empty values (the mapping) */
};

/* A record read ahead: CSV fields as (size_t length, bytes, NUL) each, or
 * a JSON record's text, at sdata + off. */
struct srec {
	long line, recno;
	size_t off, n;  /* CSV: n fields; JSON: n bytes */
};

/* What the times of a field are read with. */
enum date_how { DATE_AUTO, DATE_USER, DATE_DETECTED, DATE_AMBIGUOUS, DATE_UNKNOWN };

struct date_field {
	size_t ntimes;        /* non-empty values read ahead */
	struct buf odd;       /* those no automatic form reads, NUL-separated */
	size_t nodd;
	enum date_how how;
	struct timeparse_detected det;
	const char *amb_value;  /* DATE_AMBIGUOUS: a value read two ways */
};

struct rec_src {
	char *name;
	int no_input;        /* rec_names(): headers mapped, nothing read */
	struct buf key;      /* a header name normalised (lookup_field) */
	struct encoding_in *in;
	enum rec_fmt fmt;
	const struct rec_field *fields;
	size_t nfields;
	const struct rec_opts *opts;
	int status;
	/* header names: normalised canonical names and aliases (4 * field +
	 * how), and --map sources (the index in opts->maps) */
	struct strmap names, maps;
	int *mapfield;       /* the field of each --map */
	char *mapused;       /* a column had its source */
	/* sniffed bytes handed out before the rest of the input */
	char peek[PEEK_SIZE];
	size_t peek_len, peek_pos;
	int read_failed;
	/* CSV */
	struct csvio *csv;
	struct csvio_rec *cur;
	size_t nheader;      /* CSV: the header's columns, cols[0..nheader) */
	long header_line;
	int bare;            /* REC_O_BARE_VALUES: the header is a value... */
	struct csvio_rec bare_rec;  /* ...which is the first record */
	size_t bare_len;
	/* JSON */
	struct json_stream *js;
	struct json_arena *arena;
	struct json_value *curjson;
	struct strmap keys;  /* key as in the input -> index in cols */
	/* the columns: the CSV header's, or the JSON keys seen so far */
	struct col *cols;
	size_t ncols, colcap;
	struct buf jbuf;     /* values of the current JSON record */
	size_t *joff;
	unsigned long visit; /* records flattened */
	char why[256];       /* the reason of a bad record */
	/* the first records, read ahead (date detection, REC_O_SHOW) */
	struct buf sdata;
	struct srec *srec;
	size_t nsrec, srcap, replay;
	int sampling, sample_eof, ended;
	char **rf;           /* a CSV record replayed: its fields */
	size_t *rl, rcap;
	struct csvio_rec rrec;
	struct date_field *dates;  /* per field */
	/* an error met while reading ahead waits for its turn */
	int pending;
	char err[600];
	long errline;
	/* output */
	const char **v;
	size_t *len;
	unsigned char *vhow; /* JSON: how the column of v[i] came to it */
	int *vcol;           /* JSON: and which column it is */
	long line;           /* the line of the record being read */
	char *has;
	long recno;
};

int rec_fmt_parse(const char *s)
{
	if (strcmp(s, "csv") == 0)
		return REC_CSV;
	if (strcmp(s, "tsv") == 0)
		return REC_TSV;
	if (strcmp(s, "json") == 0)
		return REC_JSON;
	if (strcmp(s, "jsonl") == 0 || strcmp(s, "ndjson") == 0)
		return REC_JSONL;
	return -1;
}

static void norm_key(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	/* strip a BOM or quotes a spreadsheet may have left on a header */
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '_' || c == '-' || c == '\t' || c == '"')
			continue;
		/* a full-width space, common in Chinese spreadsheets */
		if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x80) {
			i += 2;
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		buf_addc(b, (char)c);
	}
}

/* Does the normalised name k (in b) match a field's name or alias? */
static int field_named(const struct rec_field *fields, size_t nfields,
		       const struct buf *k, struct buf *b)
{
	for (size_t f = 0; f < nfields; f++) {
		const char *p = fields[f].name;
		norm_key(b, p, strlen(p));
		if (strcmp(buf_str(b), buf_str(k)) == 0)
			return (int)f;
		for (p = fields[f].aliases; p && *p;) {
			const char *bar = strchr(p, '|');
			norm_key(b, p, bar ? (size_t)(bar - p) : strlen(p));
			if (strcmp(buf_str(b), buf_str(k)) == 0)
				return (int)f;
			p = bar ? bar + 1 : NULL;
		}
	}
	return -1;
}

/* The field "SRC=DST" names: DST is a canonical name or an alias, in any
 * case; -1 when none. */
static int map_target(const char *map, const struct rec_field *fields,
		      size_t nfields)
{
	const char *eq = strrchr(map, '=');
	struct buf k = BUF_INIT, b = BUF_INIT;
	int f = -1;

	if (eq && eq[1]) {
		norm_key(&k, eq + 1, strlen(eq + 1));
		f = field_named(fields, nfields, &k, &b);
	}
	buf_free(&k);
	buf_free(&b);
	return f;
}

/* The normalised names of the fields and their aliases, and the sources
 * of --map, into s->names and s->maps. */
static void names_init(struct rec_src *s)
{
	struct buf k = BUF_INIT;

	for (size_t f = 0; f < s->nfields; f++) {
		const char *p = s->fields[f].name;
		norm_key(&k, p, strlen(p));
		strmap_add(&s->names, k.s, k.len, (int)f * 4 + HOW_NAME);
		for (p = s->fields[f].aliases; p && *p;) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			norm_key(&k, p, len);
			strmap_add(&s->names, buf_str(&k), k.len, (int)f * 4 + HOW_ALIAS);
			p = bar ? bar + 1 : NULL;
		}
	}
	s->mapfield = xcalloc(s->opts->nmaps + 1, sizeof *s->mapfield);
	s->mapused = xcalloc(s->opts->nmaps + 1, 1);
	for (size_t i = 0; i < s->opts->nmaps; i++) {
		const char *m = s->opts->maps[i];
		const char *eq = strrchr(m, '=');
		s->mapfield[i] = map_target(m, s->fields, s->nfields);
		if (!eq || s->mapfield[i] < 0)
			continue;
		norm_key(&k, m, (size_t)(eq - m));
		strmap_add(&s->maps, buf_str(&k), k.len, (int)i);
	}
	buf_free(&k);
}

/* A --map whose source no column has: 0, or -1 after a message (64). */
static int maps_unused(struct rec_src *s, long line)
{
	for (size_t i = 0; i < s->opts->nmaps; i++) {
		const char *m = s->opts->maps[i];
		struct buf h = BUF_INIT;
		if (s->mapused[i])
			continue;
		for (size_t c = 0; c < s->ncols; c++) {
			if (c)
				buf_addc(&h, ',');
			buf_adds(&h, s->cols[c].name);
		}
		msg_errat(s->name, line, "--map '%s': no column '%.*s' (%s: %s)", m,
			  (int)(strrchr(m, '=') - m), m,
			  s->fmt == REC_CSV || s->fmt == REC_TSV ? "header" : "keys",
			  buf_str(&h));
		buf_free(&h);
		s->status = EXIT_USAGE;
		return -1;
	}
	return 0;
}

/* Which field does a header name go to, and how?  -1 when none. */
static int lookup_field(struct rec_src *s, const char *name, size_t n,
			enum how *how)
{
	struct buf *k = &s->key;
	int found;

	norm_key(k, name, n);
	found = strmap_get(&s->maps, buf_str(k), k->len);
	*how = HOW_MAP;
	if (found >= 0) {
		s->mapused[found] = 1;
		found = s->mapfield[found];
	} else {
		found = strmap_get(&s->names, buf_str(k), k->len);
		*how = found < 0 ? HOW_NONE : (enum how)(found & 3);
		found = found < 0 ? -1 : found >> 2;
	}
	return found;
}

/* A new column named name: its field and how, not yet resolved. */
static struct col *col_new(struct rec_src *s, const char *name, size_t n)
{
	struct col *c;

	XGROW(s->cols, s->ncols + 1, s->colcap);
	c = &s->cols[s->ncols++];
	memset(c, 0, sizeof *c);
	c->name = xstrndup(name, n);
	c->want = lookup_field(s, name, n, &c->how);
	c->field = c->want;
	c->lost_to = -1;
	return c;
}

int rec_check_maps(const char *const *maps, size_t n,
		   const struct rec_field *fields, size_t nfields)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strrchr(maps[i], '=');
		if (!eq || eq == maps[i] || !eq[1]) {
			msg_err("--map '%s': expected SOURCE=FIELD", maps[i]);
			return -1;
		}
		if (map_target(maps[i], fields, nfields) < 0) {
			struct buf b = BUF_INIT;
			for (size_t f = 0; f < nfields; f++) {
				if (f)
					buf_adds(&b, ", ");
				buf_adds(&b, fields[f].name);
			}
			msg_err("--map '%s': unknown field '%s' (one of: %s)",
				maps[i], eq + 1, b.s);
			buf_free(&b);
			return -1;
		}
	}
	return 0;
}

static ssize_t src_read(void *ctx, char *buf, size_t n)
{
	struct rec_src *s = ctx;
	ssize_t r;

	if (s->peek_pos < s->peek_len) {
		size_t k = s->peek_len - s->peek_pos;
		if (k > n)
			k = n;
		memcpy(buf, s->peek + s->peek_pos, k);
		s->peek_pos += k;
		return (ssize_t)k;
	}
	r = encoding_read(s->in, buf, n);
	if (r < 0)
		s->read_failed = 1;
	return r;
}

static enum rec_fmt fmt_from_name(const char *name)
{
	size_t n = strlen(name);
	char tmp[16];
	const char *dot;

	if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
		n -= 3;
	dot = NULL;
	for (size_t i = n; i > 0; i--)
		if (name[i - 1] == '.') {
			dot = name + i - 1;
			break;
		} else if (name[i - 1] == '/') {
			break;
		}
	if (!dot || (size_t)(name + n - dot) >= sizeof tmp)
		return REC_AUTO;
	memcpy(tmp, dot + 1, (size_t)(name + n - dot - 1));
	tmp[name + n - dot - 1] = '\0';
	if (strcasecmp(tmp, "csv") == 0 || strcasecmp(tmp, "txt") == 0)
		return strcasecmp(tmp, "csv") == 0 ? REC_CSV : REC_AUTO;
	if (strcasecmp(tmp, "tsv") == 0 || strcasecmp(tmp, "tab") == 0)
		return REC_TSV;
	if (strcasecmp(tmp, "json") == 0)
		return REC_JSON;
	if (strcasecmp(tmp, "jsonl") == 0 || strcasecmp(tmp, "ndjson") == 0)
		return REC_JSONL;
	return REC_AUTO;
}

static int sniff(struct rec_src *s)
{
	ssize_t r;
	size_t i;

	while (s->peek_len < sizeof s->peek) {
		r = encoding_read(s->in, s->peek + s->peek_len, sizeof s->peek - s->peek_len);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		s->peek_len += (size_t)r;
		if (memchr(s->peek, '\n', s->peek_len))
			break;
	}
	for (i = 0; i < s->peek_len; i++)
		if (s->peek[i] != ' ' && s->peek[i] != '\t' && s->peek[i] != '\r' &&
		    s->peek[i] != '\n')
			break;
	if (i < s->peek_len && (s->peek[i] == '[' || s->peek[i] == '{')) {
		s->fmt = REC_JSON;
	} else {
		const char *nl = memchr(s->peek, '\n', s->peek_len);
		size_t l = nl ? (size_t)(nl - s->peek) : s->peek_len;
		s->fmt = memchr(s->peek, '\t', l) && !memchr(s->peek, ',', l)
				 ? REC_TSV : REC_CSV;
	}
	return 0;
}

/* An error that ends the input: printed now, or after the records read
 * ahead when it is met while reading ahead.  Returns -1. */
static int fail_at(struct rec_src *s, long line, int status, const char *fmt, ...)
	ATTR_PRINTF(4, 5);
static int fail_at(struct rec_src *s, long line, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	s->errline = line;
	s->status = status;
	s->pending = 1;
	if (!s->sampling) {
		msg_errat(s->name, line, "%s", s->err);
		s->pending = 0;
	}
	return -1;
}

static int report_read_error(struct rec_src *s, const char *what, long line)
{
	if (s->read_failed) {
		/* a read that failed is an I/O error; bad bytes (a NUL, bad
		 * UTF-8, corrupt gzip) are bad data */
		return fail_at(s, encoding_error_line(s->in),
			       encoding_error_io(s->in) ? EXIT_IO_ERR : EXIT_DATA_ERR,
			       "%s", encoding_error(s->in));
	}
	return fail_at(s, line, EXIT_DATA_ERR, "%s", what);
}

/*
 * Which column reads each field: a column named by --map first, then the
 * first column whose name or alias gives it.  The others that give the
 * same field are not read (lost_to says which column is).
 */
static void resolve_csv(struct rec_src *s)
{
	int *winner = xmalloc(s->nfields * sizeof *winner);

	for (size_t f = 0; f < s->nfields; f++)
		winner[f] = -1;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->nheader; i++) {
			struct col *c = &s->cols[i];
			if (c->want >= 0 && (c->how == HOW_MAP) == (pass == 0) &&
			    winner[c->want] < 0)
				winner[c->want] = (int)i;
		}
	for (size_t i = 0; i < s->nheader; i++) {
		struct col *c = &s->cols[i];
		int w = c->want >= 0 ? winner[c->want] : -1;
		int quiet = (s->opts->flags & REC_O_QUIET_COLUMNS) != 0;
		if (c->want < 0) {
			if (!quiet)
				msg_verb("%s: column '%s' is not used", s->name, c->name);
			continue;
		}
		s->has[c->want] = 1;
		if (w == (int)i)
			continue;
		c->field = -1;
		c->lost_to = w;
		if (quiet)
			continue;
		if (s->cols[w].how == HOW_MAP)
			msg_verb("%s: column '%s' is not used: '%s' is read from "
				 "column '%s' (--map)", s->name, c->name,
				 s->fields[c->want].name, s->cols[w].name);
		else
			msg_warnat(s->name, s->header_line,
				   "column '%s' ignored: '%s' is already read from column '%s'",
				   c->name, s->fields[c->want].name, s->cols[w].name);
	}
	free(winner);
}

/* The REQUIRED fields the header has no column for, named in one
 * message at the header's line: 0, or -1 (65). */
static int missing_required(struct rec_src *s)
{
	struct buf miss = BUF_INIT, h = BUF_INIT;
	size_t n = 0, left = 0;

	for (size_t f = 0; f < s->nfields; f++)
		left += (s->fields[f].flags & REC_F_REQUIRED) && !s->has[f];
	for (size_t f = 0; f < s->nfields; f++) {
		if (!(s->fields[f].flags & REC_F_REQUIRED) || s->has[f])
			continue;
		if (n++)
			buf_adds(&miss, --left > 1 ? ", " : " and ");
		buf_addf(&miss, "'%s'", s->fields[f].name);
	}
	if (n == 0)
		return 0;
	rec_header_csv(s, &h);
	msg_errat(s->name, s->header_line, "no column for %s (header: %s)%s",
		  miss.s, h.s, !(s->opts->flags & REC_O_MAP_HINT) ? ""
			  : n == 1 ? "; name it with --map" : "; name them with --map");
	buf_free(&miss);
	buf_free(&h);
	s->status = EXIT_DATA_ERR;
	return -1;
}

static int open_csv(struct rec_src *s)
{
	struct csvio_rec *h;
	int rc;

	s->csv = csvio_new(src_read, s, s->fmt == REC_TSV ? '\t' : ',');
	rc = csvio_next(s->csv, &h);
	if (rc < 0) {
		report_read_error(s, csvio_error(s->csv), csvio_error_line(s->csv));
		return -1;
	}
	if (rc == 0) {
		s->nheader = 0;
		return 0; /* an empty file: no records */
	}
	s->header_line = h->line;
	for (size_t i = 0; i < h->n; i++)
		col_new(s, h->f[i], h->len[i]);
	s->nheader = h->n;
	if ((s->opts->flags & REC_O_BARE_VALUES) && h->n == 1 &&
	    s->cols[0].want < 0) {
		/* one column and no header: a list of values */
		s->cols[0].want = s->cols[0].field = 0;
		s->cols[0].how = HOW_VALUE;
		s->bare = 1;
		s->bare_len = h->len[0];
		s->bare_rec.n = 1;
		s->bare_rec.f = &s->cols[0].name;
		s->bare_rec.len = &s->bare_len;
		s->bare_rec.line = h->line;
	}
	resolve_csv(s);
	return maps_unused(s, s->header_line);
}

/* The next CSV record into s->cur: 1, 0 at the end, -1 (fail_at). */
static int csv_read(struct rec_src *s)
{
	int rc;

	if (s->nheader == 0)
		return 0;
	if (s->bare == 1) {
		s->bare = 2;
		s->cur = &s->bare_rec;
		rc = 1;
	} else {
		rc = csvio_next(s->csv, &s->cur);
	}
	if (rc < 0)
		return report_read_error(s, csvio_error(s->csv), csvio_error_line(s->csv));
	if (rc > 0)
		s->recno++;
	return rc;
}

/* s->cur as a record: 1, or 2 when it is ragged. */
static int csv_deliver(struct rec_src *s, struct rec *r)
{
	r->line = s->line = s->cur->line;
	r->recno = s->recno;
	r->reason = NULL;
	for (size_t i = 0; i < s->nfields; i++)
		s->v[i] = NULL;
	if (s->cur->n != s->nheader) {
		snprintf(s->why, sizeof s->why, "expected %zu fields, found %zu",
			 s->nheader, s->cur->n);
		r->reason = s->why;
		return 2;
	}
	for (size_t i = 0; i < s->nheader; i++) {
		int f = s->cols[i].field;
		if (f >= 0) {
			s->v[f] = s->cur->f[i];
			s->len[f] = s->cur->len[i];
		}
	}
	return 1;
}

/* A value shown by --show-mapping: its first SHOWN_BYTES bytes. */
static void keep_shown(struct col *c, const char *v, size_t n)
{
	struct buf b = BUF_INIT;
	size_t k;

	text_trim(&v, &n);
	if (n == 0 || c->nshown >= SHOWN)
		return;
	k = text_cut(v, n, SHOWN_BYTES);
	buf_add(&b, v, k);
	if (k < n)
		buf_adds(&b, "\u2026");
	c->shown[c->nshown++] = buf_detach(&b);
}

/* The column of a JSON key (a path "parent.child"), made on first sight. */
static struct col *key_col(struct rec_src *s, const char *key, size_t n)
{
	int i = strmap_get(&s->keys, key, n);

	if (i >= 0)
		return &s->cols[i];
	strmap_add(&s->keys, key, n, (int)s->ncols);
	return col_new(s, key, n);
}

/* A bad record: its reason, "record N: ..." (a JSON record has no line of
 * its own when several share one).  Returns -1. */
static int bad_record(struct rec_src *s, const char *fmt, ...) ATTR_PRINTF(2, 3);
static int bad_record(struct rec_src *s, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(s->why, sizeof s->why, "record %ld: ", s->recno);

	va_start(ap, fmt);
	vsnprintf(s->why + n, sizeof s->why - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A key for a message: at most 60 bytes, cut on a UTF-8 boundary. */
static int key_shown(const char *k, size_t n)
{
	return (int)text_cut(k, n, 60);
}

/*
 * A second key for a field in one record: a key named by --map wins over
 * one that an alias gave; else the first stays.  1 when c takes the field.
 */
static int key_wins(struct rec_src *s, struct col *c, int f)
{
	struct col *held = &s->cols[s->vcol[f]];
	struct col *loser = c, *w = held;

	if (c->how == HOW_MAP && s->vhow[f] != HOW_MAP) {
		loser = held;
		w = c;
	}
	if (loser->lost_to < 0) {
		loser->lost_to = (int)(w - s->cols);
		if (w->how != HOW_MAP)
			msg_warnat(s->name, s->line, "key '%s' ignored: '%s' is "
				   "already read from key '%s'", loser->name,
				   s->fields[f].name, w->name);
	}
	return loser != c;
}

/* The value of a key that is not an object, into its field. */
static int take_value(struct rec_src *s, struct col *c,
		      const struct json_value *v)
{
	int f = c->field;

	if (v->type == JSON_STRING && memchr(v->str, '\0', v->len))
		return bad_record(s, "'%.*s' holds \\u0000, a NUL character",
				  key_shown(c->name, strlen(c->name)), c->name);
	if (s->sampling && (s->opts->flags & (REC_O_SHOW | REC_O_LOG_MAPPING)) &&
	    v->type != JSON_NULL &&
	    c->nshown < SHOWN) {
		struct buf t = BUF_INIT;
		if (v->type == JSON_STRING || v->type == JSON_NUMBER)
			buf_add(&t, v->str, v->len);
		else
			json_put_value(&t, v);
		keep_shown(c, buf_str(&t), t.len);
		buf_free(&t);
	}
	if (f < 0)
		return 0;
	s->has[f] = 1;
	if (v->type == JSON_NULL || (s->v[f] && !key_wins(s, c, f)))
		return 0;
	s->vhow[f] = (unsigned char)c->how;
	s->vcol[f] = (int)(c - s->cols);
	s->joff[f] = 0;
	if (v->type == JSON_STRING || v->type == JSON_NUMBER) {
		s->v[f] = v->str;
		s->len[f] = v->len;
	} else if (v->type == JSON_TRUE) {
		s->v[f] = "true";
		s->len[f] = 4;
	} else if (v->type == JSON_FALSE) {
		s->v[f] = "false";
		s->len[f] = 5;
	} else {
		/* an array: kept as its JSON text, which jbuf holds (NUL-
		 * terminated); s->v[f] is set when jbuf stops moving */
		s->joff[f] = s->jbuf.len;
		json_put_value(&s->jbuf, v);
		s->len[f] = s->jbuf.len - s->joff[f];
		buf_addc(&s->jbuf, '\0');
		s->v[f] = "";
	}
	return 0;
}

/*
 * Flatten an object into the fields: a nested object's keys become
 * "parent.child".  A key twice in one object (or a path twice: {"a":{"b":1},
 * "a.b":2}) and a NUL in a key or a string make the record bad: -1 with
 * s->why.
 */
static int flatten(struct rec_src *s, const struct json_value *obj,
		   struct buf *path)
{
	for (size_t i = 0; i < obj->n; i++) {
		const struct json_value *v = obj->items[i];
		size_t plen = path->len;
		struct col *c;
		int rc;

		if (plen)
			buf_addc(path, '.');
		buf_add(path, obj->keys[i], obj->keylens[i]);
		/* c stays valid until the next key_col(), which may move
		 * s->cols: so before the recursion, not after */
		c = key_col(s, path->s, path->len);
		if (memchr(obj->keys[i], '\0', obj->keylens[i]))
			rc = bad_record(s, "a key holds \\u0000, a NUL character");
		else if (c->visit == s->visit)
			rc = bad_record(s, "duplicate key '%.*s'",
					key_shown(path->s, path->len), path->s);
		else if (v->type == JSON_OBJECT) {
			c->visit = s->visit;
			c->object = 1;
			rc = flatten(s, v, path);
		} else {
			c->visit = s->visit;
			rc = take_value(s, c, v);
		}
		path->len = plen;
		path->s[plen] = '\0';
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The next JSON value into s->curjson: 1, 0 at the end, -1 (fail_at). */
static int json_read(struct rec_src *s)
{
	struct json_value *v;
	int rc;

	json_arena_reset(s->arena);
	s->curjson = NULL;
	rc = json_stream_next(s->js, s->arena, &v);
	if (rc < 0) {
		const struct json_error *e = json_stream_error(s->js);
		if (s->read_failed)
			return report_read_error(s, "read error", 0);
		return fail_at(s, e->line, EXIT_DATA_ERR, "record %ld: %s (byte %zu)",
			       e->record, e->msg, e->offset);
	}
	if (rc == 0)
		return 0;
	s->recno++;
	s->curjson = v;
	s->line = json_stream_record_line(s->js);
	return 1;
}

/* s->curjson as a record: 1, or 2 when it is not a good object. */
static int json_deliver(struct rec_src *s, struct rec *r)
{
	struct buf path = BUF_INIT;
	int rc;

	s->visit++;
	r->line = s->line;
	r->recno = s->recno;
	r->reason = NULL;
	for (size_t i = 0; i < s->nfields; i++) {
		s->v[i] = NULL;
		s->joff[i] = 0;
	}
	if (s->curjson->type != JSON_OBJECT) {
		r->reason = "expected a JSON object";
		return 2;
	}
	buf_reset(&s->jbuf);
	buf_addc(&s->jbuf, '\0');
	buf_grow(&path, 64);
	rc = flatten(s, s->curjson, &path);
	buf_free(&path);
	if (rc < 0) {
		r->reason = s->why;
		return 2;
	}
	/* the arrays' text is in jbuf, which may have moved while growing */
	for (size_t i = 0; i < s->nfields; i++)
		if (s->joff[i])
			s->v[i] = s->jbuf.s + s->joff[i];
	return 1;
}

/* What the end of the input says: a JSON document without a value, or a
 * --map whose key no record had.  0, or -1 (fail_at). */
static int end_checks(struct rec_src *s)
{
	if (s->ended++ || !s->js)
		return 0;
	if (s->fmt == REC_JSON && json_stream_empty(s->js))
		return fail_at(s, 0, EXIT_DATA_ERR,
			       "no JSON value: the file is empty or blank");
	if (s->recno && maps_unused(s, 0) < 0) {
		s->pending = 0; /* maps_unused printed it */
		return -1;
	}
	return 0;
}

/* ---- reading ahead ------------------------------------------------------ */

/* Keep a copy of the record just read, to hand out later. */
static void sample_keep(struct rec_src *s)
{
	struct srec *r;

	XGROW(s->srec, s->nsrec + 1, s->srcap);
	r = &s->srec[s->nsrec++];
	r->line = s->csv ? s->cur->line : s->line;
	r->recno = s->recno;
	r->off = s->sdata.len;
	if (s->js) {
		json_put_value(&s->sdata, s->curjson);
		r->n = s->sdata.len - r->off;
		return;
	}
	r->n = s->cur->n;
	for (size_t i = 0; i < s->cur->n; i++) {
		buf_add(&s->sdata, &s->cur->len[i], sizeof s->cur->len[i]);
		buf_add(&s->sdata, s->cur->f[i], s->cur->len[i]);
		buf_addc(&s->sdata, '\0');
		if ((s->opts->flags & (REC_O_SHOW | REC_O_LOG_MAPPING)) &&
		    i < s->nheader)
			keep_shown(&s->cols[i], s->cur->f[i], s->cur->len[i]);
	}
}

/* The times of a record read ahead, for date detection. */
static void sample_times(struct rec_src *s)
{
	for (size_t f = 0; f < s->nfields; f++) {
		struct date_field *d = &s->dates[f];
		const char *v = s->v[f];
		size_t n = s->len[f];

		if (!(s->fields[f].flags & REC_F_TIME) || !v)
			continue;
		text_trim(&v, &n);
		if (n == 0)
			continue;
		d->ntimes++;
		if (d->nodd < SAMPLE_TIMES && timeparse_parse(v, n, NULL, NULL, NULL) < 0) {
			buf_add(&d->odd, v, n);
			buf_addc(&d->odd, '\0');
			d->nodd++;
		}
	}
}

/* Read enough?  Every time field the input has holds SAMPLE_TIMES values
 * (REC_O_SHOW and REC_O_LOG_MAPPING read up to the limits). */
static int sample_enough(const struct rec_src *s)
{
	if (s->nsrec >= SAMPLE_ROWS || s->sdata.len >= SAMPLE_BYTES)
		return 1;
	if (s->opts->flags & (REC_O_SHOW | REC_O_LOG_MAPPING) ||
	    s->nsrec < SAMPLE_TIMES)
		return 0;
	for (size_t f = 0; f < s->nfields; f++)
		if ((s->fields[f].flags & REC_F_TIME) && s->has[f] &&
		    s->dates[f].ntimes < SAMPLE_TIMES)
			return 0;
	return 1;
}

/* Read the first records ahead, before any is handed out. */
static void sample(struct rec_src *s)
{
	struct rec r;

	s->sampling = 1;
	while (!sample_enough(s)) {
		int rc = s->csv ? csv_read(s) : json_read(s);
		if (rc <= 0) {
			s->sample_eof = rc == 0;
			break;
		}
		sample_keep(s);
		r.v = s->v;
		r.len = s->len;
		if ((s->csv ? csv_deliver(s, &r) : json_deliver(s, &r)) == 1)
			sample_times(s);
	}
	s->sampling = 0;
}

/* "'CreatedDate' (reported_at)", or "'reported_at'", for messages. */
static const char *col_label(const struct rec_src *s, const struct col *c,
			     size_t f, char *buf, size_t n)
{
	if (!c || strcmp(c->name, s->fields[f].name) == 0)
		snprintf(buf, n, "'%s'", s->fields[f].name);
	else
		snprintf(buf, n, "'%s' (%s)", c->name, s->fields[f].name);
	return buf;
}

/* The column that reads field f, or NULL. */
static const struct col *col_of(const struct rec_src *s, int f)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (s->cols[i].field == f && s->cols[i].lost_to < 0)
			return &s->cols[i];
	return NULL;
}

/* The form of each time field's values that no automatic form reads
 * (DESIGN §3), or DATE_AMBIGUOUS when two forms read them differently. */
static void detect_dates(struct rec_src *s)
{
	for (size_t f = 0; f < s->nfields; f++) {
		struct date_field *d = &s->dates[f];
		const char **vals;
		size_t *lens;
		const char *p;
		const struct col *c = col_of(s, (int)f);
		char label[300];
		int rc;

		if (!(s->fields[f].flags & REC_F_TIME))
			continue;
		if (s->opts->date_format) {
			d->how = DATE_USER;
			continue;
		}
		if (d->nodd == 0)
			continue;
		vals = xmalloc(d->nodd * sizeof *vals);
		lens = xmalloc(d->nodd * sizeof *lens);
		p = d->odd.s;
		for (size_t i = 0; i < d->nodd; i++) {
			vals[i] = p;
			lens[i] = strlen(p);
			p += lens[i] + 1;
		}
		rc = timeparse_detect(vals, lens, d->nodd, &d->det);
		d->how = rc == 0 ? DATE_DETECTED : rc == -2 ? DATE_AMBIGUOUS : DATE_UNKNOWN;
		if (rc == 0)
			msg_verb("%s: %s: times read as '%s' (detected)", s->name,
				 col_label(s, c, f, label, sizeof label), d->det.form);
		if (rc == -2)
			d->amb_value = vals[d->det.example];
		free(vals);
		free(lens);
	}
}

/* Time fields whose values two forms read differently: each named, with
 * both readings of a value; 0, or -1 (65). */
static int ambiguous_dates(struct rec_src *s)
{
	int bad = 0;

	for (size_t f = 0; f < s->nfields; f++) {
		const struct date_field *d = &s->dates[f];
		const struct col *c = col_of(s, (int)f);
		char t1[TIMEPARSE_TEXT_LEN], t2[TIMEPARSE_TEXT_LEN], label[300];

		if (d->how != DATE_AMBIGUOUS)
			continue;
		timeparse_format(d->det.t1, 0, t1);
		timeparse_format(d->det.t2, 0, t2);
		msg_errat(s->name, 0, "%s: '%s' reads as %s with '%s' and as %s "
			  "with '%s': give --date-format",
			  col_label(s, c, f, label, sizeof label), d->amb_value, t1,
			  d->det.form, t2, d->det.other);
		s->status = EXIT_DATA_ERR;
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* Hand out the next record read ahead (1 or 2). */
static int replay_next(struct rec_src *s, struct rec *r)
{
	const struct srec *sr = &s->srec[s->replay++];
	const char *p = s->sdata.s + sr->off;

	s->recno = sr->recno;
	s->line = sr->line;
	if (s->js) {
		struct json_error e;
		json_arena_reset(s->arena);
		if (json_parse(p, sr->n, s->arena, &s->curjson, &e) < 0)
			return fail_at(s, sr->line, EXIT_SOFTWARE_ERR,
				       "record %ld read ahead: %s", sr->recno, e.msg);
		return json_deliver(s, r);
	}
	if (sr->n > s->rcap) {
		s->rcap = sr->n;
		s->rf = xreallocarray(s->rf, s->rcap, sizeof *s->rf);
		s->rl = xreallocarray(s->rl, s->rcap, sizeof *s->rl);
	}
	for (size_t i = 0; i < sr->n; i++) {
		memcpy(&s->rl[i], p, sizeof s->rl[i]);
		s->rf[i] = (char *)p + sizeof s->rl[i];
		p += sizeof s->rl[i] + s->rl[i] + 1;
	}
	s->rrec.n = sr->n;
	s->rrec.f = s->rf;
	s->rrec.len = s->rl;
	s->rrec.line = sr->line;
	s->cur = &s->rrec;
	return csv_deliver(s, r);
}

static void sample_free(struct rec_src *s)
{
	buf_free(&s->sdata);
	free(s->srec);
	s->srec = NULL;
	s->nsrec = s->srcap = s->replay = 0;
}

int rec_next(struct rec_src *s, struct rec *r)
{
	int rc;

	r->v = s->v;
	r->len = s->len;
	if (s->replay < s->nsrec)
		return replay_next(s, r);
	if (s->srec)
		sample_free(s);
	if (s->pending) {
		s->pending = 0;
		msg_errat(s->name, s->errline, "%s", s->err);
		return -1;
	}
	if (s->sample_eof)
		rc = 0;
	else
		rc = s->csv ? csv_read(s) : json_read(s);
	if (rc == 0)
		return end_checks(s) < 0 ? -1 : 0;
	if (rc < 0)
		return -1;
	return s->csv ? csv_deliver(s, r) : json_deliver(s, r);
}

/* Is reading ahead wanted?  For --show-mapping, and to detect the form of
 * times when there is no --date-format (CSV: a time column is there). */
static int want_sample(const struct rec_src *s)
{
	if (s->opts->flags & (REC_O_SHOW | REC_O_LOG_MAPPING))
		return 1;
	if (s->opts->date_format)
		return 0;
	for (size_t f = 0; f < s->nfields; f++)
		if ((s->fields[f].flags & REC_F_TIME) && (s->js || s->has[f]))
			return 1;
	return 0;
}

/* The first records are read ahead, dates detected, the mapping logged
 * (-n -v) and the required columns checked: 0, or -1 with s->status. */
static int read_ahead(struct rec_src *s)
{
	int show = (s->opts->flags & REC_O_SHOW) != 0;

	s->dates = xcalloc(s->nfields, sizeof *s->dates);
	if (want_sample(s)) {
		sample(s);
		if (s->sample_eof && end_checks(s) < 0) {
			if (s->pending)
				msg_errat(s->name, s->errline, "%s", s->err);
			return -1;
		}
	}
	detect_dates(s);
	if (s->opts->flags & REC_O_LOG_MAPPING)
		rec_mapping_log(s);
	if (show)
		return 0;
	if (ambiguous_dates(s) < 0)
		return -1;
	return s->csv && s->nheader ? missing_required(s) : 0;
}

struct rec_src *rec_names(const struct rec_field *fields, size_t nfields,
			  const struct rec_opts *o)
{
	struct rec_src *s = xcalloc(1, sizeof *s);

	s->name = xstrdup("-");
	s->no_input = 1;
	s->fmt = REC_CSV;
	s->fields = fields;
	s->nfields = nfields;
	s->opts = o;
	s->has = xcalloc(nfields, 1);
	names_init(s);
	return s;
}

int rec_field_named(struct rec_src *s, const char *name, size_t n)
{
	enum how how;

	return lookup_field(s, name, n, &how);
}

int rec_map_header(struct rec_src *s, const char *file, long line, const char *const *cols,
		   const size_t *lens, size_t ncols, int *col)
{
	for (size_t i = 0; i < s->ncols; i++)
		free(s->cols[i].name);
	s->ncols = 0;
	memset(s->has, 0, s->nfields);
	memset(s->mapused, 0, s->opts->nmaps);
	free(s->name);
	s->name = xstrdup(file);
	s->header_line = line;
	for (size_t i = 0; i < ncols; i++)
		col_new(s, cols[i], lens[i]);
	s->nheader = ncols;
	resolve_csv(s);
	for (size_t i = 0; i < ncols; i++)
		col[i] = s->cols[i].field;
	if (maps_unused(s, line) < 0 || missing_required(s) < 0)
		return s->status;
	return 0;
}

struct rec_src *rec_open(const char *path, const struct rec_field *fields,
			 size_t nfields, const struct rec_opts *o, int *status)
{
	struct rec_src *s = xcalloc(1, sizeof *s);

	s->name = xstrdup(path && strcmp(path, "-") != 0 ? path : "-");
	s->fields = fields;
	s->nfields = nfields;
	s->opts = o;
	s->v = xcalloc(nfields, sizeof *s->v);
	s->len = xcalloc(nfields, sizeof *s->len);
	s->joff = xcalloc(nfields, sizeof *s->joff);
	s->has = xcalloc(nfields, 1);
	s->vhow = xcalloc(nfields, 1);
	s->vcol = xcalloc(nfields, sizeof *s->vcol);
	names_init(s);
	s->in = encoding_open(path, o->enc);
	if (!s->in) {
		msg_err("cannot open '%s': %s", s->name, strerror(errno));
		*status = EXIT_NO_INPUT;
		goto fail;
	}
	s->fmt = o->fmt != REC_AUTO ? o->fmt : fmt_from_name(s->name);
	if (s->fmt == REC_AUTO || s->fmt == REC_JSON || s->fmt == REC_JSONL) {
		enum rec_fmt want = s->fmt;
		if (sniff(s) < 0) {
			s->read_failed = 1;
			(void)report_read_error(s, "read error", 0);
			*status = s->status;
			goto fail;
		}
		if (want != REC_AUTO)
			s->fmt = want;
	}
	if (s->fmt == REC_CSV || s->fmt == REC_TSV) {
		if (open_csv(s) < 0) {
			*status = s->status;
			goto fail;
		}
	} else {
		s->js = json_stream_new(src_read, s,
					s->fmt == REC_JSONL ? JSON_STREAM_LINES
							    : JSON_STREAM_AUTO);
		s->arena = json_arena_new();
	}
	if (read_ahead(s) < 0) {
		*status = s->status;
		goto fail;
	}
	*status = 0;
	return s;
fail:
	rec_close(s);
	return NULL;
}

/* ---- the mapping (--show-mapping) -------------------------------------- */

static const struct out_col mapping_cols[] = {
	{ "file", OUT_STR, "文件" }, { "column", OUT_STR, "输入列" },
	{ "field", OUT_STR, "字段" }, { "how", OUT_STR, "方式" },
	{ "date_format", OUT_STR, "日期格式" }, { "value_1", OUT_STR, "值1" },
	{ "value_2", OUT_STR, "值2" }, { "value_3", OUT_STR, "值3" },
};

void rec_mapping_begin(struct out *o)
{
	out_columns(o, mapping_cols, ARRAY_SIZE(mapping_cols));
}

/* How the times of field f are read, for the mapping. */
static void date_text(const struct rec_src *s, int f, struct buf *b)
{
	const struct date_field *d = &s->dates[f];

	switch (d->how) {
	case DATE_AUTO:
		buf_adds(b, d->ntimes ? "automatic" : "");
		break;
	case DATE_USER:
		buf_addf(b, "%s (--date-format)", s->opts->date_format);
		break;
	case DATE_DETECTED:
		buf_addf(b, "%s (detected)", d->det.form);
		break;
	case DATE_AMBIGUOUS:
		buf_addf(b, "%s or %s: give --date-format", d->det.form, d->det.other);
		break;
	case DATE_UNKNOWN:
		buf_adds(b, "unrecognised: give --date-format");
		break;
	}
}

static void col_how(const struct rec_src *s, const struct col *c, struct buf *b)
{
	static const char *const how[] = {
		[HOW_NONE] = "unused", [HOW_NAME] = "name", [HOW_ALIAS] = "alias",
		[HOW_MAP] = "--map", [HOW_VALUE] = "value (no header)",
	};

	if (c->lost_to >= 0)
		buf_addf(b, "unused: '%s' is read from '%s'", s->fields[c->want].name,
			 s->cols[c->lost_to].name);
	else
		buf_adds(b, how[c->how]);
}

int rec_mapping_write(const struct rec_src *s, struct out *o)
{
	struct buf how = BUF_INIT, date = BUF_INIT;
	const char *v[ARRAY_SIZE(mapping_cols)];
	int rc = 0;

	for (size_t i = 0; i < s->ncols && rc == 0; i++) {
		const struct col *c = &s->cols[i];
		if (c->object)
			continue;
		buf_reset(&how);
		buf_reset(&date);
		col_how(s, c, &how);
		if (c->field >= 0 && (s->fields[c->field].flags & REC_F_TIME))
			date_text(s, c->field, &date);
		v[0] = s->name;
		v[1] = c->name;
		v[2] = c->want >= 0 ? s->fields[c->want].name : "";
		v[3] = how.s;
		v[4] = buf_str(&date);
		for (int k = 0; k < SHOWN; k++)
			v[5 + k] = k < c->nshown ? c->shown[k] : "";
		if (c->want >= 0 && (s->fields[c->want].flags & REC_F_PRIVATE))
			for (int k = 0; k < SHOWN; k++)
				v[5 + k] = k < c->nshown ? "(personal: not shown)" : "";
		rc = out_row(o, v, NULL);
	}
	for (size_t f = 0; f < s->nfields && rc == 0; f++) {
		if (s->has[f])
			continue;
		v[0] = s->name;
		v[1] = "";
		v[2] = s->fields[f].name;
		v[3] = s->fields[f].flags & REC_F_REQUIRED ? "missing (required)" : "missing";
		v[4] = v[5] = v[6] = v[7] = "";
		rc = out_row(o, v, NULL);
	}
	buf_free(&how);
	buf_free(&date);
	return rc;
}

void rec_mapping_log(const struct rec_src *s)
{
	struct zout *z;
	struct out *o;

	fflush(stdout);
	z = zout_open_fp(stderr);
	o = out_new(z, OUT_TABLE, mapping_cols, ARRAY_SIZE(mapping_cols), 0);
	rec_mapping_write(s, o);
	out_finish(o);
	out_free(o);
	zout_close(z);
}

int rec_pending(struct rec_src *s)
{
	if (!s->pending)
		return 0;
	s->pending = 0;
	msg_errat(s->name, s->errline, "%s", s->err);
	return s->status;
}

const char *rec_date_format(const struct rec_src *s, size_t field)
{
	if (field >= s->nfields || s->dates[field].how != DATE_DETECTED)
		return NULL;
	return s->dates[field].det.form;
}

int rec_status(const struct rec_src *s)
{
	return s->status;
}

int rec_has(const struct rec_src *s, size_t field)
{
	return field < s->nfields && s->has[field];
}

long rec_header_line(const struct rec_src *s)
{
	return s->header_line;
}

const char *rec_name(const struct rec_src *s)
{
	return s->name;
}

void rec_progress(const struct rec_src *s, long long *done, long long *size)
{
	encoding_progress(s->in, done, size);
}

enum rec_fmt rec_format(const struct rec_src *s)
{
	return s->fmt;
}

void rec_header_csv(const struct rec_src *s, struct buf *out)
{
	if (s->csv) {
		for (size_t i = 0; i < s->nheader; i++) {
			if (i)
				buf_addc(out, ',');
			csvio_quote(out, s->cols[i].name, strlen(s->cols[i].name));
		}
	} else {
		buf_adds(out, "record");
	}
}

void rec_raw_csv(const struct rec_src *s, struct buf *out)
{
	if (s->csv && s->cur) {
		for (size_t i = 0; i < s->cur->n; i++) {
			if (i)
				buf_addc(out, ',');
			csvio_quote(out, s->cur->f[i], s->cur->len[i]);
		}
	} else if (s->curjson) {
		struct buf j = BUF_INIT;
		json_put_value(&j, s->curjson);
		csvio_quote(out, buf_str(&j), j.len);
		buf_free(&j);
	}
}

void rec_close(struct rec_src *s)
{
	if (!s)
		return;
	if (!s->no_input)
		msg_repeats_end(s->name);
	csvio_free(s->csv);
	if (s->js)
		json_stream_free(s->js);
	if (s->arena)
		json_arena_free(s->arena);
	encoding_close(s->in);
	free(s->vhow);
	free(s->vcol);
	sample_free(s);
	free(s->rf);
	free(s->rl);
	for (size_t f = 0; s->dates && f < s->nfields; f++)
		buf_free(&s->dates[f].odd);
	free(s->dates);
	free(s->mapfield);
	free(s->mapused);
	for (size_t i = 0; i < s->ncols; i++) {
		free(s->cols[i].name);
		for (int k = 0; k < s->cols[i].nshown; k++)
			free(s->cols[i].shown[k]);
	}
	free(s->cols);
	strmap_free(&s->keys);
	strmap_free(&s->names);
	strmap_free(&s->maps);
	buf_free(&s->key);
	buf_free(&s->jbuf);
	free(s->joff);
	free(s->v);
	free(s->len);
	free(s->has);
	free(s->name);
	free(s);
}

static const struct rec_field id_fields[] = {
	{ "id", "案件编号|案卷编号|工单编号|编号|case_id", 0 },
};

struct rec_src *rec_open_ids(const char *path, enum rec_fmt fmt, enum encoding enc,
			     int *status)
{
	static struct rec_opts o;
	struct rec_src *s;

	o.fmt = fmt;
	o.enc = enc;
	o.flags = REC_O_BARE_VALUES;
	s = rec_open(path, id_fields, 1, &o, status);
	if (s && (s->fmt == REC_CSV || s->fmt == REC_TSV) && s->nheader && !s->has[0]) {
		struct buf h = BUF_INIT;
		rec_header_csv(s, &h);
		msg_errat(s->name, s->header_line, "no 'id' column (header: %s)", h.s);
		buf_free(&h);
		rec_close(s);
		*status = EXIT_DATA_ERR;
		return NULL;
	}
	return s;
}
