/*
 * taxonomy.h - the case classes (DESIGN §6 classes.csv).
 *
 * Columns: kind (component|event, or 部件|事件), code, big_class, name,
 * limit (a number with the basis column: working_hours|working_days|hours,
 * or a limit with its unit: "4wh", "2wd", "6h", "4工作时"), simple (0|1: the
 * class may be disposed of on the spot, 简易处置).  The built-in default
 * holds the CJ/T 214 / GB/T 30428.2 classes; taxonomy_load(path) reads a
 * file instead (codes are data: the 2026 scheme's 5-digit codes load the
 * same way, and a table may hold any number of classes).
 *
 *   struct taxonomy *t;
 *   int st = taxonomy_load(&t, path_or_NULL);     0 or an exit code (66, 78)
 *   const struct taxonomy_class *c =
 *           taxonomy_by_code(t, TAXONOMY_ANY, "0101", 4, &amb);
 *   c = taxonomy_by_name(t, TAXONOMY_EVENT, "机动车乱停放", n, &amb);
 *   const char *big = taxonomy_big_class(t, TAXONOMY_EVENT, "街面秩序", n);
 *           the taxonomy's own spelling of a big class, matched ignoring
 *           a trailing 类 ("街面秩序" finds "街面秩序类"); NULL when unknown
 * *amb is set when the code or name exists in both kinds and kind is
 * TAXONOMY_ANY.  Lookups are hashed: the importer calls them for every row.
 *
 * taxonomy_default_lines() is the built-in file's text, a line each.
 */
#ifndef CITYOPS_TAXONOMY_H
#define CITYOPS_TAXONOMY_H

#include "calendar.h"

enum taxonomy_kind { TAXONOMY_ANY = -1, TAXONOMY_COMPONENT = 0, TAXONOMY_EVENT = 1 };

struct taxonomy_class {
	enum taxonomy_kind kind;
	char *code;
	char *big_class;
	char *name;
	struct calendar_limit limit;
	int simple;
};

struct taxonomy;
int taxonomy_load(struct taxonomy **out, const char *path);
void taxonomy_free(struct taxonomy *t);
size_t taxonomy_count(const struct taxonomy *t);
const struct taxonomy_class *taxonomy_get(const struct taxonomy *t, size_t i);
const struct taxonomy_class *taxonomy_by_code(const struct taxonomy *t,
					      enum taxonomy_kind k, const char *s,
					      size_t n, int *amb);
const struct taxonomy_class *taxonomy_by_name(const struct taxonomy *t,
					      enum taxonomy_kind k, const char *s,
					      size_t n, int *amb);
const char *taxonomy_big_class(const struct taxonomy *t, enum taxonomy_kind k,
			       const char *s, size_t n);
const char *const *taxonomy_default_lines(void);  /* NULL-terminated */
/* "component", "部件", "c" -> TAXONOMY_COMPONENT; "event", "事件", "e" ->
 * TAXONOMY_EVENT; else -2 */
int taxonomy_kind_parse(const char *s, size_t n);

#endif
