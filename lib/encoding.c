#include "common.h"

#include <iconv.h>
#include <strings.h>

#include "buf.h"
#include "encoding.h"
#include "msg.h"
#include "zio.h"

#define RAW_SIZE (256 * 1024)
#define CONV_SIZE (64 * 1024)

struct encoding_in {
	struct zin *z;
	enum encoding enc;        /* the encoding decided on (AUTO until decided) */
	int saw_multibyte;   /* valid non-ASCII UTF-8 was passed on */
	iconv_t cd;
	int started;         /* BOM checked */
	char *raw;           /* undecoded bytes */
	size_t raw_len, raw_pos;
	size_t raw_ok;       /* raw[raw_pos..+raw_ok) is checked UTF-8 */
	int raw_eof;
	char *conv;          /* converted text not yet handed out */
	size_t conv_len, conv_pos;
	long line;           /* newlines passed on so far */
	char err[200];
	long err_line;
	int err_io;          /* err is a read's (I/O), not the bytes' */
};

size_t encoding_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)str;
	unsigned char c, lo = 0x80, hi = 0xBF;
	size_t len, i;
	uint32_t v;

	if (n == 0)
		return 0;
	c = p[0];
	if (c < 0x80) {
		len = 1;
		v = c;
		goto done;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;      /* overlong */
		else if (c == 0xED)
			hi = 0x9F;      /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;      /* overlong */
		else if (c == 0xF4)
			hi = 0x8F;      /* beyond U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	v = (v << 6) | (p[1] & 0x3F);
	for (i = 2; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
done:
	if (cp)
		*cp = v;
	return len;
}

size_t encoding_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;

	while (i < n) {
		/* ASCII fast path, eight bytes at a time */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		/* a CJK character: E1..EC or EE..EF and any two continuation
		 * bytes (E0 and ED narrow the second byte: the full check) */
		if (i + 2 < n && s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		if ((len = encoding_utf8_decode(str + i, n - i, NULL)) == 0)
			return i;
		i += len;
	}
	return n;
}

int encoding_parse(const char *s)
{
	if (strcasecmp(s, "auto") == 0)
		return ENCODING_AUTO;
	if (strcasecmp(s, "utf-8") == 0 || strcasecmp(s, "utf8") == 0)
		return ENCODING_UTF8;
	if (strcasecmp(s, "gb18030") == 0 || strcasecmp(s, "gbk") == 0 ||
	    strcasecmp(s, "gb2312") == 0 || strcasecmp(s, "cp936") == 0)
		return ENCODING_GB18030;
	if (strcasecmp(s, "utf-16le") == 0)
		return ENCODING_UTF16LE;
	if (strcasecmp(s, "utf-16be") == 0)
		return ENCODING_UTF16BE;
	return -1;
}

const char *encoding_name(enum encoding e)
{
	switch (e) {
	case ENCODING_AUTO: return "auto";
	case ENCODING_UTF8: return "UTF-8";
	case ENCODING_GB18030: return "GB18030";
	case ENCODING_UTF16LE: return "UTF-16LE";
	case ENCODING_UTF16BE: return "UTF-16BE";
	}
	return "?";
}

void encoding_progress(const struct encoding_in *t, long long *done, long long *size)
{
	zin_progress(t->z, done, size);
}

struct encoding_in *encoding_open(const char *path, enum encoding enc)
{
	struct zin *z = zin_open(path);
	struct encoding_in *t;

	if (!z)
		return NULL;
	t = xcalloc(1, sizeof *t);
	t->z = z;
	t->enc = enc;
	t->cd = (iconv_t)-1;
	t->raw = xmalloc(RAW_SIZE);
	return t;
}

static int fill_raw(struct encoding_in *t)
{
	ssize_t r;

	if (t->raw_pos > 0) {
		memmove(t->raw, t->raw + t->raw_pos, t->raw_len - t->raw_pos);
		t->raw_len -= t->raw_pos;
		t->raw_pos = 0;
	}
	while (!t->raw_eof && t->raw_len < RAW_SIZE) {
		r = zin_read(t->z, t->raw + t->raw_len, RAW_SIZE - t->raw_len);
		if (r < 0) {
			snprintf(t->err, sizeof t->err, "%s", zin_error(t->z));
			t->err_io = zin_error_io(t->z);
			t->err_line = 0;
			return -1;
		}
		if (r == 0)
			t->raw_eof = 1;
		t->raw_len += (size_t)r;
		if (t->raw_len >= 4096)
			break;
	}
	return 0;
}

static long count_lines(const char *p, size_t n)
{
	long c = 0;
	const char *e = p + n;
	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

static int open_iconv(struct encoding_in *t)
{
	const char *from = t->enc == ENCODING_GB18030 ? "GB18030"
			 : t->enc == ENCODING_UTF16LE ? "UTF-16LE" : "UTF-16BE";
	t->cd = iconv_open("UTF-8", from);
	if (t->cd == (iconv_t)-1) {
		snprintf(t->err, sizeof t->err,
			 "cannot convert from %s: %s", from, strerror(errno));
		return -1;
	}
	return 0;
}

static int check_bom(struct encoding_in *t)
{
	const unsigned char *r;

	t->started = 1;
	if (fill_raw(t) < 0)
		return -1;
	r = (const unsigned char *)t->raw;
	if (t->raw_len >= 3 && r[0] == 0xEF && r[1] == 0xBB && r[2] == 0xBF) {
		t->raw_pos = 3;
		if (t->enc == ENCODING_AUTO)
			t->enc = ENCODING_UTF8;
	} else if (t->raw_len >= 2 && r[0] == 0xFF && r[1] == 0xFE &&
		   (t->enc == ENCODING_AUTO || t->enc == ENCODING_UTF16LE)) {
		t->raw_pos = 2;
		t->enc = ENCODING_UTF16LE;
	} else if (t->raw_len >= 2 && r[0] == 0xFE && r[1] == 0xFF &&
		   (t->enc == ENCODING_AUTO || t->enc == ENCODING_UTF16BE)) {
		t->raw_pos = 2;
		t->enc = ENCODING_UTF16BE;
	} else if (t->raw_len >= 4 && t->enc == ENCODING_GB18030 && r[0] == 0x84 &&
		   r[1] == 0x31 && r[2] == 0x95 && r[3] == 0x33) {
		t->raw_pos = 4; /* the GB18030 BOM */
	}
	if (t->enc == ENCODING_GB18030 || t->enc == ENCODING_UTF16LE || t->enc == ENCODING_UTF16BE)
		return open_iconv(t);
	return 0;
}

/* Convert the next piece of raw into t->conv; 1 some text, 0 end, -1 error. */
static int convert_more(struct encoding_in *t)
{
	for (;;) {
		char *in = t->raw + t->raw_pos;
		size_t inleft = t->raw_len - t->raw_pos;
		char *out = t->conv;
		size_t outleft = CONV_SIZE;
		size_t r;

		if (inleft == 0 && t->raw_eof)
			return 0;
		r = iconv(t->cd, &in, &inleft, &out, &outleft);
		t->raw_pos = (size_t)(in - t->raw);
		if (out > t->conv) {
			size_t got = (size_t)(out - t->conv);
			const char *nul = memchr(t->conv, '\0', got);
			if (nul) {
				t->err_line = t->line + count_lines(t->conv, (size_t)(nul - t->conv)) + 1;
				snprintf(t->err, sizeof t->err, "NUL byte in input");
				return -1;
			}
			t->line += count_lines(t->conv, got);
			t->conv_pos = 0;
			t->conv_len = got;
			return 1;
		}
		if (r == (size_t)-1 && errno == EILSEQ) {
			t->err_line = t->line + 1;
			snprintf(t->err, sizeof t->err,
				 "invalid %s byte sequence", encoding_name(t->enc));
			return -1;
		}
		/* EINVAL: an incomplete sequence at the end of raw: refill */
		if (t->raw_eof) {
			if (t->raw_pos < t->raw_len) {
				t->err_line = t->line + 1;
				snprintf(t->err, sizeof t->err,
					 "truncated %s sequence at end of input",
					 encoding_name(t->enc));
				return -1;
			}
			return 0;
		}
		if (fill_raw(t) < 0)
			return -1;
	}
}

/*
 * Converted text is handed out from t->conv, so that a caller may ask for
 * fewer bytes than the next character takes: a reader that wants 1 byte
 * gets the first byte of a 3-byte character, and the rest next time.
 */
static ssize_t read_converted(struct encoding_in *t, char *buf, size_t n)
{
	size_t k;

	if (!t->conv)
		t->conv = xmalloc(CONV_SIZE);
	if (t->conv_pos == t->conv_len) {
		int r = convert_more(t);
		if (r <= 0)
			return r;
	}
	k = t->conv_len - t->conv_pos;
	if (k > n)
		k = n;
	memcpy(buf, t->conv + t->conv_pos, k);
	t->conv_pos += k;
	return (ssize_t)k;
}

/* Whether any of the n bytes is not ASCII: eight at a time. */
static int has_high_byte(const char *p, size_t n)
{
	size_t i = 0;
	uint64_t w, any = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		any |= w;
	}
	for (; i < n; i++)
		any |= (unsigned char)p[i];
	return (any & 0x8080808080808080ULL) != 0;
}

/*
 * Check the UTF-8 at raw_pos: raw_ok becomes the length of the valid text
 * there.  1 when there is some, 0 at the end, -1 on error; a switch to
 * GB18030 (ENCODING_AUTO, nothing but ASCII so far) returns 2.
 */
static int check_utf8(struct encoding_in *t)
{
	for (;;) {
		size_t avail = t->raw_len - t->raw_pos, ok;
		const char *p;

		if (avail < 4 && !t->raw_eof) {
			if (fill_raw(t) < 0)
				return -1;
			avail = t->raw_len - t->raw_pos;
		}
		if (avail == 0)
			return 0;
		p = t->raw + t->raw_pos;
		/* a sequence cut by the end of raw is checked again after a
		 * refill: avail < 4 then, unless it is invalid anyway */
		ok = encoding_utf8_valid(p, avail);
		if (ok > 0) {
			const char *nul = memchr(p, '\0', ok);
			if (nul) {
				t->err_line = t->line + count_lines(p, (size_t)(nul - p)) + 1;
				snprintf(t->err, sizeof t->err, "NUL byte in input");
				return -1;
			}
			if (!t->saw_multibyte)
				t->saw_multibyte = has_high_byte(p, ok);
			t->raw_ok = ok;
			return 1;
		}
		if (!t->raw_eof && avail < 4)
			continue;
		if (t->enc == ENCODING_AUTO && !t->saw_multibyte) {
			t->enc = ENCODING_GB18030;
			return open_iconv(t) < 0 ? -1 : 2;
		}
		t->err_line = t->line + 1;
		snprintf(t->err, sizeof t->err, "invalid UTF-8 (byte 0x%02x)",
			 (unsigned char)*p);
		return -1;
	}
}

ssize_t encoding_read(struct encoding_in *t, char *buf, size_t n)
{
	size_t take;
	int r;

	if (!t->started && check_bom(t) < 0)
		return -1;
	if (t->enc != ENCODING_AUTO && t->enc != ENCODING_UTF8)
		return read_converted(t, buf, n);
	if (t->raw_ok == 0) {
		r = check_utf8(t);
		if (r == 2)
			return read_converted(t, buf, n);
		if (r <= 0)
			return r;
	}
	/* checked text is handed out in whatever pieces the caller asks
	 * for, a character cut between two calls included */
	take = t->raw_ok < n ? t->raw_ok : n;
	memcpy(buf, t->raw + t->raw_pos, take);
	t->raw_pos += take;
	t->raw_ok -= take;
	t->line += count_lines(buf, take);
	return (ssize_t)take;
}

const char *encoding_error(const struct encoding_in *t)
{
	return t->err[0] ? t->err : "read error";
}

int encoding_error_io(const struct encoding_in *t)
{
	return t->err_io || !t->err[0];
}

long encoding_error_line(const struct encoding_in *t)
{
	return t->err_line;
}

int encoding_close(struct encoding_in *t)
{
	int r;
	if (!t)
		return 0;
	r = zin_close(t->z);
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	free(t->raw);
	free(t->conv);
	free(t);
	return r;
}

int encoding_slurp(const char *path, struct buf *b, size_t max, int bad)
{
	struct encoding_in *t = encoding_open(path, ENCODING_AUTO);
	size_t start = b->len;
	char chunk[65536];
	ssize_t k;

	if (!t) {
		msg_err("cannot open '%s': %s", path, strerror(errno));
		return EXIT_NO_INPUT;
	}
	while ((k = encoding_read(t, chunk, sizeof chunk)) > 0) {
		buf_add(b, chunk, (size_t)k);
		if (max && b->len - start > max) {
			msg_err("%s: larger than %zu MiB", path, max >> 20);
			encoding_close(t);
			return bad;
		}
	}
	if (k < 0) {
		msg_errat(path, encoding_error_line(t), "%s", encoding_error(t));
		bad = encoding_error_io(t) ? EXIT_IO_ERR : bad;
	}
	encoding_close(t);
	return k < 0 ? bad : 0;
}
