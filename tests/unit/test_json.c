/* json: JSONTestSuite conformance, streaming, errors, writing. */
#include "common.h"

#include <dirent.h>
#include <sys/types.h>

#include "buf.h"
#include "json.h"
#include "memsrc.h"
#include "tap.h"

/* Stream text; "line:compact-json;" per value, then "E<rec>@<off>:<msg>". */
static void stream(const char *text, enum json_stream_mode mode, size_t step,
		   struct buf *out)
{
	struct memsrc m = { text, strlen(text), 0, step };
	struct json_stream *s = json_stream_new(memsrc_read, &m, mode);
	struct json_arena *a = json_arena_new();
	struct json_value *v;
	int rc;

	buf_reset(out);
	while ((rc = json_stream_next(s, a, &v)) > 0) {
		buf_addf(out, "%ld:", json_stream_record_line(s));
		json_put_value(out, v);
		buf_addc(out, ';');
		json_arena_reset(a);
	}
	if (rc < 0) {
		const struct json_error *e = json_stream_error(s);
		buf_addf(out, "E%ld@%zu/%ld:%s", e->record, e->offset, e->line, e->msg);
	}
	json_arena_free(a);
	json_stream_free(s);
}

static void suite(void)
{
	const char *dir = "../shared/data/external/JSONTestSuite/test_parsing";
	DIR *d = opendir(dir);
	struct dirent *e;
	int y = 0, yok = 0, n = 0, nok = 0, i = 0;
	struct json_arena *a = json_arena_new();

	if (!d) {
		printf("# skip: ../shared/data/external/JSONTestSuite absent\n");
		json_arena_free(a);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char path[512];
		size_t len;
		char *text;
		struct json_value *v;
		struct json_error err;
		int rc, streamed_ok;

		if (e->d_name[0] != 'y' && e->d_name[0] != 'n' && e->d_name[0] != 'i')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		text = slurp(path, &len);
		if (!text)
			continue;
		rc = json_parse(text, len, a, &v, &err);
		json_arena_reset(a);
		/* the streaming reader must agree on whole documents too */
		{
			struct memsrc m = { text, len, 0, 3 };
			struct json_stream *s = json_stream_new(memsrc_read, &m, JSON_STREAM_AUTO);
			int r2, count = 0;
			while ((r2 = json_stream_next(s, a, &v)) > 0) {
				count++;
				json_arena_reset(a);
			}
			streamed_ok = r2 == 0;
			json_stream_free(s);
		}
		if (e->d_name[0] == 'y') {
			y++;
			if (rc == 0 && streamed_ok)
				yok++;
			else
				printf("# y file rejected: %s (%s)\n", e->d_name, err.msg);
		} else if (e->d_name[0] == 'n') {
			n++;
			if (rc < 0)
				nok++;
			else
				printf("# n file accepted: %s\n", e->d_name);
			/* a document the whole parser rejects may still be a
			 * stream of values (e.g. "[] []"); that is fine */
		}
		i++;
		free(text);
	}
	closedir(d);
	json_arena_free(a);
	ok(y > 0 && yok == y, "JSONTestSuite: all %d y_ files accepted (%d)", y, yok);
	ok(n > 0 && nok == n, "JSONTestSuite: all %d n_ files rejected (%d)", n, nok);
	ok(i > 300, "JSONTestSuite: %d files read, i_ files without a crash", i);
}

int main(void)
{
	struct json_arena *a = json_arena_new();
	struct json_value *v;
	struct json_error e;
	struct buf b = BUF_INIT;
	const char *doc = "{\"id\": \"A1\", \"n\": -12.5e3, \"ok\": true, \"s\": \"\\u9c81\\ud83d\\ude00\\n\\\"\", \"nest\": {\"k\": [1, null]}}";

	ok(json_parse(doc, strlen(doc), a, &v, &e) == 0 && v->type == JSON_OBJECT && v->n == 5,
	   "an object parses");
	is_str(json_get(v, "id")->str, "A1", "a string value");
	is_str(json_get(v, "n")->str, "-12.5e3", "a number keeps its text");
	ok(json_get(v, "ok")->type == JSON_TRUE, "true");
	is_str(json_get(v, "s")->str, "鲁\xF0\x9F\x98\x80\n\"", "escapes and a surrogate pair decode to UTF-8");
	ok(json_get(v, "missing") == NULL, "json_get of a missing key");
	buf_reset(&b);
	json_put_value(&b, json_get(v, "nest"));
	is_str(b.s, "{\"k\":[1,null]}", "json_put_value is compact");
	json_arena_reset(a);

	ok(json_parse("[1,]", 4, a, &v, &e) < 0 && strcmp(e.msg, "trailing comma") == 0 && e.offset == 3,
	   "a trailing comma, at its offset (%s @%zu)", e.msg, e.offset);
	ok(json_parse("\"\\ud800\"", 8, a, &v, &e) < 0 && strstr(e.msg, "lone surrogate"),
	   "a lone surrogate is an error");
	ok(json_parse("\"a\xff\"", 4, a, &v, &e) < 0 && strstr(e.msg, "invalid UTF-8"),
	   "invalid UTF-8 in a string");
	ok(json_parse("01", 2, a, &v, &e) < 0, "a leading zero");
	ok(json_parse("\"abc\\", 5, a, &v, &e) < 0 && strstr(e.msg, "unterminated"),
	   "a backslash at the very end is an unterminated string (%s)", e.msg);
	ok(json_parse("\"a\\n\\u4e2d\\ud83d\\ude00b\"", 24, a, &v, &e) == 0 &&
	   v->len == 10 && memcmp(v->str, "a\n中\xf0\x9f\x98\x80" "b", 10) == 0,
	   "escapes, with text before, between and after them");
	ok(json_parse("{\n\"a\":\n x}", 10, a, &v, &e) < 0 && e.line == 3,
	   "an error names its line (%ld)", e.line);
	{
		struct buf deep = BUF_INIT;
		for (int i = 0; i < 5000; i++)
			buf_addc(&deep, '[');
		ok(json_parse(deep.s, deep.len, a, &v, &e) < 0 &&
		   strcmp(e.msg, "nesting too deep") == 0, "deep nesting is refused, no stack overflow");
		buf_free(&deep);
	}
	json_arena_reset(a);

	stream("[{\"a\":1},\n {\"a\":2}]", JSON_STREAM_AUTO, 0, &b);
	is_str(b.s, "1:{\"a\":1};2:{\"a\":2};", "an array streams element by element, with lines");
	stream("[{\"a\":1},\n {\"a\":2}]", JSON_STREAM_AUTO, 1, &b);
	is_str(b.s, "1:{\"a\":1};2:{\"a\":2};", "the same, read a byte at a time");
	stream("[{\"a\":1}] x", JSON_STREAM_AUTO, 0, &b);
	is_str(b.s, "1:{\"a\":1};E2@10/1:garbage after the top-level value", "garbage after the array");
	stream("[{\"a\":1},]", JSON_STREAM_AUTO, 0, &b);
	is_str(b.s, "1:{\"a\":1};E2@9/1:trailing comma", "a trailing comma in the array");
	stream("[{\"a\":1}", JSON_STREAM_AUTO, 0, &b);
	ok(strstr(b.s, "missing") != NULL, "an unclosed array (%s)", b.s);
	stream("{\"a\":1}\n{\"a\":2}\n", JSON_STREAM_AUTO, 0, &b);
	is_str(b.s, "1:{\"a\":1};2:{\"a\":2};", "concatenated values");
	stream("{\"a\":1}\r\n\n{\"a\":2}\r\n", JSON_STREAM_LINES, 0, &b);
	is_str(b.s, "1:{\"a\":1};3:{\"a\":2};", "JSON Lines with CRLF and a blank line");
	stream("{\"a\":1}\n{\"a\":}\n", JSON_STREAM_LINES, 0, &b);
	is_str(b.s, "1:{\"a\":1};E2@13/2:unexpected character '}'", "a bad line: record, offset and line");
	stream("\xEF\xBB\xBF[]", JSON_STREAM_AUTO, 0, &b);
	is_str(buf_str(&b), "", "a BOM and an empty array");
	stream("[1 2]", JSON_STREAM_AUTO, 0, &b);
	ok(strstr(b.s, "expected ',' or ']'") != NULL, "a missing comma (%s)", b.s);

	buf_reset(&b);
	json_put_string(&b, "a\"b\\c\n\x01鲁\xff", strlen("a\"b\\c\n\x01鲁\xff"));
	is_str(b.s, "\"a\\\"b\\\\c\\n\\u0001鲁\xEF\xBF\xBD\"", "json_put_string escapes, keeps UTF-8, replaces bad bytes");
	{
		/* quotes between characters, and a character cut at the end:
		 * each byte looked at once (this took 56 s for 640 KB when
		 * each character checked the rest of the value) */
		struct buf in = BUF_INIT, want = BUF_INIT;
		buf_addc(&want, '"');
		for (int i = 0; i < 1000; i++) {
			buf_adds(&in, "城\"");
			buf_adds(&want, "城\\\"");
		}
		buf_add(&in, "\xe5\x9f", 2);
		buf_adds(&want, "\xEF\xBF\xBD\xEF\xBF\xBD\"");
		buf_reset(&b);
		json_put_string(&b, in.s, in.len);
		is_str(b.s, want.s, "json_put_string: quotes between characters, a cut one at the end");
		buf_free(&in);
		buf_free(&want);
	}
	buf_reset(&b);
	json_put_number(&b, "97.4", 4);
	buf_addc(&b, ' ');
	json_put_number(&b, "0123", 4);
	buf_addc(&b, ' ');
	json_put_number(&b, "1e5", 3);
	is_str(b.s, "97.4 \"0123\" 1e5", "json_put_number quotes what is not a number");
	{
		static const struct { const char *s; size_t len; } nums[] = {
			{ "0", 1 }, { "-0.5", 4 }, { "1.5e+3", 6 }, { "12abc", 2 }, { "2E-7,", 4 },
			{ "0123", 0 }, { "-", 0 }, { "1.", 0 }, { "1e", 0 }, { ".5", 0 },
			{ "+1", 0 }, { "", 0 },
		};
		int good = 1;
		for (size_t i = 0; i < ARRAY_SIZE(nums); i++)
			if (json_number_len(nums[i].s, strlen(nums[i].s)) != nums[i].len) {
				good = 0;
				printf("# '%s': %zu\n", nums[i].s, json_number_len(nums[i].s, strlen(nums[i].s)));
			}
		ok(good, "json_number_len: RFC 8259's numbers, and where they end");
	}
	suite();
	buf_free(&b);
	json_arena_free(a);
	return tap_done();
}
