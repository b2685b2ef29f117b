#include "common.h"

#include <stdarg.h>

#include "buf.h"
#include "encoding.h"
#include "json.h"

/* ---- arena -------------------------------------------------------------- */

struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[];
};

struct json_arena {
	struct chunk *head;
};

struct json_arena *json_arena_new(void)
{
	return xcalloc(1, sizeof(struct json_arena));
}

static void *aalloc(struct json_arena *a, size_t n)
{
	struct chunk *c = a->head;
	n = (n + 15) & ~(size_t)15;
	if (!c || c->size - c->used < n) {
		size_t sz = n > 65536 ? n : 65536;
		c = xmalloc(sizeof *c + sz);
		c->size = sz;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

void json_arena_reset(struct json_arena *a)
{
	/* keep one chunk (the biggest recent one) for reuse */
	struct chunk *c = a->head, *keep = NULL;
	while (c) {
		struct chunk *next = c->next;
		if (!keep)
			keep = c;
		else
			free(c);
		c = next;
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
}

void json_arena_free(struct json_arena *a)
{
	struct chunk *c;
	if (!a)
		return;
	c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

/* ---- parser over a contiguous text -------------------------------------- */

struct parser {
	const char *s;
	size_t n, i;
	struct json_arena *a;
	struct json_error *err;
	int failed;
	/* scratch stack for children while an array or object is open */
	struct json_value **stk;
	const char **kstk;
	size_t *klstk;
	size_t sn, scap;
	struct buf tmp;
};

static void perr(struct parser *p, size_t at, const char *fmt, ...)
	ATTR_PRINTF(3, 4);
static void perr(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
	p->err->offset = at;
}

static void skip_ws(struct parser *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->i++;
	}
}

static void push(struct parser *p, struct json_value *v, const char *k, size_t kl)
{
	if (p->sn == p->scap) {
		p->scap = p->scap ? p->scap * 2 : 64;
		p->stk = xreallocarray(p->stk, p->scap, sizeof *p->stk);
		p->kstk = xreallocarray(p->kstk, p->scap, sizeof *p->kstk);
		p->klstk = xreallocarray(p->klstk, p->scap, sizeof *p->klstk);
	}
	p->stk[p->sn] = v;
	p->kstk[p->sn] = k;
	p->klstk[p->sn] = kl;
	p->sn++;
}

static struct json_value *newval(struct parser *p, enum json_type t)
{
	struct json_value *v = aalloc(p->a, sizeof *v);
	memset(v, 0, sizeof *v);
	v->type = t;
	return v;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

/* n bytes at s, NUL-terminated, into the arena: *out and *outlen. */
static void arena_text(struct parser *p, const char *s, size_t n,
		       const char **out, size_t *outlen)
{
	char *dst = aalloc(p->a, n + 1);

	memcpy(dst, s, n);
	dst[n] = '\0';
	*out = dst;
	*outlen = n;
}

/* A \uXXXX escape at p->i (the 'u'), with the low half of a surrogate
 * pair after it, into p->tmp; p->i ends on its last digit.  0 or -1. */
static int parse_u_escape(struct parser *p)
{
	const char *s = p->s;
	size_t at = p->i - 1;
	unsigned cp, lo;

	if (p->i + 4 >= p->n || hex4(s + p->i + 1, &cp) < 0) {
		perr(p, at, "bad \\u escape");
		return -1;
	}
	p->i += 4;
	if (cp >= 0xD800 && cp <= 0xDBFF && p->i + 6 < p->n && s[p->i + 1] == '\\' &&
	    s[p->i + 2] == 'u' && hex4(s + p->i + 3, &lo) == 0 && lo >= 0xDC00 &&
	    lo <= 0xDFFF) {
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		p->i += 6;
	} else if (cp >= 0xD800 && cp <= 0xDFFF) {
		perr(p, at, "lone surrogate \\u%04X", cp);
		return -1;
	}
	put_utf8(&p->tmp, cp);
	return 0;
}

/* The escape at p->i (the backslash) into p->tmp; p->i goes past it. */
static int parse_escape(struct parser *p)
{
	static const char plain[256] = {
		['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
		['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
	};
	unsigned char c = (unsigned char)p->s[++p->i];

	if (plain[c])
		buf_addc(&p->tmp, plain[c]);
	else if (c != 'u' || parse_u_escape(p) < 0) {
		if (c != 'u')
			perr(p, p->i - 1, "bad escape '\\%c'",
			     c >= 0x20 && c < 0x7F ? c : '?');
		return -1;
	}
	p->i++;
	return 0;
}

/* Parse a string at p->i (the opening quote); the decoded text goes into the
 * arena.  Returns 0 or -1. */
static int parse_string(struct parser *p, const char **out, size_t *outlen)
{
	size_t start = ++p->i, run;
	const char *s = p->s;

	/* fast scan: a string without escapes is copied as it is */
	while (p->i < p->n) {
		unsigned char c = (unsigned char)s[p->i];
		if (c == '"' || c == '\\' || c < 0x20)
			break;
		p->i++;
	}
	if (p->i < p->n && s[p->i] == '"') {
		run = p->i - start;
		if (encoding_utf8_valid(s + start, run) != run) {
			perr(p, start + encoding_utf8_valid(s + start, run), "invalid UTF-8 in string");
			return -1;
		}
		arena_text(p, s + start, run, out, outlen);
		p->i++;
		return 0;
	}
	buf_reset(&p->tmp);
	buf_add(&p->tmp, s + start, p->i - start);
	while (p->i < p->n && s[p->i] != '"') {
		size_t j = p->i;
		while (j < p->n && s[j] != '"' && s[j] != '\\' &&
		       (unsigned char)s[j] >= 0x20)
			j++;
		buf_add(&p->tmp, s + p->i, j - p->i);
		p->i = j;
		if (j >= p->n || s[j] == '"')
			break;
		if ((unsigned char)s[j] < 0x20) {
			perr(p, j, "control character in string");
			return -1;
		}
		if (j + 1 >= p->n) {
			p->i = p->n; /* a backslash at the very end */
			break;
		}
		if (parse_escape(p) < 0)
			return -1;
	}
	if (p->i >= p->n) {
		perr(p, start - 1, "unterminated string");
		return -1;
	}
	p->i++; /* the closing quote */
	run = p->tmp.len;
	if (encoding_utf8_valid(buf_str(&p->tmp), run) != run) {
		perr(p, start, "invalid UTF-8 in string");
		return -1;
	}
	arena_text(p, buf_str(&p->tmp), run, out, outlen);
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t json_number_len(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && s[i] == '-')
		i++;
	if (i >= n || !is_digit(s[i]))
		return 0;
	if (s[i] == '0') {
		i++;
		if (i < n && is_digit(s[i]))
			return 0; /* a leading zero */
	} else {
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || !is_digit(s[i]))
			return 0;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return 0;
		while (i < n && is_digit(s[i]))
			i++;
	}
	return i;
}

static int parse_number(struct parser *p, struct json_value *v)
{
	size_t st = p->i, len = json_number_len(p->s + st, p->n - st);
	char *dst;

	if (len == 0)
		goto bad;
	dst = aalloc(p->a, len + 1);
	memcpy(dst, p->s + st, len);
	dst[len] = '\0';
	v->str = dst;
	v->len = len;
	p->i = st + len;
	return 0;
bad:
	perr(p, st, "bad number");
	return -1;
}

static struct json_value *parse_value(struct parser *p, int depth);

static int finish_container(struct parser *p, struct json_value *v, size_t base,
			    int object)
{
	size_t n = p->sn - base;
	v->n = n;
	v->items = aalloc(p->a, (n ? n : 1) * sizeof *v->items);
	if (n)
		memcpy(v->items, p->stk + base, n * sizeof *v->items);
	if (object) {
		v->keys = aalloc(p->a, (n ? n : 1) * sizeof *v->keys);
		v->keylens = aalloc(p->a, (n ? n : 1) * sizeof *v->keylens);
		if (n) {
			memcpy(v->keys, p->kstk + base, n * sizeof *v->keys);
			memcpy(v->keylens, p->klstk + base, n * sizeof *v->keylens);
		}
	}
	p->sn = base;
	return 0;
}

static struct json_value *parse_container(struct parser *p, int depth, int object)
{
	struct json_value *v = newval(p, object ? JSON_OBJECT : JSON_ARRAY);
	size_t base = p->sn;
	char close = object ? '}' : ']';

	if (depth >= JSON_MAX_DEPTH) {
		perr(p, p->i, "nesting too deep");
		return NULL;
	}
	p->i++;
	skip_ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		finish_container(p, v, base, object);
		return v;
	}
	for (;;) {
		const char *k = NULL;
		size_t kl = 0;
		struct json_value *c;

		skip_ws(p);
		if (object) {
			if (p->i >= p->n) {
				perr(p, p->i, "unexpected end of input");
				return NULL;
			}
			if (p->s[p->i] != '"') {
				perr(p, p->i, p->s[p->i] == '}' ? "trailing comma"
							       : "expected a string key");
				return NULL;
			}
			if (parse_string(p, &k, &kl) < 0)
				return NULL;
			skip_ws(p);
			if (p->i >= p->n || p->s[p->i] != ':') {
				perr(p, p->i, "expected ':'");
				return NULL;
			}
			p->i++;
			skip_ws(p);
		}
		if (!object && p->i < p->n && p->s[p->i] == ']') {
			perr(p, p->i, "trailing comma");
			return NULL;
		}
		c = parse_value(p, depth + 1);
		if (!c)
			return NULL;
		push(p, c, k, kl);
		skip_ws(p);
		if (p->i >= p->n) {
			perr(p, p->i, "unexpected end of input");
			return NULL;
		}
		if (p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->s[p->i] == close) {
			p->i++;
			finish_container(p, v, base, object);
			return v;
		}
		perr(p, p->i, object ? "expected ',' or '}'" : "expected ',' or ']'");
		return NULL;
	}
}

static int lit(struct parser *p, const char *w)
{
	size_t n = strlen(w);
	return p->n - p->i >= n && memcmp(p->s + p->i, w, n) == 0;
}

static struct json_value *parse_value(struct parser *p, int depth)
{
	struct json_value *v;
	char c;

	skip_ws(p);
	if (p->i >= p->n) {
		perr(p, p->i, "unexpected end of input");
		return NULL;
	}
	c = p->s[p->i];
	switch (c) {
	case '{':
		return parse_container(p, depth, 1);
	case '[':
		return parse_container(p, depth, 0);
	case '"':
		v = newval(p, JSON_STRING);
		if (parse_string(p, &v->str, &v->len) < 0)
			return NULL;
		return v;
	case 't':
		if (!lit(p, "true"))
			break;
		p->i += 4;
		return newval(p, JSON_TRUE);
	case 'f':
		if (!lit(p, "false"))
			break;
		p->i += 5;
		return newval(p, JSON_FALSE);
	case 'n':
		if (!lit(p, "null"))
			break;
		p->i += 4;
		return newval(p, JSON_NULL);
	default:
		if (c == '-' || is_digit(c)) {
			v = newval(p, JSON_NUMBER);
			if (parse_number(p, v) < 0)
				return NULL;
			return v;
		}
		break;
	}
	if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
		perr(p, p->i, "unexpected character '%c'", c);
	else
		perr(p, p->i, "unexpected byte 0x%02x", (unsigned char)c);
	return NULL;
}

static void parser_free(struct parser *p)
{
	free(p->stk);
	free(p->kstk);
	free(p->klstk);
	buf_free(&p->tmp);
}

static long count_nl(const char *s, size_t n)
{
	long c = 0;
	const char *e = s + n;
	while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		c++;
		s++;
	}
	return c;
}

/* Parse exactly one value in s[0..n) (surrounding whitespace allowed). */
static int parse_one(struct parser *p, const char *s, size_t n,
		     struct json_value **out)
{
	struct json_value *v;

	p->s = s;
	p->n = n;
	p->i = 0;
	p->failed = 0;
	p->sn = 0;
	v = parse_value(p, 0);
	if (!v)
		return -1;
	skip_ws(p);
	if (p->i < p->n) {
		perr(p, p->i, "garbage after the top-level value");
		return -1;
	}
	*out = v;
	return 0;
}

int json_parse(const char *text, size_t len, struct json_arena *a,
	       struct json_value **out, struct json_error *err)
{
	struct parser p;
	size_t skip = 0;
	int rc;

	memset(&p, 0, sizeof p);
	memset(err, 0, sizeof *err);
	p.a = a;
	p.err = err;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		skip = 3;
	rc = parse_one(&p, text + skip, len - skip, out);
	if (rc < 0) {
		err->offset += skip;
		err->line = 1 + count_nl(text, err->offset < len ? err->offset : len);
		err->record = 1;
	}
	parser_free(&p);
	return rc;
}

struct json_value *json_get(const struct json_value *obj, const char *key)
{
	size_t kl = strlen(key);
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (obj->keylens[i] == kl && memcmp(obj->keys[i], key, kl) == 0)
			return obj->items[i];
	return NULL;
}

/* ---- streaming ---------------------------------------------------------- */

struct json_stream {
	json_read_fn readfn;
	void *ctx;
	enum json_stream_mode mode;
	char *buf;
	size_t cap, start, end;  /* unconsumed data: buf[start..end) */
	size_t base;             /* input offset of buf[0] */
	long line;               /* line of buf[start] */
	int eof;
	int state;               /* 0 before anything, 1 in a top-level array, 2 after it, 3 values */
	int after_comma;
	long record;
	long rec_line;
	struct json_error err;
	struct parser p;
	int failed;
	int saw_value;           /* a value began (or a top-level '[') */
};

struct json_stream *json_stream_new(json_read_fn readfn, void *ctx,
				    enum json_stream_mode mode)
{
	struct json_stream *s = xcalloc(1, sizeof *s);
	s->readfn = readfn;
	s->ctx = ctx;
	s->mode = mode;
	s->cap = 65536;
	s->buf = xmalloc(s->cap);
	s->line = 1;
	return s;
}

void json_stream_free(struct json_stream *s)
{
	if (!s)
		return;
	parser_free(&s->p);
	free(s->buf);
	free(s);
}

const struct json_error *json_stream_error(const struct json_stream *s)
{
	return &s->err;
}

long json_stream_record_line(const struct json_stream *s)
{
	return s->rec_line;
}

int json_stream_empty(const struct json_stream *s)
{
	return !s->saw_value;
}

/* Read more; keeps buf[start..end). 1 more data, 0 end, -1 error. */
static int more(struct json_stream *s)
{
	ssize_t r;
	if (s->eof)
		return 0;
	if (s->start > 0) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->base += s->start;
		s->end -= s->start;
		s->start = 0;
	}
	if (s->end == s->cap) {
		s->cap *= 2;
		s->buf = xrealloc(s->buf, s->cap);
	}
	r = s->readfn(s->ctx, s->buf + s->end, s->cap - s->end);
	if (r < 0) {
		snprintf(s->err.msg, sizeof s->err.msg, "read error");
		return -1;
	}
	if (r == 0) {
		s->eof = 1;
		return 0;
	}
	s->end += (size_t)r;
	return 1;
}

static void serr(struct json_stream *s, size_t at, const char *msg)
{
	snprintf(s->err.msg, sizeof s->err.msg, "%s", msg);
	s->err.offset = s->base + at;
	s->err.line = s->line + count_nl(s->buf + s->start, at - s->start);
	s->err.record = s->record + 1;
	s->failed = 1;
}

/* Skip whitespace; returns the next byte or -1 at the end (-2 error). */
static int peek_ws(struct json_stream *s, int stop_at_nl)
{
	for (;;) {
		while (s->start < s->end) {
			char c = s->buf[s->start];
			if (c == '\n') {
				if (stop_at_nl)
					return '\n';
				s->line++;
			} else if (c != ' ' && c != '\t' && c != '\r') {
				return (unsigned char)c;
			}
			s->start++;
		}
		int r = more(s);
		if (r < 0)
			return -2;
		if (r == 0)
			return -1;
	}
}

/* Find the end of the value starting at buf[start]; *end is one past it. */
static int scan_value(struct json_stream *s, size_t *end)
{
	size_t i = s->start;
	int depth = 0, in_str = 0, esc = 0;
	char first = s->buf[i];

	if (first != '{' && first != '[' && first != '"') {
		/* a scalar ends at a delimiter */
		for (;;) {
			while (i < s->end) {
				char c = s->buf[i];
				if (c == ',' || c == ']' || c == '}' || c == ' ' ||
				    c == '\t' || c == '\n' || c == '\r' || c == '[' ||
				    c == '{' || c == '"')
					goto done;
				i++;
			}
			size_t off = i - s->start;
			int r = more(s);
			if (r < 0)
				return -1;
			i = s->start + off;
			if (r == 0)
				goto done;
		}
	}
	for (;;) {
		while (i < s->end) {
			char c = s->buf[i++];
			if (in_str) {
				if (esc)
					esc = 0;
				else if (c == '\\')
					esc = 1;
				else if (c == '"') {
					in_str = 0;
					if (depth == 0)
						goto done;
				}
				continue;
			}
			if (c == '"')
				in_str = 1;
			else if (c == '{' || c == '[')
				depth++;
			else if (c == '}' || c == ']') {
				depth--;
				if (depth <= 0)
					goto done;
			}
		}
		size_t off = i - s->start;
		int r = more(s);
		if (r < 0)
			return -1;
		i = s->start + off;
		if (r == 0)
			goto done; /* truncated: the parser says what is wrong */
	}
done:
	*end = i;
	return 0;
}

static int parse_slice(struct json_stream *s, size_t from, size_t to,
		       struct json_arena *a, struct json_value **out)
{
	s->p.a = a;
	s->p.err = &s->err;
	if (parse_one(&s->p, s->buf + from, to - from, out) < 0) {
		size_t at = from + s->err.offset;
		char msg[sizeof s->err.msg];
		memcpy(msg, s->err.msg, sizeof msg);
		serr(s, at, msg);
		return -1;
	}
	return 0;
}

static int next_line(struct json_stream *s, struct json_arena *a,
		     struct json_value **out)
{
	for (;;) {
		int c = peek_ws(s, 1);
		size_t i, off;
		if (c == -2)
			return -1;
		if (c == -1)
			return 0;
		if (c == '\n') {
			s->start++;
			s->line++;
			continue;
		}
		/* the line runs to the next newline */
		i = s->start;
		for (;;) {
			char *nl = memchr(s->buf + i, '\n', s->end - i);
			if (nl) {
				i = (size_t)(nl - s->buf);
				break;
			}
			off = s->end - s->start;
			int r = more(s);
			if (r < 0)
				return -1;
			i = s->start + off;
			if (r == 0) {
				i = s->end;
				break;
			}
		}
		s->rec_line = s->line;
		s->saw_value = 1;
		if (parse_slice(s, s->start, i, a, out) < 0)
			return -1;
		s->record++;
		s->start = i;
		return 1;
	}
}

/* Parse the value at buf[start]; consume it.  1 or -1. */
static int take_value(struct json_stream *s, struct json_arena *a,
		      struct json_value **out)
{
	size_t end;

	s->rec_line = s->line;
	if (scan_value(s, &end) < 0)
		return -1;
	if (end == s->start) {
		char c = s->buf[s->start];
		char msg[64];
		if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
			snprintf(msg, sizeof msg, "unexpected character '%c'", c);
		else
			snprintf(msg, sizeof msg, "unexpected byte 0x%02x", (unsigned char)c);
		serr(s, s->start, msg);
		return -1;
	}
	s->saw_value = 1;
	if (parse_slice(s, s->start, end, a, out) < 0)
		return -1;
	s->line += count_nl(s->buf + s->start, end - s->start);
	s->start = end;
	s->record++;
	return 1;
}

/* The start of the input: a BOM is skipped; outside JSON Lines, a '[' opens
 * an array whose elements are the records (state 1; an empty one is state
 * 2 at once), else the values follow one another (state 3).  0 or -1. */
static int stream_start(struct json_stream *s)
{
	int c;

	while (s->end - s->start < 3 && !s->eof)
		if (more(s) < 0)
			return -1;
	if (s->end - s->start >= 3 && memcmp(s->buf + s->start, "\xEF\xBB\xBF", 3) == 0)
		s->start += 3;
	s->state = 3;
	if (s->mode == JSON_STREAM_LINES)
		return 0;
	if ((c = peek_ws(s, 0)) == -2)
		return -1;
	if (c != '[')
		return 0;
	s->start++;
	s->state = 1;
	s->saw_value = 1;
	if ((c = peek_ws(s, 0)) == -2)
		return -1;
	if (c == ']') {
		s->start++;
		s->state = 2;
	}
	return 0;
}

/* The next element of the top-level array, and the ',' or ']' after it;
 * 1 or -1. */
static int array_next(struct json_stream *s, struct json_arena *a,
		      struct json_value **out)
{
	int c = peek_ws(s, 0);

	if (c == -2)
		return -1;
	if (c == -1 || (c == ']' && s->after_comma)) {
		serr(s, s->start, c == -1 ? "unexpected end of input: ']' missing"
					  : "trailing comma");
		return -1;
	}
	if (take_value(s, a, out) < 0 || (c = peek_ws(s, 0)) == -2)
		return -1;
	if (c == ',') {
		s->start++;
		s->after_comma = 1;
	} else if (c == ']') {
		s->start++;
		s->state = 2;
	} else {
		serr(s, s->start, c == -1 ? "unexpected end of input: ']' missing"
					  : "expected ',' or ']'");
		return -1;
	}
	return 1;
}

int json_stream_next(struct json_stream *s, struct json_arena *a,
		     struct json_value **out)
{
	int c, r;

	if (s->failed)
		return -1;
	if (s->state == 0 && stream_start(s) < 0)
		goto fail;
	if (s->mode == JSON_STREAM_LINES) {
		if ((r = next_line(s, a, out)) < 0)
			goto fail;
		return r;
	}
	if (s->state == 1) {
		if ((r = array_next(s, a, out)) < 0)
			goto fail;
		return r;
	}
	c = peek_ws(s, 0);
	if (c == -2)
		goto fail;
	if (c == -1)
		return 0;
	if (s->state == 2) {
		serr(s, s->start, "garbage after the top-level value");
		goto fail;
	}
	if (take_value(s, a, out) < 0)
		goto fail;
	return 1;
fail:
	s->failed = 1;
	if (!s->err.msg[0])
		snprintf(s->err.msg, sizeof s->err.msg, "read error");
	return -1;
}

/* ---- writing ------------------------------------------------------------ */

/* ASCII bytes that a JSON string must escape */
static const unsigned char json_esc[128] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
	[0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0A] = 1, [0x0B] = 1,
	[0x0C] = 1, [0x0D] = 1, [0x0E] = 1, [0x0F] = 1, [0x10] = 1, [0x11] = 1,
	[0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1,
	[0x1E] = 1, [0x1F] = 1, ['"'] = 1, ['\\'] = 1,
};

/* Linear: each byte is looked at once (a run of valid UTF-8 is not checked
 * again to the end of the value at every character). */
void json_put_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, len;
	unsigned char c;

	buf_grow(b, n + 2);
	buf_addc(b, '"');
	while (i < n) {
		run = i;
		while (i < n) {
			if (p[i] < 0x80) {
				if (json_esc[p[i]])
					break;
				i++;
			} else if ((len = encoding_utf8_decode((const char *)p + i, n - i, NULL)) != 0) {
				i += len;
			} else {
				break;
			}
		}
		if (i > run)
			buf_add(b, p + run, i - run);
		if (i == n)
			break;
		c = p[i];
		if (c >= 0x80) {
			buf_add(b, "\xEF\xBF\xBD", 3);
			i++;
			continue;
		}
		buf_addc(b, '\\');
		switch (c) {
		case '"': buf_addc(b, '"'); break;
		case '\\': buf_addc(b, '\\'); break;
		case '\b': buf_addc(b, 'b'); break;
		case '\f': buf_addc(b, 'f'); break;
		case '\n': buf_addc(b, 'n'); break;
		case '\r': buf_addc(b, 'r'); break;
		case '\t': buf_addc(b, 't'); break;
		default:
			buf_add(b, "u00", 3);
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
		i++;
	}
	buf_addc(b, '"');
}

void json_put_number(struct buf *b, const char *s, size_t n)
{
	if (n > 0 && json_number_len(s, n) == n)
		buf_add(b, s, n);
	else
		json_put_string(b, s, n);
}

void json_put_value(struct buf *b, const struct json_value *v)
{
	switch (v->type) {
	case JSON_NULL: buf_adds(b, "null"); break;
	case JSON_TRUE: buf_adds(b, "true"); break;
	case JSON_FALSE: buf_adds(b, "false"); break;
	case JSON_NUMBER: buf_add(b, v->str, v->len); break;
	case JSON_STRING: json_put_string(b, v->str, v->len); break;
	case JSON_ARRAY:
		buf_addc(b, '[');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				buf_addc(b, ',');
			json_put_value(b, v->items[i]);
		}
		buf_addc(b, ']');
		break;
	case JSON_OBJECT:
		buf_addc(b, '{');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				buf_addc(b, ',');
			json_put_string(b, v->keys[i], v->keylens[i]);
			buf_addc(b, ':');
			json_put_value(b, v->items[i]);
		}
		buf_addc(b, '}');
		break;
	}
}
