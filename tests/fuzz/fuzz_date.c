/*
 * fuzz_date.c - libFuzzer harness for lib/timeparse.c.
 *
 * The input goes to timeparse_parse() as bytes (not NUL-terminated: libFuzzer's
 * buffer is exactly size bytes, so ASan catches a read of s[n]) in automatic
 * mode and with two strptime formats, at store zone +08:00.  Whatever parses
 * must format as "YYYY-MM-DD HH:MM:SS" and that text must parse back, in
 * automatic mode and with "%Y-%m-%d %H:%M:%S", to the same seconds.
 *
 *   make fuzz && build/fuzz/fuzz_date tests/fuzz/corpus/fuzz_date
 */
#include "common.h"

#include "timeparse.h"

#define ZONE 480

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const formats[] = {
	NULL,
	"%m/%d/%Y %I:%M:%S %p",
	"%Y-%m-%dT%H:%M:%S%z",
};

static void check_text(const char *text, int64_t t)
{
	struct timeparse_opts o = { NULL, ZONE };
	int64_t back = 0;
	const char *why = NULL;
	const char *shape = "0000-00-00 00:00:00";
	size_t i;

	if (strlen(text) != TIMEPARSE_TEXT_LEN - 1)
		abort();
	for (i = 0; i < TIMEPARSE_TEXT_LEN - 1; i++) {
		if (shape[i] == '0' ? text[i] < '0' || text[i] > '9'
				    : text[i] != shape[i])
			abort();
	}
	if (timeparse_parse(text, TIMEPARSE_TEXT_LEN - 1, &o, &back, &why) != 0 || back != t)
		abort();
	o.date_format = "%Y-%m-%d %H:%M:%S";
	if (timeparse_parse(text, TIMEPARSE_TEXT_LEN - 1, &o, &back, &why) != 0 || back != t)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t f;

	for (f = 0; f < ARRAY_SIZE(formats); f++) {
		struct timeparse_opts o = { formats[f], ZONE };
		int64_t t = 0;
		const char *why = NULL;
		char text[TIMEPARSE_TEXT_LEN];

		if (timeparse_parse((const char *)data, size, &o, &t, &why) != 0) {
			if (!why)
				abort();
			continue;
		}
		timeparse_format(t, ZONE, text);
		check_text(text, t);
	}
	if (size < 16) {
		char z[16];
		int m = 0;
		memcpy(z, data, size);
		z[size] = '\0';
		if (timeparse_zone(z, &m) == 0 && (m < -1080 || m > 1080))
			abort();
	}
	return 0;
}
