#include "common.h"

#include "ids.h"
#include "msg.h"
#include "rec.h"
#include "text.h"

void ids_add(struct ids *ids, const char *s, size_t n)
{
	XGROW(ids->v, ids->n + 1, ids->cap);
	ids->v[ids->n++] = xstrndup(s, n);
}

void ids_free(struct ids *ids)
{
	for (size_t i = 0; i < ids->n; i++)
		free(ids->v[i]);
	free(ids->v);
	ids->v = NULL;
	ids->n = ids->cap = 0;
}

/* Why an id cannot be one, or NULL. */
static const char *id_problem(const char *s, size_t n)
{
	if (!s || n == 0)
		return "no id";
	if (n > IDS_MAX_LEN)
		return "id longer than 511 bytes";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "id holds a control character";
	return NULL;
}

int ids_read(const char *path, enum rec_fmt fmt, enum encoding enc, struct ids *ids)
{
	struct rec_src *s;
	struct rec r;
	int st = 0, rc;

	s = rec_open_ids(path, fmt, enc, &st);
	if (!s)
		return st;
	while ((rc = rec_next(s, &r)) != 0) {
		const char *why, *v = r.v[0];
		size_t n = r.len[0];
		if (rc < 0) {
			st = rec_status(s);
			break;
		}
		if (rc == 1 && v)
			text_trim(&v, &n);
		why = rc == 2 ? r.reason : id_problem(v, n);
		if (why) {
			msg_errat(rec_name(s), r.line, "%s", why);
			st = EXIT_DATA_ERR;
			continue;
		}
		ids_add(ids, v, n);
	}
	rec_close(s);
	return st;
}
