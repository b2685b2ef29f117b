/*
 * taxonomy.h - the case classes (DESIGN §6 classes.csv).
 *
 * Columns: kind (component|event, or 部件|事件), code, big_class, name,
 * limit (a number), basis (working_hours|working_days|hours), simple (0|1:
 * the class may be disposed of on the spot, 简易处置).  The built-in default
 * holds the CJ/T 214 / GB/T 30428.2 classes; taxonomy_load(path) reads a file
 * instead (codes are data: the 2026 scheme's 5-digit codes load the same way).
 *
 *   struct taxonomy *t;
 *   int st = taxonomy_load(&t, path_or_NULL);     0 or an exit code (66, 78)
 *   const struct tax_class *c = tax_by_code(t, TAX_ANY, "0101", 4, &amb);
 *   c = tax_by_name(t, TAX_EVENT, "机动车乱停放", n, &amb);
 *   const char *big = tax_big_class(t, TAX_EVENT, "街面秩序", n);
 *           the taxonomy's own spelling of a big class, matched ignoring
 *           a trailing 类 ("街面秩序" finds "街面秩序类"); NULL when unknown
 * *amb is set when the code or name exists in both kinds and kind is TAX_ANY.
 * Lookups are hashed: the importer calls them for every row.
 *
 * taxonomy_default_csv() is the built-in file's text.
 */
#ifndef CITYOPS_TAXONOMY_H
#define CITYOPS_TAXONOMY_H

enum tax_kind { TAX_ANY = -1, TAX_COMPONENT = 0, TAX_EVENT = 1 };
enum tax_basis { BASIS_WORKING_HOURS, BASIS_WORKING_DAYS, BASIS_HOURS };

struct tax_class {
	enum tax_kind kind;
	char *code;
	char *big_class;
	char *name;
	int limit;
	enum tax_basis basis;
	int simple;
};

struct taxonomy;
int taxonomy_load(struct taxonomy **out, const char *path);
void taxonomy_free(struct taxonomy *t);
size_t taxonomy_count(const struct taxonomy *t);
const struct tax_class *taxonomy_get(const struct taxonomy *t, size_t i);
const struct tax_class *tax_by_code(const struct taxonomy *t, enum tax_kind k,
				    const char *s, size_t n, int *amb);
const struct tax_class *tax_by_name(const struct taxonomy *t, enum tax_kind k,
				    const char *s, size_t n, int *amb);
const char *tax_big_class(const struct taxonomy *t, enum tax_kind k,
			  const char *s, size_t n);
const char *taxonomy_default_csv(void);
const char *const *taxonomy_default_lines(void);  /* NULL-terminated */
/* "component", "部件" -> TAX_COMPONENT; "event", "事件" -> TAX_EVENT; else -2 */
int tax_kind_parse(const char *s, size_t n);

#endif
