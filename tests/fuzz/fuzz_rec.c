/*
 * fuzz_rec.c - libFuzzer harness for lib/rec.c over csvio, json and
 * encoding: the input, written to a file, is read as CSV, TSV, JSON and
 * JSON Lines (auto encoding, so GB18030 is tried too) with time fields,
 * so that records are read ahead, dates detected and the mapping written.
 * Every value handed out must be NUL-terminated at its length.
 *
 *   make fuzz && build/fuzz/fuzz_rec -close_fd_mask=2 tests/fuzz/corpus/fuzz_rec
 */
#include "common.h"

#include <unistd.h>

#include "msg.h"
#include "out.h"
#include "rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct rec_field fields[] = {
	{ "id", "案件编号|编号", REC_F_REQUIRED },
	{ "reported_at", "上报时间|created_date", REC_F_TIME },
	{ "closed_at", "结案时间", REC_F_TIME },
	{ "description", "描述", 0 },
};

static void read_all(const char *path, enum rec_fmt fmt, unsigned flags)
{
	static const char *const maps[] = { "x=description" };
	struct rec_opts o = { fmt, ENCODING_AUTO, maps, 1, NULL, flags };
	struct rec_src *s;
	struct rec r;
	int st = 0, rc;

	s = rec_open(path, fields, ARRAY_SIZE(fields), &o, &st);
	if (!s) {
		if (st == 0)
			abort();
		return;
	}
	if (flags & REC_O_SHOW) {
		FILE *f = fopen("/dev/null", "w");
		struct zout *z = zout_open_fp(f);
		struct out *out = out_open(z, OUT_CSV, 0);
		rec_mapping_begin(out);
		rec_mapping_write(s, out);
		out_finish(out);
		out_free(out);
		zout_close(z);
		fclose(f);
	}
	while ((rc = rec_next(s, &r)) != 0) {
		if (rc < 0) {
			if (rec_status(s) == 0)
				abort();
			break;
		}
		if (rc == 2 && !r.reason)
			abort();
		for (size_t i = 0; rc == 1 && i < ARRAY_SIZE(fields); i++)
			if (r.v[i] && r.v[i][r.len[i]] != '\0')
				abort();
	}
	rec_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static const enum rec_fmt fmts[] = { REC_CSV, REC_TSV, REC_JSON, REC_JSONL, REC_AUTO };
	FILE *f;

	if (!path[0]) {
		int fd;
		snprintf(path, sizeof path, "/tmp/fuzz-rec-XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		msg_quiet = 1; /* errors still print: run with -close_fd_mask=2 */
	}
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++)
		read_all(path, fmts[i], i == 4 ? REC_O_SHOW : 0);
	return 0;
}
