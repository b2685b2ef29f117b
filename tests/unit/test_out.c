#include "common.h"

#include <locale.h>
#include <math.h>
#include <unistd.h>

#include "buf.h"
#include "memsrc.h"
#include "out.h"
#include "tap.h"
#include "width.h"
#include "zio.h"

static char *tmp_path(void)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	size_t n;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	n = strlen(dir) + sizeof "/test_out.XXXXXX";
	path = xmalloc(n);
	snprintf(path, n, "%s/test_out.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	close(fd);
	return path;
}

/*
 * Write nrows rows of cells (ncols each, row-major) through a zout on a
 * temporary file and return what the file holds.  *rc: out_finish's result.
 */
static char *render(enum out_format f, int flags, const struct out_col *cols,
		    size_t ncols, const char *const *cells, size_t nrows,
		    int *rc)
{
	char *path = tmp_path(), *s;
	struct zout *z = zout_open(path, 0);
	struct out *o;
	size_t r;
	int r1, r2;

	if (!z) {
		perror(path);
		exit(1);
	}
	o = out_new(z, f, cols, ncols, flags);
	for (r = 0; r < nrows; r++)
		out_row(o, cells + r * ncols, NULL);
	r1 = out_finish(o);
	out_free(o);
	r2 = zout_close(z);
	if (rc)
		*rc = r1 < 0 || r2 < 0 ? -1 : 0;
	s = slurp(path, NULL);
	unlink(path);
	free(path);
	return s;
}

static const struct out_col cols4[] = {
	{ "id", OUT_STR, NULL },
	{ "district", OUT_STR, NULL },
	{ "rows", OUT_NUM, NULL },
	{ "note", OUT_STR, NULL },
};

static const char *const rows4[] = {
	"C001", "鲁山县", "97.4", "含,逗号",
	"C002", "宝丰", "1e5", "say \"hi\"",
	"C003", NULL, "0123", "line1\nline2",
	"C004", "", NULL, " lead",
};

static void check(enum out_format f, int flags, const char *want,
		  const char *name)
{
	int rc;
	char *got = render(f, flags, cols4, 4, rows4, 4, &rc);
	is_str(got, want, "%s", name);
	is_int(rc, 0, "%s: out_finish ok", name);
	free(got);
}

static void test_formats(void)
{
	check(OUT_CSV, 0,
	      "id,district,rows,note\n"
	      "C001,鲁山县,97.4,\"含,逗号\"\n"
	      "C002,宝丰,1e5,\"say \"\"hi\"\"\"\n"
	      "C003,,0123,\"line1\nline2\"\n"
	      "C004,,,\" lead\"\n",
	      "csv");
	check(OUT_TSV, 0,
	      "id\tdistrict\trows\tnote\n"
	      "C001\t鲁山县\t97.4\t含,逗号\n"
	      "C002\t宝丰\t1e5\tsay \"hi\"\n"
	      "C003\t\t0123\tline1\\nline2\n"
	      "C004\t\t\t lead\n",
	      "tsv");
	check(OUT_JSON, 0,
	      "[\n"
	      "{\"id\":\"C001\",\"district\":\"鲁山县\",\"rows\":97.4,"
	      "\"note\":\"含,逗号\"},\n"
	      "{\"id\":\"C002\",\"district\":\"宝丰\",\"rows\":1e5,"
	      "\"note\":\"say \\\"hi\\\"\"},\n"
	      "{\"id\":\"C003\",\"district\":null,\"rows\":\"0123\","
	      "\"note\":\"line1\\nline2\"},\n"
	      "{\"id\":\"C004\",\"district\":\"\",\"rows\":null,"
	      "\"note\":\" lead\"}\n"
	      "]\n",
	      "json");
	check(OUT_JSONL, 0,
	      "{\"id\":\"C001\",\"district\":\"鲁山县\",\"rows\":97.4,"
	      "\"note\":\"含,逗号\"}\n"
	      "{\"id\":\"C002\",\"district\":\"宝丰\",\"rows\":1e5,"
	      "\"note\":\"say \\\"hi\\\"\"}\n"
	      "{\"id\":\"C003\",\"district\":null,\"rows\":\"0123\","
	      "\"note\":\"line1\\nline2\"}\n"
	      "{\"id\":\"C004\",\"district\":\"\",\"rows\":null,"
	      "\"note\":\" lead\"}\n",
	      "jsonl");
	check(OUT_TABLE, 0,
	      "id    district  rows  note\n"
	      "----  --------  ----  -----------\n"
	      "C001  鲁山县    97.4  含,逗号\n"
	      "C002  宝丰       1e5  say \"hi\"\n"
	      "C003            0123  line1 line2\n"
	      "C004                   lead\n",
	      "table");
	check(OUT_MD, 0,
	      "| id | district | rows | note |\n"
	      "| --- | --- | ---: | --- |\n"
	      "| C001 | 鲁山县 | 97.4 | 含,逗号 |\n"
	      "| C002 | 宝丰 | 1e5 | say \"hi\" |\n"
	      "| C003 |  | 0123 | line1<br>line2 |\n"
	      "| C004 |  |  |  lead |\n",
	      "md");
}

static const struct out_col col1[] = { { "v", OUT_STR, NULL } };
static const struct out_col num1[] = { { "n", OUT_NUM, NULL } };

static void test_one(enum out_format f, int flags, const struct out_col *col,
		     const char *v, const char *want, const char *name)
{
	const char *cells[1] = { v };
	char *got = render(f, flags, col, 1, cells, 1, NULL);
	is_str(got, want, "%s", name);
	free(got);
}

static void test_zero_rows(void)
{
	static const struct { enum out_format f; const char *want; } t[] = {
		{ OUT_CSV, "v\n" },
		{ OUT_TSV, "v\n" },
		{ OUT_JSON, "[]\n" },
		{ OUT_JSONL, "" },
		{ OUT_TABLE, "v\n-\n" },
		{ OUT_MD, "| v |\n| --- |\n" },
	};
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char *got = render(t[i].f, 0, col1, 1, NULL, 0, &rc);
		is_str(got, t[i].want, "zero rows: %s", out_format_name(t[i].f));
		is_int(rc, 0, "zero rows: %s: ok", out_format_name(t[i].f));
		free(got);
	}
}

static void test_flags(void)
{
	test_one(OUT_CSV, OUT_F_BOM, col1, "1", "\xEF\xBB\xBFv\n1\n", "csv bom");
	test_one(OUT_TSV, OUT_F_BOM, col1, "1", "\xEF\xBB\xBFv\n1\n", "tsv bom");
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, "1", "1\n", "csv noheader");
	test_one(OUT_TSV, OUT_F_NOHEADER, col1, "1", "1\n", "tsv noheader");
	test_one(OUT_CSV, OUT_F_BOM | OUT_F_NOHEADER, col1, "1",
		 "\xEF\xBB\xBF" "1\n", "csv bom noheader");
	test_one(OUT_JSONL, OUT_F_BOM | OUT_F_NOHEADER, col1, "1",
		 "{\"v\":\"1\"}\n", "jsonl ignores bom and noheader");
}

static void test_csv_tsv(void)
{
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, "a b", "a b\n", "csv inner space");
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, "a ", "\"a \"\n",
		 "csv trailing space");
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, "a\rb", "\"a\rb\"\n", "csv CR");
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, "\"", "\"\"\"\"\n",
		 "csv lone quote");
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, "", "\n", "csv empty");
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, NULL, "\n", "csv null");
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, "城管,执法", "\"城管,执法\"\n",
		 "csv chinese comma");
	test_one(OUT_CSV, OUT_F_NOHEADER, col1, "城管，执法", "城管，执法\n",
		 "csv fullwidth comma needs no quotes");
	test_one(OUT_TSV, OUT_F_NOHEADER, col1, "a\tb\\c\rd", "a\\tb\\\\c\\rd\n",
		 "tsv escapes");

	{
		static const struct out_col c[] = { { "a,b", OUT_STR, NULL },
						    { "x\ty", OUT_STR, NULL } };
		const char *v[] = { "1", "2" };
		char *got = render(OUT_CSV, 0, c, 2, v, 1, NULL);
		is_str(got, "\"a,b\",x\ty\n1,2\n", "csv header quoted");
		free(got);
		got = render(OUT_TSV, 0, c, 2, v, 1, NULL);
		is_str(got, "a,b\tx\\ty\n1\t2\n", "tsv header escaped");
		free(got);
	}
}

static void test_json_values(void)
{
	static const struct { const char *v, *want; } nums[] = {
		{ "97.4", "{\"n\":97.4}\n" },
		{ "1e5", "{\"n\":1e5}\n" },
		{ "-0.5E-3", "{\"n\":-0.5E-3}\n" },
		{ "0", "{\"n\":0}\n" },
		{ "-12", "{\"n\":-12}\n" },
		{ "0123", "{\"n\":\"0123\"}\n" },
		{ "", "{\"n\":\"\"}\n" },
		{ "1.", "{\"n\":\"1.\"}\n" },
		{ ".5", "{\"n\":\".5\"}\n" },
		{ "+1", "{\"n\":\"+1\"}\n" },
		{ "-", "{\"n\":\"-\"}\n" },
		{ "1e", "{\"n\":\"1e\"}\n" },
		{ "NaN", "{\"n\":\"NaN\"}\n" },
		{ "12 ", "{\"n\":\"12 \"}\n" },
		{ NULL, "{\"n\":null}\n" },
	};
	size_t i;

	char name[64];

	for (i = 0; i < ARRAY_SIZE(nums); i++) {
		snprintf(name, sizeof name, "json number '%s'",
			 nums[i].v ? nums[i].v : "NULL");
		test_one(OUT_JSONL, 0, num1, nums[i].v, nums[i].want, name);
	}
	test_one(OUT_JSONL, 0, col1, "12", "{\"v\":\"12\"}\n",
		 "json string column never bare");
	test_one(OUT_JSONL, 0, col1, "a\x01\t\\/\x7f", "{\"v\":\"a\\u0001\\t\\\\/\x7f\"}\n",
		 "json control escapes");
	test_one(OUT_JSONL, 0, col1, "a\xff" "b\xe4\xb8", "{\"v\":\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD\"}\n",
		 "json invalid utf-8 -> U+FFFD");
	test_one(OUT_JSONL, 0, col1, "城管😀", "{\"v\":\"城管😀\"}\n",
		 "json utf-8 kept");
	{
		static const struct out_col c[] = { { "名\"称", OUT_STR, NULL } };
		const char *v[] = { "x" };
		char *got = render(OUT_JSON, 0, c, 1, v, 1, NULL);
		is_str(got, "[\n{\"名\\\"称\":\"x\"}\n]\n", "json key escaped");
		free(got);
	}
}

static void test_table(void)
{
	static const struct out_col c[] = { { "state", OUT_STR, NULL },
					    { "n", OUT_NUM, NULL } };
	static const char *const v[] = { "已结案", "12", "处置中", "3",
					 "合计", "15" };
	char *got;

	got = render(OUT_TABLE, OUT_F_TOTAL, c, 2, v, 3, NULL);
	is_str(got,
	       "state    n\n"
	       "------  --\n"
	       "已结案  12\n"
	       "处置中   3\n"
	       "------  --\n"
	       "合计    15\n",
	       "table total rule");
	free(got);
	got = render(OUT_TABLE, 0, c, 2, v, 3, NULL);
	is_str(got,
	       "state    n\n"
	       "------  --\n"
	       "已结案  12\n"
	       "处置中   3\n"
	       "合计    15\n",
	       "table without total");
	free(got);
	got = render(OUT_TABLE, OUT_F_TOTAL, c, 2, v + 4, 1, NULL);
	is_str(got, "state   n\n-----  --\n-----  --\n合计   15\n",
	       "table total only");
	free(got);
	got = render(OUT_MD, OUT_F_TOTAL, c, 2, v, 3, NULL);
	is_str(got,
	       "| state | n |\n| --- | ---: |\n| 已结案 | 12 |\n"
	       "| 处置中 | 3 |\n| 合计 | 15 |\n",
	       "md total row plain");
	free(got);

	{
		static const struct out_col d[] = { { "id", OUT_STR, NULL },
						    { "state", OUT_STR, NULL } };
		static const char *const w[] = { "1234", "ok", "5", NULL };
		got = render(OUT_TABLE, 0, d, 2, w, 2, NULL);
		is_str(got, "id    state\n----  -----\n1234  ok\n5\n",
		       "table: no trailing spaces");
		free(got);
	}
	{
		static const struct out_col d[] = { { "名称", OUT_STR, NULL },
						    { "数量", OUT_NUM, NULL } };
		static const char *const w[] = { "ＡＢ", "7", "e\xcc\x81", "100" };
		got = render(OUT_TABLE, 0, d, 2, w, 2, NULL);
		is_str(got,
		       "名称  数量\n"
		       "----  ----\n"
		       "ＡＢ     7\n"
		       "e\xcc\x81      100\n",
		       "table: CJK header, fullwidth, combining mark");
		free(got);
	}
	test_one(OUT_TABLE, 0, col1, "a\tb\r\nc\x7f" "d\xc2\x85" "e",
		 "v\n----------\na b  c d e\n", "table: controls become spaces");
}

static void test_md(void)
{
	test_one(OUT_MD, 0, col1, "a|b", "| v |\n| --- |\n| a\\|b |\n",
		 "md pipe escaped");
	test_one(OUT_MD, 0, col1, "a\r\nb\rc\nd\te",
		 "| v |\n| --- |\n| a<br>b<br>c<br>d e |\n", "md newlines");
	{
		static const struct out_col c[] = { { "a|b", OUT_NUM, NULL } };
		const char *v[] = { "1" };
		char *got = render(OUT_MD, 0, c, 1, v, 1, NULL);
		is_str(got, "| a\\|b |\n| ---: |\n| 1 |\n", "md header escaped");
		free(got);
	}
}

static void test_lens(void)
{
	char *path = tmp_path(), *got;
	struct zout *z = zout_open(path, 0);
	struct out *o = out_new(z, OUT_CSV, cols4, 2, OUT_F_NOHEADER);
	const char *v[] = { "abcdef", "x\0y" };
	const size_t lens[] = { 3, 3 };

	is_int(out_row(o, v, lens), 0, "lens: out_row");
	is_int(out_finish(o), 0, "lens: out_finish");
	is_int(out_row(o, v, lens), -1, "out_row after out_finish fails");
	out_free(o);
	is_int(zout_close(z), 0, "lens: zout_close");
	got = slurp(path, NULL);
	ok(got && memcmp(got, "abc,x\0y\n", 8) == 0, "lens: bytes taken as given");
	free(got);
	unlink(path);
	free(path);
}

static void test_gzip(void)
{
	char *path = tmp_path(), buf[256];
	struct zout *z = zout_open(path, 1);
	struct out *o = out_new(z, OUT_CSV, cols4, 4, 0);
	struct zin *in;
	ssize_t n;
	size_t r;

	for (r = 0; r < 4; r++)
		out_row(o, rows4 + r * 4, NULL);
	is_int(out_finish(o), 0, "gzip: out_finish");
	out_free(o);
	is_int(zout_close(z), 0, "gzip: zout_close");
	in = zin_open(path);
	ok(in != NULL, "gzip: reopen");
	n = in ? zin_read(in, buf, sizeof buf - 1) : -1;
	buf[n > 0 ? n : 0] = '\0';
	ok(in && zin_is_gzip(in), "gzip: file is gzip");
	is_str(buf,
	       "id,district,rows,note\n"
	       "C001,鲁山县,97.4,\"含,逗号\"\n"
	       "C002,宝丰,1e5,\"say \"\"hi\"\"\"\n"
	       "C003,,0123,\"line1\nline2\"\n"
	       "C004,,,\" lead\"\n",
	       "gzip: read back");
	zin_close(in);
	unlink(path);
	free(path);
}

static void test_dev_full(void)
{
	static const enum out_format fmts[] = { OUT_CSV, OUT_JSON, OUT_TABLE,
						OUT_MD };
	size_t i, r;
	struct zout *z;
	struct out *o;
	int rc, failed_early;

	if (access("/dev/full", W_OK) != 0) {
		ok(1, "# SKIP no /dev/full");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		z = zout_open("/dev/full", 0);
		o = out_new(z, fmts[i], cols4, 4, 0);
		for (r = 0; r < 4; r++)
			out_row(o, rows4 + r * 4, NULL);
		rc = out_finish(o);
		is_int(rc, -1, "/dev/full: %s: out_finish fails",
		       out_format_name(fmts[i]));
		out_free(o);
		is_int(zout_close(z), -1, "/dev/full: %s: zout_close fails",
		       out_format_name(fmts[i]));
	}

	/* Streaming: out_row itself reports the failure once stdio flushes. */
	z = zout_open("/dev/full", 0);
	o = out_new(z, OUT_CSV, cols4, 4, 0);
	failed_early = 0;
	for (r = 0; r < 100000 && !failed_early; r++)
		failed_early = out_row(o, rows4, NULL) < 0;
	ok(failed_early, "/dev/full: csv out_row fails while streaming");
	is_int(out_finish(o), -1, "/dev/full: csv out_finish after failure");
	out_free(o);
	zout_close(z);
}

static void test_streaming(void)
{
	char *path = tmp_path(), *got;
	struct zout *z = zout_open(path, 0);
	struct out *o = out_new(z, OUT_CSV, cols4, 4, OUT_F_NOHEADER);
	size_t r, len = 0, want;

	for (r = 0; r < 20000; r++)
		out_row(o, rows4, NULL);
	is_int(out_finish(o), 0, "stream: out_finish");
	out_free(o);
	zout_close(z);
	got = slurp(path, &len);
	want = strlen("C001,鲁山县,97.4,\"含,逗号\"\n");
	is_int(len, want * 20000, "stream: 20000 rows written");
	free(got);
	unlink(path);
	free(path);
}

static void test_width(void)
{
	static const struct { const char *s; size_t w; const char *name; } t[] = {
		{ "", 0, "empty" },
		{ "abc 123", 7, "ascii" },
		{ "鲁山县", 6, "CJK" },
		{ "平顶山市city", 12, "CJK and ascii" },
		{ "ＡＢ１", 6, "fullwidth forms" },
		{ "（）、。「」", 12, "CJK punctuation" },
		{ "\xe3\x80\x80", 2, "ideographic space" },
		{ "ｱｲ", 2, "halfwidth katakana" },
		{ "한국", 4, "Hangul" },
		{ "\xe1\x84\x80\xe1\x85\xa1", 2, "Hangul jamo L+V" },
		{ "e\xcc\x81", 1, "combining acute" },
		{ "\xe2\x80\x8b\xe2\x80\x8d\xe2\x80\x8f", 0, "zero-width chars" },
		{ "\xef\xbb\xbf", 0, "BOM" },
		{ "😀", 2, "emoji" },
		{ "🚒", 2, "emoji fire engine" },
		{ "\xe2\x9c\x85", 2, "emoji check mark U+2705" },
		{ "\xe2\x9d\xa4\xef\xb8\x8f", 1, "U+2764 + VS16" },
		{ "a\tb\x7f", 2, "C0 and DEL" },
		{ "\xc2\x85", 0, "C1 control" },
		{ "\xff\xfe", 2, "invalid bytes" },
		{ "\xe4\xb8", 2, "truncated sequence" },
		{ "\xc0\xaf", 2, "overlong" },
		{ "\xed\xa0\x80", 3, "surrogate" },
		{ "\xf4\x90\x80\x80", 4, "beyond U+10FFFF" },
		{ "\xf0\xa0\x80\x80", 2, "CJK extension B" },
		{ "é", 1, "precomposed latin" },
		{ "αβ", 2, "greek (ambiguous is 1)" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		is_int(width_of(t[i].s, strlen(t[i].s)), t[i].w, "width: %s",
		       t[i].name);
	is_int(width_of("鲁山县", 3), 2, "width: n bytes only");
	is_int(out_display_width("鲁山县", strlen("鲁山县")), 6,
	       "out_display_width");
}

static void test_names(void)
{
	static const char *const names[] = { "csv", "tsv", "json", "jsonl",
					     "table", "md" };
	size_t i;
	int fds[2];

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		is_int(out_format_parse(names[i]), (int)i, "parse %s", names[i]);
		is_str(out_format_name((enum out_format)i), names[i], "name %s",
		       names[i]);
	}
	is_int(out_format_parse("xml"), -1, "parse unknown");
	is_int(out_format_parse("CSV"), -1, "parse is exact");
	is_int(out_format_parse(NULL), -1, "parse NULL");
	if (pipe(fds) == 0) {
		is_int(out_default_format(fds[1]), OUT_CSV, "default on a pipe");
		close(fds[0]);
		close(fds[1]);
	}
}

static void test_double(void)
{
	static const struct { double v; const char *want; } t[] = {
		{ 99.85, "99.85" },
		{ 0.1 + 0.2, "0.30000000000000004" },
		{ 1.0 / 3, "0.3333333333333333" },
		{ 2.0 / 3, "0.6666666666666666" },
		{ 0.9633, "0.9633" },
		{ 100, "100" },
		{ 624, "624" },
		{ -3.5, "-3.5" },
		{ -0.0, "0" },
		{ 0.0001, "0.0001" },
		{ 123456789012345.6, "123456789012345.6" },
		{ 1e21, "1e+21" },
		{ 5e-324, "4.94065645841247e-324" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" },
	};
	char buf[OUT_DOUBLE_LEN];
	const char *loc;

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		size_t n = out_double(t[i].v, buf);
		if (!ok(strcmp(buf, t[i].want) == 0, "out_double %s", t[i].want))
			printf("#   got: '%s'\n", buf);
		is_int(n, strlen(t[i].want), "out_double %s: length", t[i].want);
		ok(strtod(buf, NULL) == t[i].v, "out_double %s: reads back", t[i].want);
	}
	is_int(out_double(NAN, buf), 0, "out_double NaN: nothing");
	ok(buf[0] == '\0', "out_double NaN: empty");
	is_int(out_double(-INFINITY, buf), 0, "out_double -inf: nothing");
	/* a decimal-comma locale, where one is installed */
	loc = setlocale(LC_NUMERIC, "de_DE.UTF-8");
	if (!loc)
		loc = setlocale(LC_NUMERIC, "de_DE.utf8");
	if (loc && strcmp(localeconv()->decimal_point, ",") == 0) {
		out_double(99.85, buf);
		is_str(buf, "99.85", "out_double under de_DE: a point");
		out_double(0.1 + 0.2, buf);
		is_str(buf, "0.30000000000000004", "out_double under de_DE: round trip");
	} else {
		ok(1, "out_double under de_DE # skip no de_DE.UTF-8 locale");
	}
	setlocale(LC_NUMERIC, "C");
	{
		static const struct out_col c[] = { { "v", OUT_NUM, NULL } };
		static const char *const v[] = { "99.85", "1.50", "-0.0", "1e5" };
		char *got = render(OUT_JSONL, 0, c, 1, v, 4, NULL);
		is_str(got, "{\"v\":99.85}\n{\"v\":1.50}\n{\"v\":-0.0}\n{\"v\":1e5}\n",
		       "json: number texts pass through unchanged");
		free(got);
	}
}

/* ---- xlsx: read back by an independent reader (tests/xlsx-cells.py) ---- */

static int have_python(void)
{
	static int have = -1;
	if (have < 0)
		have = system("python3 -c 'import zipfile' >/dev/null 2>&1") == 0;
	return have;
}

/* What tests/xlsx-cells.py reads from the workbook at path. */
static char *xlsx_dump(const char *path)
{
	struct buf cmd = BUF_INIT, got = BUF_INIT;
	char b[4096];
	size_t n;
	FILE *p;

	buf_adds(&cmd, "python3 tests/xlsx-cells.py ");
	buf_adds(&cmd, path);
	p = popen(cmd.s, "r");
	if (!p) {
		perror("popen");
		exit(1);
	}
	while ((n = fread(b, 1, sizeof b, p)) > 0)
		buf_add(&got, b, n);
	pclose(p);
	buf_free(&cmd);
	return got.s ? got.s : xstrdup("");
}

static const struct out_col xcols[] = {
	{ "name", OUT_STR, "名称" }, { "count", OUT_NUM, "数量" },
	{ "rate", OUT_RATE, "比率" }, { "at", OUT_TIME, "时间" },
};
static const char *const xrows[] = {
	"街面秩序类", "624", "97.4%", "2023-11-27 14:03:05",
	"=1+1", "-3.5", "0.5", "2023-11-27",
	"bad\xff", "n/a", "-", NULL,
	"", "+12", "12.5%", "yesterday",
};
static const char *const xtotal[] = { "合计", "636", "96.0%", NULL };

/* nrows of xrows, then the total row by out_total() when total is set. */
static char *render_xlsx(int flags, size_t nrows, int total, int *rc)
{
	char *path = tmp_path(), *s;
	struct zout *z = zout_open(path, 0);
	struct out *o = out_new(z, OUT_XLSX, xcols, 4, flags);

	for (size_t r = 0; r < nrows; r++)
		out_row(o, xrows + 4 * r, NULL);
	if (total)
		out_total(o, xtotal, NULL);
	*rc = out_close(o);
	s = xlsx_dump(path);
	unlink(path);
	free(path);
	return s;
}

static void test_xlsx(void)
{
	char dir[] = "/tmp/test_xlsx.XXXXXX", *got;
	const char *old = getenv("TMPDIR");
	char *keep = old ? xstrdup(old) : NULL;
	int rc;

	if (!have_python()) {
		ok(1, "xlsx # skip python3 is not installed");
		return;
	}
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	setenv("TMPDIR", dir, 1);
	got = render_xlsx(OUT_F_ZH, 4, 1, &rc);
	is_str(got,
	       "frozen: A2\n"
	       "widths: 12 6 8 21\n"
	       "1: *s:名称 | *s:数量 | *s:比率 | *s:时间\n"
	       "2: s:街面秩序类 | n:624 | p:97.4% | t:2023-11-27 14:03:05\n"
	       "3: s:=1+1 | n:-3.5 | p:50.0% | d:2023-11-27\n"
	       "4: s:bad\xef\xbf\xbd | s:n/a\n"
	       "5: - | n:12 | p:12.5% | s:yesterday\n"
	       "6: *s:合计 | *n:636 | *p:96.0% | *-\n",
	       "xlsx: types, Chinese headers, bold frozen header, total row");
	is_int(rc, 0, "xlsx: closed ok");
	free(got);
	got = render_xlsx(OUT_F_TOTAL, 2, 0, &rc);
	is_str(got,
	       "frozen: A2\n"
	       "widths: 12 7 8 21\n"
	       "1: *s:name | *s:count | *s:rate | *s:at\n"
	       "2: s:街面秩序类 | n:624 | p:97.4% | t:2023-11-27 14:03:05\n"
	       "3: *s:=1+1 | *n:-3.5 | *p:50.0% | *d:2023-11-27\n",
	       "xlsx: OUT_F_TOTAL sets the last row in bold");
	free(got);
	got = render_xlsx(0, 0, 0, &rc);
	is_str(got, "frozen: A2\nwidths: 6 7 6 6\n1: *s:name | *s:count | *s:rate | *s:at\n",
	       "xlsx: no rows, a header");
	free(got);
	{
		struct zout *z = zout_open("/dev/full", 0);
		struct out *o = out_new(z, OUT_XLSX, xcols, 4, 0);
		out_row(o, xrows, NULL);
		ok(out_finish(o) < 0, "xlsx: a full disk fails");
		out_free(o);
		zout_close(z);
	}
	{
		struct zout *z = zout_open("/dev/null", 0);
		struct out *o = out_open(z, OUT_XLSX, 0);
		ok(out_raw(o, "x", 1) < 0, "xlsx: out_raw fails");
		out_free(o);
		zout_close(z);
	}
	ok(rmdir(dir) == 0, "xlsx: no temporary file left behind");
	if (keep)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
	is_int(out_format_parse("xlsx"), OUT_XLSX, "parse xlsx");
}

int main(void)
{
	test_formats();
	test_zero_rows();
	test_flags();
	test_csv_tsv();
	test_json_values();
	test_table();
	test_md();
	test_lens();
	test_gzip();
	test_dev_full();
	test_streaming();
	test_width();
	test_names();
	test_xlsx();
	test_double();
	return tap_done();
}
