/* libFuzzer harness: the JSON reader, whole documents and streamed in both
 * modes; an accepted document must write back and parse to the same text. */
#include "common.h"

#include <sys/types.h>

#include "buf.h"
#include "json.h"
#include "../unit/memsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_arena *a = json_arena_new();
	struct json_value *v, *v2;
	struct json_error e;
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;

	if (json_parse((const char *)data, size, a, &v, &e) == 0) {
		json_put_value(&b1, v);
		if (json_parse(b1.s, b1.len, a, &v2, &e) != 0)
			abort(); /* what we write must read back */
		json_put_value(&b2, v2);
		if (b1.len != b2.len || memcmp(b1.s, b2.s, b1.len) != 0)
			abort();
	} else if (e.msg[0] == '\0' || e.offset > size) {
		abort();
	}
	json_arena_reset(a);
	for (int mode = 0; mode < 2; mode++) {
		struct memsrc s = { data, size, 0, size ? 1 + (size_t)data[0] % 13 : 0 };
		struct json_stream *st = json_stream_new(memsrc_read, &s, mode ? JSON_STREAM_LINES
								     : JSON_STREAM_AUTO);
		int rc;
		while ((rc = json_stream_next(st, a, &v)) > 0)
			json_arena_reset(a);
		if (rc < 0 && json_stream_error(st)->msg[0] == '\0')
			abort();
		json_stream_free(st);
	}
	buf_free(&b1);
	buf_free(&b2);
	json_arena_free(a);
	return 0;
}
