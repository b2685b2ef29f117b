/* encoding: UTF-8 validation, BOM, GB18030 detection and conversion, NUL. */
#include "common.h"

#include <unistd.h>

#include "buf.h"
#include "encoding.h"
#include "tap.h"

static char tmpl[] = "/tmp/cityops-enc-XXXXXX";

static const char *write_tmp(const char *p, size_t n)
{
	static char path[64];
	int fd;
	snprintf(path, sizeof path, "%s", tmpl);
	fd = mkstemp(path);
	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		return NULL;
	close(fd);
	return path;
}

/* Read a file through textin; returns 0 and the text, or -1 and the error. */
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
	ok(read_all("a\nb\0c\n", 6, ENCODING_AUTO, &b, &line) < 0 && line == 2 &&
	   strstr(b.s, "NUL"), "a NUL byte is an error with its line");
	ok(read_all("\xFF\xFEi\0d\0\n\0", 8, ENCODING_AUTO, &b, &line) == 0 &&
	   strcmp(b.s, "id\n") == 0, "UTF-16LE with a BOM");
	ok(read_all("", 0, ENCODING_AUTO, &b, &line) == 0 && b.len == 0, "an empty file");
	is_int(encoding_parse("gbk"), ENCODING_GB18030, "gbk is GB18030");
	is_int(encoding_parse("UTF-8"), ENCODING_UTF8, "UTF-8");
	is_int(encoding_parse("latin1"), -1, "unknown encodings are refused");
	buf_free(&b);
	return tap_done();
}
