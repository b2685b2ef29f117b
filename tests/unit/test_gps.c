/*
 * test_gps.c - the parts of gps-audit below the detectors: plates, hours,
 * numbers, the fast reader of delimited text, and the sort of fixes in
 * bounded memory with runs on disk.
 */
#include "common.h"

#include <math.h>
#include <unistd.h>

#include "gps/fixbuf.h"
#include "gps/hours.h"
#include "gps/lines.h"
#include "gps/plate.h"
#include "../bench/rnd.h"
#include "out.h"
#include "strnum.h"
#include "memsrc.h"
#include "tap.h"

static void test_plates(void)
{
	static const struct { const char *in, *out; } good[] = {
		{ "豫D12345", "豫D12345" }, { "豫D·12345", "豫D12345" },
		{ "豫d 12345", "豫D12345" }, { "豫Ｄ１２３４５", "豫D12345" },
		{ " 豫D-12345 ", "豫D12345" }, { "豫DB7890", "豫DB7890" },
		{ "豫D12345F", "豫D12345F" }, { "豫DD12345", "豫DD12345" },
		{ "京AF0236", "京AF0236" }, { "豫D1234挂", "豫D1234挂" },
		{ "粤B·D12345", "粤BD12345" },
	};
	static const char *const bad[] = {
		"", "ABC123", "豫D1234", "豫D123456", "豫D1234I", "豫D12O45", "XD12345",
		"豫112345", "豫D12345X", "豫DA12345", "豫D123456789", "豫D\xff" "1234",
	};
	char p[PLATE_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		const char *why = plate_normalise(good[i].in, strlen(good[i].in), p);
		ok(!why && strcmp(p, good[i].out) == 0, "plate '%s' is '%s'", good[i].in, good[i].out);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ok(plate_normalise(bad[i], strlen(bad[i]), p) != NULL, "not a plate: '%s'", bad[i]);
}

static int64_t at(int h, int m, int s)
{
	/* 2023-11-27 in +08:00: 1701014400 is 2023-11-27 00:00 +08:00 */
	return 1701014400 + h * 3600 + m * 60 + s;
}

static void test_hours(void)
{
	struct gps_hours h;

	ok(!hours_parse("22:00-06:00", 11, &h), "22:00-06:00 parses");
	ok(hours_has(&h, at(23, 59, 59), 480) && hours_has(&h, at(0, 0, 0), 480) &&
	   hours_has(&h, at(5, 59, 59), 480), "22:00-06:00 holds 23:59:59, 00:00, 05:59:59");
	ok(!hours_has(&h, at(6, 0, 0), 480) && !hours_has(&h, at(21, 59, 59), 480) &&
	   hours_has(&h, at(22, 0, 0), 480), "... but not 06:00:00 nor 21:59:59; 22:00:00 yes");
	ok(!hours_parse("06:00-08:30，17:00～19:00", strlen("06:00-08:30，17:00～19:00"), &h) &&
	   hours_has(&h, at(8, 29, 0), 480) && !hours_has(&h, at(8, 30, 0), 480) &&
	   hours_has(&h, at(18, 0, 0), 480), "two intervals, Chinese punctuation");
	ok(!hours_parse("00:00-24:00", 11, &h) && hours_has(&h, at(23, 59, 59), 480) &&
	   hours_has(&h, at(0, 0, 0), 480), "00:00-24:00 is the whole day");
	ok(hours_parse("25:00-06:00", 11, &h) != NULL && hours_parse("22:00", 5, &h) != NULL &&
	   hours_parse("22:00-06:61", 11, &h) != NULL && hours_parse("", 0, &h) != NULL,
	   "bad hours are refused");
	ok(!hours_parse("22:00-06:00", 11, &h) && hours_has(&h, at(0, 0, 0) + 8 * 3600, 0) && !hours_has(&h, at(0, 0, 0), 0),
	   "the zone counts: midnight UTC in a UTC store");
}

static void test_numbers(void)
{
	static const char *const nums[] = {
		"33.745123", "-112.9", "0", "0.1", "1e3", "  42.5 ", "+7", "123456789012345678",
		"0.000000001", "179.9999999", "36.0326470", ".5", "5.",
	};
	char buf[OUT_DOUBLE_LEN];
	double d;

	for (size_t i = 0; i < ARRAY_SIZE(nums); i++) {
		char *end;
		double want = strtod(nums[i], &end);
		ok(strnum_double(nums[i], strlen(nums[i]), &d) == 0 && d == want,
		   "'%s' parses as strtod reads it", nums[i]);
	}
	ok(strnum_double("", 0, &d) < 0 && strnum_double("-", 1, &d) < 0 && strnum_double("1.2.3", 5, &d) < 0 &&
	   strnum_double("nan", 3, &d) < 0 && strnum_double("0x10", 4, &d) < 0 && strnum_double("1,5", 3, &d) < 0,
	   "not numbers: '', '-', '1.2.3', 'nan', '0x10', '1,5'");
	ok(strcmp(out_decimals(44.05, 1, buf), "44.1") == 0 || strcmp(buf, "44.0") == 0, "44.05 to 1 decimal");
	ok(strcmp(out_decimals(-0.04, 1, buf), "0.0") == 0 || strcmp(buf, "-0.0") == 0, "-0.04 to 1 decimal");
	ok(strcmp(out_decimals(33.7451234, 6, buf), "33.745123") == 0, "6 decimals");
	ok(strcmp(out_decimals(-112.5, 0, buf), "-113") == 0 || strcmp(buf, "-112") == 0, "no decimals");
	ok(strcmp(out_decimals(NAN, 2, buf), "") == 0, "NaN is empty");
	ok(strcmp(out_fixed(10, 3, buf), "10") == 0 && strcmp(out_fixed(0.25, 3, buf), "0.25") == 0,
	   "short forms");
}


static void test_lines(void)
{
	static const char text[] =
		"plate,at,note\r\n"
		"豫D12345,2023-11-27 10:00:00,\"a, b\"\r\n"
		"\r\n"
		"豫D12345,2023-11-27 10:00:10,\"two\nlines \"\"quoted\"\"\"\n"
		"豫D12345,2023-11-27 10:00:20,last";
	const char *path = write_tmp(text, sizeof text - 1);
	struct lines *l;
	struct lrec *r;
	int st;

	if (!ok(path && (l = lines_open(path, ENCODING_AUTO, ',', &st)), "open"))
		return;
	ok(lines_next(l, &r) == 1 && r->n == 3 && r->line == 1 &&
	   r->len[2] == 4 && memcmp(r->f[2], "note", 4) == 0, "header, CR LF stripped");
	ok(lines_next(l, &r) == 1 && r->line == 2 && r->len[2] == 4 &&
	   memcmp(r->f[2], "a, b", 4) == 0, "a quoted comma");
	ok(lines_next(l, &r) == 1 && r->line == 4 && r->len[2] == 18 &&
	   memcmp(r->f[2], "two\nlines \"quoted\"", 18) == 0, "a quoted line break and quotes, after a blank line");
	ok(lines_next(l, &r) == 1 && r->line == 6 && r->count == 3 && r->len[2] == 4,
	   "the line after a two-line record; no final newline");
	ok(lines_next(l, &r) == 0, "the end");
	lines_close(l);
	unlink(path);
	path = write_tmp("a,b\n\"open,x\n", 12);
	l = lines_open(path, ENCODING_AUTO, ',', &st);
	ok(l && lines_next(l, &r) == 1 && lines_next(l, &r) < 0 && lines_status(l) == 65,
	   "an unterminated quote is bad data");
	lines_close(l);
	unlink(path);
}

/* 300 000 fixes of 7 vehicles, shuffled, through 1 MB of memory: several
 * runs on disk, and each vehicle comes back in order, none lost. */
static void test_fixbuf(void)
{
	enum { N = 300000, V = 7 };
	struct fixbuf *b = fixbuf_new(1 << 20);
	struct gps_fix *all = xcalloc(N, sizeof *all);
	size_t got = 0, bad = 0;

	rnd_seed(7);
	for (size_t i = 0; i < N; i++) {
		all[i].t = (uint32_t)(1700000000 + i / V);
		all[i].lat = (int32_t)(i % V);
		all[i].lon = (int32_t)rnd_below(1000);
		all[i].speed = i % 3 ? (float)(i % 50) : NAN;
	}
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = rnd_below((uint32_t)i + 1);
		struct gps_fix t = all[i];
		all[i] = all[j];
		all[j] = t;
	}
	for (size_t i = 0; i < N; i++)
		if (fixbuf_add(b, (size_t)all[i].lat, &all[i]) < 0)
			bad++;
	ok(!bad && fixbuf_runs(b) >= 3, "shuffled fixes spill in %zu runs", fixbuf_runs(b));
	for (size_t v = 0; v < V; v++) {
		struct fixiter it;
		struct gps_fix f, prev = { 0, 0, 0, 0 };
		size_t n = 0;
		fixbuf_iter(b, v, &it);
		while (fixiter_next(&it, &f) > 0) {
			if (f.lat != (int32_t)v || (n && fix_cmp(&prev, &f) > 0))
				bad++;
			prev = f;
			n++;
		}
		fixiter_done(&it);
		got += n;
	}
	ok(got == N && !bad, "every vehicle's fixes come back in order (%zu of %d)", got, N);
	fixbuf_free(b);
	free(all);
}

int main(void)
{
	test_plates();
	test_hours();
	test_numbers();
	test_lines();
	test_fixbuf();
	return tap_done();
}
