/*
 * json.h - JSON reading (RFC 8259, strict) and writing.
 *
 * Reading builds a small tree in an arena that the caller resets between
 * records.  The parser accepts every y_ file of JSONTestSuite and rejects every
 * n_ file: no trailing commas, no comments, no leading zeros, no lone
 * surrogates decoded into invalid UTF-8 (a lone surrogate escape is an error),
 * strings must be valid UTF-8, control characters in strings are errors,
 * nesting deeper than JSON_MAX_DEPTH is an error.
 *
 * Whole document:
 *   struct json_arena *a = json_arena_new();
 *   struct json_value *v;
 *   struct json_error e;
 *   if (json_parse(text, len, a, &v, &e) < 0)
 *           msg_err("byte %zu: %s", e.offset, e.msg);
 *   json_arena_reset(a);  json_arena_free(a);
 *
 * Streaming (records of case-import): a stream reads through a callback and
 * yields one value at a time, so memory is bounded by the largest record:
 *   JSON_STREAM_AUTO   a top-level array yields each element; any other
 *                      top-level value yields itself, then further values
 *                      separated by whitespace (JSON Lines / concatenated)
 *   JSON_STREAM_LINES  one value per line (JSONL); blank lines skipped
 *   struct json_stream *s = json_stream_new(readfn, ctx, JSON_STREAM_AUTO);
 *   while ((r = json_stream_next(s, a, &v)) > 0) { ...; json_arena_reset(a); }
 *   r == 0 at a clean end, r < 0 on error: json_stream_error(s) gives the
 *   message, byte offset, line and record number (1-based).
 *   json_stream_record_line(s): the line where the last value started.
 *   json_stream_empty(s): after r == 0, the input held no value at all
 *   (nothing, blanks, a BOM): not a JSON document, though fine as JSON
 *   Lines.
 *
 * Writing: json_put_string() appends a quoted, escaped string to a buf (bytes
 * that are not valid UTF-8 are written as U+FFFD so that the output is always
 * valid JSON); json_put_number() appends a number text as is when it is a
 * valid JSON number, else as a string.
 */
#ifndef CITYOPS_JSON_H
#define CITYOPS_JSON_H

#include <sys/types.h>

#include "buf.h"

#define JSON_MAX_DEPTH 1024

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_value {
	enum json_type type;
	const char *str;  /* NUMBER: its text; STRING: decoded UTF-8 (NUL-terminated, may hold NUL) */
	size_t len;       /* length of str */
	size_t n;         /* ARRAY/OBJECT: number of children */
	struct json_value **items;  /* ARRAY/OBJECT: children */
	const char **keys;          /* OBJECT: keys (decoded UTF-8) */
	size_t *keylens;            /* OBJECT: key lengths */
};

struct json_error {
	char msg[128];
	size_t offset;   /* byte offset from the start of the input */
	long line;       /* 1-based */
	long record;     /* streaming: 1-based number of the value being read */
};

struct json_arena;
struct json_arena *json_arena_new(void);
void json_arena_reset(struct json_arena *a);
void json_arena_free(struct json_arena *a);

int json_parse(const char *text, size_t len, struct json_arena *a,
	       struct json_value **out, struct json_error *err);

enum json_stream_mode { JSON_STREAM_AUTO, JSON_STREAM_LINES };
/* readfn returns bytes read, 0 at end, -1 on error */
typedef ssize_t (*json_read_fn)(void *ctx, char *buf, size_t n);
struct json_stream;
struct json_stream *json_stream_new(json_read_fn readfn, void *ctx,
				    enum json_stream_mode mode);
int json_stream_next(struct json_stream *s, struct json_arena *a,
		     struct json_value **out);
const struct json_error *json_stream_error(const struct json_stream *s);
long json_stream_record_line(const struct json_stream *s);
int json_stream_empty(const struct json_stream *s);
void json_stream_free(struct json_stream *s);

/* Look up a key in an object; NULL when absent. */
struct json_value *json_get(const struct json_value *obj, const char *key);

void json_put_string(struct buf *b, const char *s, size_t n);
void json_put_number(struct buf *b, const char *s, size_t n);
/* The length of the JSON number s begins with (RFC 8259's grammar: no
 * leading zero, no '+', no bare '.'), 0 when it begins with none. */
size_t json_number_len(const char *s, size_t n);
/* Serialise a value compactly (used to keep nested values as text). */
void json_put_value(struct buf *b, const struct json_value *v);

#endif
