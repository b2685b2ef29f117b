/* encoding: UTF-8 validation, BOM, GB18030 detection and conversion, NUL. */
#include "common.h"

#include <iconv.h>
#include <unistd.h>

#include "buf.h"
#include "encoding.h"
#include "memsrc.h"
#include "tap.h"


/* Read a file through encoding_in; returns 0 and the text, or -1 and the error. */
static int read_all(const char *p, size_t n, enum encoding e, struct buf *out,
		    long *errline)
{
	const char *path = write_tmp(p, n);
	struct encoding_in *t = encoding_open(path, e);
	char chunk[7]; /* tiny reads cross sequence boundaries */
	ssize_t k;
	int rc = 0;

	buf_reset(out);
	while ((k = encoding_read(t, chunk, sizeof chunk)) > 0)
		buf_add(out, chunk, (size_t)k);
	if (k < 0) {
		buf_reset(out);
		buf_adds(out, encoding_error(t));
		*errline = encoding_error_line(t);
		rc = -1;
	}
	encoding_close(t);
	unlink(path);
	return rc;
}

/* Read path through encoding_in: the first read asks for first bytes, every
 * later one for step bytes; 0 when the text read is want. */
static int read_split(const char *path, enum encoding e, size_t first, size_t step,
		      const char *want)
{
	struct encoding_in *t = encoding_open(path, e);
	struct buf got = BUF_INIT;
	char chunk[4096];
	size_t ask = first;
	ssize_t k;
	int rc;

	while ((k = encoding_read(t, chunk, ask)) > 0) {
		buf_add(&got, chunk, (size_t)k);
		ask = step;
	}
	rc = k == 0 && strcmp(buf_str(&got), want) == 0 ? 0 : -1;
	if (rc < 0)
		printf("# split %zu then %zu: %s\n", first, step,
		       k < 0 ? encoding_error(t) : buf_str(&got));
	encoding_close(t);
	buf_free(&got);
	return rc;
}

/* UTF-8 text to another encoding, through iconv. */
static size_t to_enc(const char *to, const char *s, char *out, size_t cap)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	char *in = (char *)s, *o = out;
	size_t inleft = strlen(s), outleft = cap;

	if (cd == (iconv_t)-1 || iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1)
		return 0;
	iconv_close(cd);
	return cap - outleft;
}

/*
 * Every split point: 1-, 2-, 3- and 4-byte characters (in UTF-8; in
 * GB18030 1, 2 and 4 bytes), read with a first read of every length, then
 * 1, 2, 3 or 4096 bytes at a time.  A reader that asks for fewer bytes than
 * the next character takes must get its first bytes, not an error.
 */
static void split_points(void)
{
	static const char text[] = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\xe3\x90\x80,"
				   "\xe9\xb2\x81\xe5\xb1\xb1\n\xc3\xa9x\xf0\x9f\x98\x80\n";
	static const size_t steps[] = { 1, 2, 3, 4096 };
	char gb[256];
	size_t gbn = to_enc("GB18030", text, gb, sizeof gb);
	const struct { const char *name; const char *p; size_t n; enum encoding e; } in[] = {
		{ "UTF-8", text, sizeof text - 1, ENCODING_UTF8 },
		{ "UTF-8 (auto)", text, sizeof text - 1, ENCODING_AUTO },
		{ "GB18030", gb, gbn, ENCODING_GB18030 },
		{ "GB18030 (auto)", gb, gbn, ENCODING_AUTO },
	};

	ok(gbn > 0 && memcmp(gb, "a\xa8\xa6", 3) == 0, "GB18030 test text (%zu bytes)", gbn);
	for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
		char path[64];
		const char *tmp = write_tmp(in[i].p, in[i].n);
		int bad = 0;
		snprintf(path, sizeof path, "%s", tmp ? tmp : "");
		for (size_t first = 1; first <= sizeof text; first++)
			for (size_t s = 0; s < ARRAY_SIZE(steps); s++)
				bad += read_split(path, in[i].e, first, steps[s], text) < 0;
		ok(bad == 0, "%s: every split point reads the same text (%d wrong)",
		   in[i].name, bad);
		unlink(path);
	}
}

int main(void)
{
	struct buf b = BUF_INIT;
	long line = 0;
	/* in GB18030 */
	const char gb[] = "id,\xBD\xD6\xB5\xC0\n1,\xC2\xB3\xC9\xBD\xCF\xD8\n"; /* id,街道 / 1,鲁山县 */

	is_int(encoding_utf8_valid("abc", 3), 3, "ASCII is valid");
	is_int(encoding_utf8_valid("\xE9\xB2\x81", 3), 3, "a CJK character is valid");
	is_int(encoding_utf8_valid("a\xC0\xAF", 3), 1, "an overlong is not");
	is_int(encoding_utf8_valid("a\xED\xA0\x80", 4), 1, "a surrogate is not");
	is_int(encoding_utf8_valid("a\xF4\x90\x80\x80", 5), 1, "beyond U+10FFFF is not");
	is_int(encoding_utf8_valid("ab\xE9\xB2", 4), 2, "a cut sequence is not");
	is_int(encoding_utf8_valid("\xF0\x9F\x98\x80", 4), 4, "an emoji is");
	{
		/* every lead byte with every second and third byte: the
		 * validator (with its fast path for CJK) agrees with decode */
		int wrong = 0;
		for (int b1 = 0x80; b1 <= 0xFF; b1++)
			for (int b2 = 0; b2 <= 0xFF; b2++)
				for (int b3 = 0x70; b3 <= 0xC0; b3 += 0x10) {
					char t[3] = { (char)b1, (char)b2, (char)b3 };
					size_t d = encoding_utf8_decode(t, 3, NULL);
					size_t want = d == 3 ? 3 : 0;
					if (encoding_utf8_valid(t, 3) != want && !(d > 0 && d < 3))
						wrong++;
				}
		ok(wrong == 0, "3-byte sequences: valid exactly as decode says (%d wrong)", wrong);
	}

	ok(read_all("\xEF\xBB\xBFid\n1\n", 8, ENCODING_AUTO, &b, &line) == 0 &&
	   strcmp(b.s, "id\n1\n") == 0, "a UTF-8 BOM is dropped");
	ok(read_all(gb, sizeof gb - 1, ENCODING_AUTO, &b, &line) == 0 &&
	   strcmp(b.s, "id,街道\n1,鲁山县\n") == 0, "GB18030 is detected and converted");
	ok(read_all(gb, sizeof gb - 1, ENCODING_GB18030, &b, &line) == 0 &&
	   strcmp(b.s, "id,街道\n1,鲁山县\n") == 0, "GB18030 when asked for");
	ok(read_all(gb, sizeof gb - 1, ENCODING_UTF8, &b, &line) < 0 && line == 1,
	   "GB18030 read as UTF-8 is an error on line 1 (%s)", buf_str(&b));
	ok(read_all("a\n\xE9\xB2\x81\nb\xFF\n", 9, ENCODING_AUTO, &b, &line) < 0 &&
	   line == 3 && strstr(b.s, "invalid UTF-8"),
	   "invalid UTF-8 after UTF-8 is an error with its line (%s, %ld)", buf_str(&b), line);
	{
		/* a UTF-8 character at every offset of a run of ASCII: seen,
		 * so a bad byte after it is an error; without it, the bad
		 * byte is GB18030's (the scan for it goes 8 bytes at a time) */
		char t[64];
		int wrong = 0;
		for (size_t k = 0; k < 20; k++) {
			memset(t, 'a', sizeof t);
			memcpy(t + k, "\xC3\xA9", 2);
			memcpy(t + 40, "\n\xB2\xE2\n", 4); /* a GB18030 character */
			if (read_all(t, 44, ENCODING_AUTO, &b, &line) >= 0 || !strstr(b.s, "invalid UTF-8"))
				wrong++;
			memset(t + k, 'a', 2);
			if (read_all(t, 44, ENCODING_AUTO, &b, &line) < 0)
				wrong++;
		}
		ok(wrong == 0, "a UTF-8 character at any offset of ASCII decides (%d wrong)", wrong);
	}
	ok(read_all("a\nb\0c\n", 6, ENCODING_AUTO, &b, &line) < 0 && line == 2 &&
	   strstr(b.s, "NUL"), "a NUL byte is an error with its line");
	ok(read_all("\xFF\xFEi\0d\0\n\0", 8, ENCODING_AUTO, &b, &line) == 0 &&
	   strcmp(b.s, "id\n") == 0, "UTF-16LE with a BOM");
	ok(read_all("", 0, ENCODING_AUTO, &b, &line) == 0 && b.len == 0, "an empty file");
	split_points();
	is_int(encoding_parse("gbk"), ENCODING_GB18030, "gbk is GB18030");
	is_int(encoding_parse("UTF-8"), ENCODING_UTF8, "UTF-8");
	is_int(encoding_parse("latin1"), -1, "unknown encodings are refused");
	buf_free(&b);
	return tap_done();
}
