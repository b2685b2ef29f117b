/* libFuzzer harness: the CSV reader (csvio) fed in pieces of varying size,
 * as CSV and as TSV.  Every record must have fields whose lengths match their
 * NUL-terminated text, and the reader must end with 0 or an error. */
#include "common.h"

#include <sys/types.h>

#include "csvio.h"
#include "../unit/memsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[2] = { ',', '\t' };
	for (int d = 0; d < 2; d++) {
		struct memsrc s = { data, size, 0, size ? (size_t)data[0] % 17 : 0 };
		struct csvio *r = csvio_new(memsrc_read, &s, delims[d]);
		struct csvio_rec *rec;
		int rc;
		long last = 0;
		while ((rc = csvio_next(r, &rec)) > 0) {
			for (size_t i = 0; i < rec->n; i++)
				if (rec->f[i][rec->len[i]] != '\0')
					abort();
			if (rec->line < last)
				abort(); /* records never start before the previous one */
			last = rec->line;
		}
		if (rc < 0 && csvio_error(r)[0] == '\0')
			abort();
		csvio_free(r);
	}
	return 0;
}
