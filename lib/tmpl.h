/*
 * tmpl.h - report templates: a text with {{name}} placeholders, filled by
 * the tools' figures (case-stat --template).
 *
 *   static int mine(void *ctx, const struct tmpl_place *p, struct buf *out)
 *   {       if (p->n == 8 && memcmp(p->name, "received", 8) == 0) {
 *                   buf_addf(out, "%lld", ...); return 1; }     known
 *           return 0; }                                          not mine
 *   struct tmpl_source srcs[] = { { mine, ctx }, { theirs, ctx2 } };
 *   st = tmpl_fill(path, srcs, 2, &text);   0, or an exit code after a
 *                                           message: 66 cannot open, 65 a
 *                                           bad template
 *
 * Each placeholder goes to the sources in order; the first that returns 1
 * has appended its value.  A source returns -1 after reporting a problem
 * with the placeholder itself (msg_errat(p->file, p->line, ...)), e.g. an
 * unknown category.  A placeholder no source knows is
 * "FILE:LINE: unknown placeholder '{{x}}'" (65); spaces inside the braces
 * are ignored ("{{ received }}").  "{{{{" writes a literal "{{", and a "{{"
 * without its "}}" is an error with its line.  The file is read through
 * encoding (gzip, UTF-8 or GB18030, a BOM dropped).
 */
#ifndef CITYOPS_TMPL_H
#define CITYOPS_TMPL_H

#include "buf.h"

struct tmpl_place {
	const char *name;       /* not NUL-terminated */
	size_t n;
	const char *file;
	long line;
};

typedef int tmpl_fn(void *ctx, const struct tmpl_place *p, struct buf *out);

struct tmpl_source {
	tmpl_fn *fn;
	void *ctx;
};

int tmpl_fill(const char *path, const struct tmpl_source *srcs, size_t nsrcs,
	      struct buf *out);

#endif
