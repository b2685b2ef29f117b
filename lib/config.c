#include "common.h"

#include <sys/stat.h>

#include "buf.h"
#include "config.h"
#include "msg.h"
#include "rec.h"

const char *config_path(const char *opt, const char *name, char *buf, size_t n)
{
	const char *dir;
	struct stat sb;

	if (opt)
		return opt;
	dir = getenv("CITYOPS_CONFIG");
	if (!dir || !*dir)
		return NULL;
	snprintf(buf, n, "%s/%s", dir, name);
	return stat(buf, &sb) == 0 ? buf : NULL;
}

/* Is a required column missing?  Says which, once. */
static int missing(const struct rec_src *s, const struct rec_field *f, size_t n,
		   unsigned required)
{
	struct buf all = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (!(required & (1u << i)) || rec_has(s, i))
			continue;
		for (size_t j = 0; j < n; j++) {
			if (j)
				buf_adds(&all, ", ");
			buf_adds(&all, f[j].name);
		}
		msg_err("%s: no '%s' column (expected %s)", rec_name(s), f[i].name, all.s);
		buf_free(&all);
		return 1;
	}
	return 0;
}

static int io_or_config(int st)
{
	return st == EXIT_NO_INPUT || st == EXIT_IO_ERR ? st : EXIT_CONFIG;
}

int config_read(const char *path, const struct rec_field *fields, size_t nfields,
		unsigned required, int flags, config_row_fn row, void *ctx)
{
	struct rec_opts o = { REC_AUTO, ENCODING_AUTO, NULL, 0 };
	struct rec_src *s;
	struct rec r;
	int st = 0, rc, bad = 0;

	s = rec_open(path, fields, nfields, &o, &st);
	if (!s)
		return io_or_config(st);
	if (rec_format(s) == REC_CSV || rec_format(s) == REC_TSV) {
		/* a header names its columns: check them before any row (an
		 * empty file has no header and no rows) */
		struct buf h = BUF_INIT;
		rec_header_csv(s, &h);
		if (h.len && missing(s, fields, nfields, required))
			st = EXIT_CONFIG;
		buf_free(&h);
	}
	while (!st && (rc = rec_next(s, &r)) != 0) {
		if (rc < 0) {
			st = rec_status(s) == EXIT_IO_ERR ? EXIT_IO_ERR : EXIT_CONFIG;
			break;
		}
		if (missing(s, fields, nfields, required)) {
			st = EXIT_CONFIG;  /* a JSON record without the column */
			break;
		}
		if (rc == 2)
			msg_errat(rec_name(s), r.line, "%s", r.reason);
		if (rc == 2 || row(ctx, rec_name(s), r.line, r.v, r.len) < 0) {
			bad = 1;
			if (!(flags & CONFIG_ALL_ERRORS))
				break;
		}
	}
	rec_close(s);
	return st ? st : bad ? EXIT_CONFIG : 0;
}
