/*
 * encoding.h - text input as UTF-8: BOM, UTF-8 validation, GB18030 via iconv.
 *
 * A textin reads a file through zio (so gzip is transparent) and hands out
 * UTF-8 bytes with any byte-order mark removed:
 *
 *   struct textin *t = textin_open(path, ENC_AUTO);      NULL: errno set
 *   ssize_t n = textin_read(t, buf, size);  0 at end, -1 on error
 *   textin_error(t), textin_error_line(t)   why, and the physical line
 *
 *   ENC_AUTO     UTF-8; a UTF-16 BOM selects UTF-16; when the bytes are not
 *                valid UTF-8 and nothing but ASCII came before, the rest is
 *                read as GB18030 (a superset of GBK and GB2312).  Invalid
 *                UTF-8 after valid multi-byte UTF-8 is an error.
 *   ENC_UTF8     invalid UTF-8 is an error
 *   ENC_GB18030  converted from GB18030; bytes that are not GB18030 are an
 *                error
 * A NUL byte is an error in every encoding: text files have none.
 *
 * utf8_decode(s, n, &cp) returns the length of the one valid UTF-8 sequence
 * at s and its code point (cp may be NULL), or 0 when the bytes there are
 * not valid UTF-8.
 * utf8_valid(s, n) returns the length of the longest valid prefix
 * (n when all of it is valid); it rejects overlongs, surrogates and code
 * points above U+10FFFF.  enc_parse("gbk") -> ENC_GB18030, -1 when unknown.
 */
#ifndef CITYOPS_ENCODING_H
#define CITYOPS_ENCODING_H

#include <sys/types.h>

enum enc { ENC_AUTO, ENC_UTF8, ENC_GB18030, ENC_UTF16LE, ENC_UTF16BE };

struct textin;
struct textin *textin_open(const char *path, enum enc enc);
ssize_t textin_read(struct textin *t, char *buf, size_t n);
const char *textin_error(const struct textin *t);
long textin_error_line(const struct textin *t);
const char *textin_name(const struct textin *t);
enum enc textin_encoding(const struct textin *t);
int textin_close(struct textin *t);

size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
size_t utf8_valid(const char *s, size_t n);
int enc_parse(const char *s);
const char *enc_name(enum enc e);

#endif
