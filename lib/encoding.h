/*
 * encoding.h - text input as UTF-8: BOM, UTF-8 validation, GB18030 via iconv.
 *
 * An encoding_in reads a file through zio (so gzip is transparent) and
 * hands out UTF-8 bytes with any byte-order mark removed, in whatever
 * pieces the caller asks for (a character may be split between two reads):
 *
 *   struct encoding_in *t = encoding_open(path, ENCODING_AUTO);  NULL: errno
 *   ssize_t n = encoding_read(t, buf, size);    0 at end, -1 on error
 *   encoding_error(t), encoding_error_line(t)   why, and the physical line
 *
 *   ENCODING_AUTO     UTF-8; a UTF-16 BOM selects UTF-16; when the bytes are
 *                     not valid UTF-8 and nothing but ASCII came before, the
 *                     rest is read as GB18030 (a superset of GBK and GB2312).
 *                     Invalid UTF-8 after valid multi-byte UTF-8 is an error.
 *   ENCODING_UTF8     invalid UTF-8 is an error
 *   ENCODING_GB18030  converted from GB18030; bytes that are not GB18030 are
 *                     an error
 * A NUL byte is an error in every encoding: text files have none.
 *
 * encoding_utf8_decode(s, n, &cp) returns the length of the one valid UTF-8
 * sequence at s and its code point (cp may be NULL), or 0 when the bytes
 * there are not valid UTF-8.  encoding_utf8_valid(s, n) returns the length
 * of the longest valid prefix (n when all of it is valid); it rejects
 * overlongs, surrogates and code points above U+10FFFF.
 * encoding_parse("gbk") -> ENCODING_GB18030, -1 when unknown.
 *
 * encoding_slurp(path, buf, max, bad): a whole small file (a template, a
 * shape file) appended to buf as UTF-8, any encoding as under
 * ENCODING_AUTO.  0; 66 when it cannot be opened; bad (the caller's exit
 * status: 65 for data, 78 for configuration) when it is not text or is
 * larger than max bytes (0: no bound); the message is said.
 */
#ifndef CITYOPS_ENCODING_H
#define CITYOPS_ENCODING_H

#include <sys/types.h>

enum encoding {
	ENCODING_AUTO, ENCODING_UTF8, ENCODING_GB18030, ENCODING_UTF16LE,
	ENCODING_UTF16BE,
};

struct encoding_in;
struct encoding_in *encoding_open(const char *path, enum encoding enc);
ssize_t encoding_read(struct encoding_in *t, char *buf, size_t n);
const char *encoding_error(const struct encoding_in *t);
long encoding_error_line(const struct encoding_in *t);
/* 1 when reading failed (an I/O error, 74), 0 when the bytes are bad (a
 * NUL, bad UTF-8, corrupt gzip: 65). */
int encoding_error_io(const struct encoding_in *t);
int encoding_close(struct encoding_in *t);
/* zin_progress() of the file under it */
void encoding_progress(const struct encoding_in *t, long long *done, long long *size);

size_t encoding_utf8_decode(const char *s, size_t n, uint32_t *cp);
size_t encoding_utf8_valid(const char *s, size_t n);
int encoding_parse(const char *s);
const char *encoding_name(enum encoding e);

struct buf;
int encoding_slurp(const char *path, struct buf *b, size_t max, int bad);

#endif
