#include "common.h"

#include <strings.h>

#include "buf.h"
#include "csvio.h"
#include "encoding.h"
#include "json.h"
#include "msg.h"
#include "rec.h"

#define PEEK_SIZE 4096

struct keymap {
	char *key;      /* normalised */
	int field;      /* -1: ignored */
};

struct rec_src {
	char *name;
	struct encoding_in *in;
	enum rec_fmt fmt;
	const struct rec_field *fields;
	size_t nfields;
	const struct rec_opts *opts;
	int status;
	/* sniffed bytes handed out before the rest of the input */
	char peek[PEEK_SIZE];
	size_t peek_len, peek_pos;
	int read_failed;
	/* CSV */
	struct csvio *csv;
	struct csvio_rec *cur;
	char **header;
	size_t nheader;
	int *colfield;       /* header column -> field or -1 */
	/* JSON */
	struct json_stream *js;
	struct json_arena *arena;
	struct json_value *curjson;
	struct keymap *keys;
	size_t nkeys, keycap;
	struct buf jbuf;     /* values of the current JSON record */
	size_t *joff;
	/* output */
	const char **v;
	size_t *len;
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

/* Which field does a header name go to?  -1 when none. */
static int lookup_field(const struct rec_src *s, const char *name, size_t n)
{
	struct buf k = BUF_INIT, a = BUF_INIT;
	int found = -1;

	norm_key(&k, name, n);
	for (size_t i = 0; i < s->opts->nmaps && found < 0; i++) {
		const char *m = s->opts->maps[i];
		const char *eq = strrchr(m, '=');
		if (!eq)
			continue;
		norm_key(&a, m, (size_t)(eq - m));
		if (strcmp(a.s ? a.s : "", buf_str(&k)) == 0) {
			for (size_t f = 0; f < s->nfields; f++)
				if (strcmp(s->fields[f].name, eq + 1) == 0)
					found = (int)f;
		}
	}
	for (size_t f = 0; f < s->nfields && found < 0; f++) {
		const char *p = s->fields[f].name;
		norm_key(&a, p, strlen(p));
		if (strcmp(buf_str(&a), buf_str(&k)) == 0) {
			found = (int)f;
			break;
		}
		p = s->fields[f].aliases;
		while (p && *p) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			norm_key(&a, p, len);
			if (strcmp(buf_str(&a), buf_str(&k)) == 0) {
				found = (int)f;
				break;
			}
			p = bar ? bar + 1 : NULL;
		}
	}
	buf_free(&k);
	buf_free(&a);
	return found;
}

int rec_check_maps(const char *const *maps, size_t n,
		   const struct rec_field *fields, size_t nfields)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strrchr(maps[i], '=');
		size_t f;
		if (!eq || eq == maps[i] || !eq[1]) {
			msg_err("--map '%s': expected SOURCE=FIELD", maps[i]);
			return -1;
		}
		for (f = 0; f < nfields; f++)
			if (strcmp(fields[f].name, eq + 1) == 0)
				break;
		if (f == nfields) {
			struct buf b = BUF_INIT;
			for (f = 0; f < nfields; f++) {
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

static void report_read_error(struct rec_src *s, const char *what, long line)
{
	if (s->read_failed) {
		const char *why = encoding_error(s->in);
		long l = encoding_error_line(s->in);
		msg_errat(s->name, l, "%s", why);
		/* gzip and I/O trouble is an I/O error; bad bytes are bad data */
		s->status = l > 0 ? EXIT_DATA_ERR
			  : strncmp(why, "read error", 10) == 0 ? EXIT_IO_ERR
								: EXIT_DATA_ERR;
	} else {
		msg_errat(s->name, line, "%s", what);
		s->status = EXIT_DATA_ERR;
	}
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
	s->nheader = h->n;
	s->header = xcalloc(h->n, sizeof *s->header);
	s->colfield = xcalloc(h->n, sizeof *s->colfield);
	for (size_t i = 0; i < h->n; i++) {
		int f = lookup_field(s, h->f[i], h->len[i]);
		s->header[i] = xstrndup(h->f[i], h->len[i]);
		if (f >= 0 && s->has[f]) {
			msg_warnat(s->name, h->line,
				   "column '%s' ignored: '%s' is already read from another column",
				   s->header[i], s->fields[f].name);
			f = -1;
		}
		s->colfield[i] = f;
		if (f >= 0)
			s->has[f] = 1;
		else
			msg_verb("%s: column '%s' is not used", s->name, s->header[i]);
	}
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
			report_read_error(s, "read error", 0);
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
	*status = 0;
	return s;
fail:
	rec_close(s);
	return NULL;
}

static int next_csv(struct rec_src *s, struct rec *r)
{
	int rc;

	if (s->nheader == 0)
		return 0;
	rc = csvio_next(s->csv, &s->cur);
	if (rc < 0) {
		report_read_error(s, csvio_error(s->csv), csvio_error_line(s->csv));
		return -1;
	}
	if (rc == 0)
		return 0;
	s->recno++;
	r->line = s->cur->line;
	r->recno = s->recno;
	r->reason = NULL;
	for (size_t i = 0; i < s->nfields; i++)
		s->v[i] = NULL;
	if (s->cur->n != s->nheader) {
		static char why[96];
		snprintf(why, sizeof why, "expected %zu fields, found %zu",
			 s->nheader, s->cur->n);
		r->reason = why;
		return 2;
	}
	for (size_t i = 0; i < s->nheader; i++) {
		int f = s->colfield[i];
		if (f >= 0) {
			s->v[f] = s->cur->f[i];
			s->len[f] = s->cur->len[i];
		}
	}
	return 1;
}

static int json_key_field(struct rec_src *s, const char *key, size_t n)
{
	struct buf k = BUF_INIT;
	int f;

	norm_key(&k, key, n);
	for (size_t i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].key, buf_str(&k)) == 0) {
			buf_free(&k);
			return s->keys[i].field;
		}
	f = lookup_field(s, key, n);
	XGROW(s->keys, s->nkeys + 1, s->keycap);
	s->keys[s->nkeys].key = buf_detach(&k);
	s->keys[s->nkeys].field = f;
	s->nkeys++;
	if (f >= 0)
		s->has[f] = 1;
	return f;
}

static void flatten(struct rec_src *s, const struct json_value *obj,
		    struct buf *prefix)
{
	for (size_t i = 0; i < obj->n; i++) {
		const struct json_value *v = obj->items[i];
		size_t plen = prefix->len;
		int f;

		if (plen)
			buf_addc(prefix, '.');
		buf_add(prefix, obj->keys[i], obj->keylens[i]);
		if (v->type == JSON_OBJECT) {
			flatten(s, v, prefix);
			prefix->len = plen;
			prefix->s[plen] = '\0';
			continue;
		}
		f = json_key_field(s, prefix->s, prefix->len);
		prefix->len = plen;
		prefix->s[plen] = '\0';
		if (f < 0 || s->v[f] || v->type == JSON_NULL)
			continue;
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
			/* an array: kept as JSON text */
			s->joff[f] = s->jbuf.len + 1;
			json_put_value(&s->jbuf, v);
			buf_addc(&s->jbuf, '\0');
			s->len[f] = s->jbuf.len - s->joff[f];
			s->v[f] = "";
		}
	}
}

static int next_json(struct rec_src *s, struct rec *r)
{
	struct json_value *v;
	struct buf prefix = BUF_INIT;
	int rc;

	json_arena_reset(s->arena);
	s->curjson = NULL;
	rc = json_stream_next(s->js, s->arena, &v);
	if (rc < 0) {
		const struct json_error *e = json_stream_error(s->js);
		if (s->read_failed) {
			report_read_error(s, "read error", 0);
		} else {
			msg_errat(s->name, e->line, "record %ld: %s (byte %zu)",
				  e->record, e->msg, e->offset);
			s->status = EXIT_DATA_ERR;
		}
		return -1;
	}
	if (rc == 0)
		return 0;
	s->recno++;
	s->curjson = v;
	r->line = json_stream_record_line(s->js);
	r->recno = s->recno;
	r->reason = NULL;
	for (size_t i = 0; i < s->nfields; i++) {
		s->v[i] = NULL;
		s->joff[i] = 0;
	}
	if (v->type != JSON_OBJECT) {
		r->reason = "expected a JSON object";
		return 2;
	}
	buf_reset(&s->jbuf);
	buf_addc(&s->jbuf, '\0');
	buf_grow(&prefix, 64);
	flatten(s, v, &prefix);
	buf_free(&prefix);
	/* the arrays' text is in jbuf, which may have moved while growing */
	for (size_t i = 0; i < s->nfields; i++)
		if (s->joff[i])
			s->v[i] = s->jbuf.s + s->joff[i];
	return 1;
}

int rec_next(struct rec_src *s, struct rec *r)
{
	int rc;

	r->v = s->v;
	r->len = s->len;
	if (s->csv)
		rc = next_csv(s, r);
	else
		rc = next_json(s, r);
	return rc;
}

int rec_status(const struct rec_src *s)
{
	return s->status;
}

int rec_has(const struct rec_src *s, size_t field)
{
	return field < s->nfields && s->has[field];
}

const char *rec_name(const struct rec_src *s)
{
	return s->name;
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
			csvio_quote(out, s->header[i], strlen(s->header[i]), ',');
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
			csvio_quote(out, s->cur->f[i], s->cur->len[i], ',');
		}
	} else if (s->curjson) {
		struct buf j = BUF_INIT;
		json_put_value(&j, s->curjson);
		csvio_quote(out, buf_str(&j), j.len, ',');
		buf_free(&j);
	}
}

void rec_close(struct rec_src *s)
{
	if (!s)
		return;
	csvio_free(s->csv);
	if (s->js)
		json_stream_free(s->js);
	if (s->arena)
		json_arena_free(s->arena);
	encoding_close(s->in);
	for (size_t i = 0; i < s->nheader; i++)
		free(s->header[i]);
	free(s->header);
	free(s->colfield);
	for (size_t i = 0; i < s->nkeys; i++)
		free(s->keys[i].key);
	free(s->keys);
	buf_free(&s->jbuf);
	free(s->joff);
	free(s->v);
	free(s->len);
	free(s->has);
	free(s->name);
	free(s);
}

static const struct rec_field id_fields[] = {
	{ "id", "案件编号|案卷编号|工单编号|编号|case_id" },
};

struct rec_src *rec_open_ids(const char *path, enum rec_fmt fmt, enum encoding enc,
			     int *status)
{
	static struct rec_opts o;
	struct rec_src *s;

	o.fmt = fmt;
	o.enc = enc;
	s = rec_open(path, id_fields, 1, &o, status);
	if (s && (s->fmt == REC_CSV || s->fmt == REC_TSV) && s->nheader && !s->has[0]) {
		struct buf h = BUF_INIT;
		rec_header_csv(s, &h);
		msg_errat(s->name, 1, "no 'id' column (header: %s)", h.s);
		buf_free(&h);
		rec_close(s);
		*status = EXIT_DATA_ERR;
		return NULL;
	}
	return s;
}
