#include "common.h"

#include "buf.h"
#include "csvio.h"
#include "msg.h"
#include "rec.h"
#include "rejects.h"
#include "zio.h"

struct rejects {
	struct zout *z;
	struct buf header;   /* the header line last written */
	struct buf line;
};

struct rejects *rejects_open(const char *path, int *status)
{
	struct rejects *rj;
	struct zout *z;

	*status = 0;
	if (!path)
		return NULL;
	z = zout_open_output(path, status);
	if (!z)
		return NULL;
	rj = xcalloc(1, sizeof *rj);
	rj->z = z;
	return rj;
}

void rejects_add(struct rejects *rj, const char *header, const char *raw,
		 size_t rawn, const char *file, long line, const char *reason)
{
	struct buf *l;

	if (!rj)
		return;
	l = &rj->line;
	buf_reset(l);
	buf_adds(l, header ? header : "");
	buf_adds(l, ",reject_file,reject_line,reject_reason");
	if (!rj->header.s || strcmp(rj->header.s, l->s) != 0) {
		buf_reset(&rj->header);
		buf_add(&rj->header, l->s, l->len);
		buf_addc(l, '\n');
		zout_write(rj->z, l->s, l->len);
	}
	buf_reset(l);
	buf_add(l, raw ? raw : "", raw ? rawn : 0);
	buf_addc(l, ',');
	csvio_quote(l, file, strlen(file));
	buf_addf(l, ",%ld,", line);
	csvio_quote(l, reason, strlen(reason));
	buf_addc(l, '\n');
	zout_write(rj->z, l->s, l->len);
}

void rejects_add_rec(struct rejects *rj, const struct rec_src *s, long line,
		     const char *reason)
{
	struct buf h = BUF_INIT, raw = BUF_INIT;

	if (!rj)
		return;
	rec_header_csv(s, &h);
	rec_raw_csv(s, &raw);
	rejects_add(rj, buf_str(&h), buf_str(&raw), raw.len, rec_name(s), line, reason);
	buf_free(&h);
	buf_free(&raw);
}

int rejects_close(struct rejects *rj)
{
	int st;

	if (!rj)
		return 0;
	st = zout_finish(rj->z, 0);
	buf_free(&rj->header);
	buf_free(&rj->line);
	free(rj);
	return st;
}

/* A file refused for its bad rows (without --keep-going): "NAME: N bad rows:
 * nothing VERB from this file", with the way out when no --rejects file
 * already holds them; 65. */
int rejects_refuse(const char *name, long long nbad, const char *verb, int have_rejects)
{
	msg_err("%s: %lld bad row%s: nothing %s from this file%s", name, nbad,
		nbad == 1 ? "" : "s", verb,
		have_rejects ? "" : " (--keep-going keeps the good rows)");
	return EXIT_DATA_ERR;
}
