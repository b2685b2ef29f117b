#include "common.h"

#include "buf.h"
#include "encoding.h"
#include "msg.h"
#include "tmpl.h"

static long lines_in(const char *p, const char *end)
{
	long n = 0;
	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

/* One placeholder: the sources in turn.  0, or 65 after a message. */
static int resolve(struct tmpl_place *pl, const struct tmpl_source *srcs,
		   size_t nsrcs, struct buf *out)
{
	while (pl->n && *pl->name == ' ') {
		pl->name++;
		pl->n--;
	}
	while (pl->n && pl->name[pl->n - 1] == ' ')
		pl->n--;
	for (size_t i = 0; i < nsrcs; i++) {
		int r = srcs[i].fn(srcs[i].ctx, pl, out);
		if (r > 0)
			return 0;
		if (r < 0)
			return EXIT_DATA_ERR;
	}
	msg_errat(pl->file, pl->line, "unknown placeholder '{{%.*s}}'", (int)pl->n, pl->name);
	return EXIT_DATA_ERR;
}

int tmpl_fill(const char *path, const struct tmpl_source *srcs, size_t nsrcs,
	      struct buf *out)
{
	struct buf text = BUF_INIT;
	const char *p, *end;
	long line = 1;
	int st;

	if ((st = encoding_slurp(path, &text, 0, EXIT_DATA_ERR)) != 0)
		goto out;
	p = buf_str(&text);
	end = p + text.len;
	while (p < end && !st) {
		const char *open = strstr(p, "{{"), *close;
		struct tmpl_place pl;

		if (!open) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(open - p));
		line += lines_in(p, open);
		if (open[2] == '{' && open[3] == '{') {
			buf_add(out, "{{", 2);
			p = open + 4;
			continue;
		}
		close = strstr(open + 2, "}}");
		if (!close) {
			msg_errat(path, line, "'{{' without '}}'");
			st = EXIT_DATA_ERR;
			break;
		}
		pl = (struct tmpl_place){ open + 2, (size_t)(close - open - 2), path, line };
		st = resolve(&pl, srcs, nsrcs, out);
		line += lines_in(open, close);
		p = close + 2;
	}
out:
	buf_free(&text);
	return st;
}
