#include "common.h"

#include "calendar.h"
#include "config.h"
#include "hash.h"
#include "msg.h"
#include "rec.h"
#include "strnum.h"
#include "text.h"
#include "case/case.h"
#include "case/taxonomy.h"

struct taxonomy {
	struct taxonomy_class *c;
	size_t n, cap;
	size_t *by_code;      /* index + 1 into c, open addressing on (kind, code) */
	size_t *by_name;
	size_t nslots;        /* a power of two, at least twice n */
};

int taxonomy_kind_parse(const char *s, size_t n)
{
	if ((n == 9 && memcmp(s, "component", 9) == 0) ||
	    (n == 6 && memcmp(s, "部件", 6) == 0) || (n == 1 && *s == 'c'))
		return TAXONOMY_COMPONENT;
	if ((n == 5 && memcmp(s, "event", 5) == 0) ||
	    (n == 6 && memcmp(s, "事件", 6) == 0) || (n == 1 && *s == 'e'))
		return TAXONOMY_EVENT;
	return -2;
}

static size_t slot_of(const struct taxonomy *t, int kind, const char *s, size_t n)
{
	uint64_t h = hash_fnv1a(&kind, sizeof kind, 0);
	return (size_t)hash_fnv1a(s, n, h) & (t->nslots - 1);
}

static void index_classes(struct taxonomy *t)
{
	t->nslots = 16;
	while (t->nslots < t->n * 2)
		t->nslots *= 2;
	t->by_code = xcalloc(t->nslots, sizeof *t->by_code);
	t->by_name = xcalloc(t->nslots, sizeof *t->by_name);
	for (size_t i = 0; i < t->n; i++) {
		const struct taxonomy_class *c = &t->c[i];
		size_t h = slot_of(t, c->kind, c->code, strlen(c->code));
		while (t->by_code[h])
			h = (h + 1) & (t->nslots - 1);
		t->by_code[h] = i + 1;
		h = slot_of(t, c->kind, c->name, strlen(c->name));
		while (t->by_name[h])
			h = (h + 1) & (t->nslots - 1);
		t->by_name[h] = i + 1;
	}
}

/* The limit of a class: "4" with a basis, or a limit with its unit. */
static int parse_limit(const char *lim, const char *basis, struct calendar_limit *out)
{
	static const struct {
		const char *word;
		enum calendar_unit unit;
	} bases[] = {
		{ "working_hours", CALENDAR_WORKING_HOURS }, { "工作时", CALENDAR_WORKING_HOURS },
		{ "working_days", CALENDAR_WORKING_DAYS }, { "工作日", CALENDAR_WORKING_DAYS },
		{ "hours", CALENDAR_HOURS }, { "小时", CALENDAR_HOURS },
	};
	const char *why;

	if (lim[strspn(lim, "0123456789")])
		return calendar_parse_limit(lim, out);
	out->n = (int)strnum_ll(lim, 0, 100000, &why);
	if (why)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(bases); i++)
		if (strcmp(basis, bases[i].word) == 0) {
			out->unit = bases[i].unit;
			return calendar_limit_valid(out) ? 0 : -1;
		}
	return -2;
}

enum { C_KIND, C_CODE, C_BIG, C_NAME, C_LIMIT, C_BASIS, C_SIMPLE, C_N };

/* A row of classes.csv, as strings (NULL when empty). */
static int add_class(struct taxonomy *t, const char *file, long line, char *const *v)
{
	struct taxonomy_class c;
	int k = v[C_KIND] ? taxonomy_kind_parse(v[C_KIND], strlen(v[C_KIND])) : -2;
	int lr;

	memset(&c, 0, sizeof c);
	if (k < 0) {
		msg_errat(file, line, "unknown kind '%s' (component or event)",
			  v[C_KIND] ? v[C_KIND] : "");
		return -1;
	}
	if (!v[C_CODE] || !v[C_NAME]) {
		msg_errat(file, line, "a class needs a code and a name");
		return -1;
	}
	lr = v[C_LIMIT] ? parse_limit(v[C_LIMIT], v[C_BASIS] ? v[C_BASIS] : "", &c.limit) : -1;
	if (lr == -2) {
		msg_errat(file, line, "unknown basis '%s' (working_hours, working_days or hours)",
			  v[C_BASIS] ? v[C_BASIS] : "");
		return -1;
	}
	if (lr < 0) {
		msg_errat(file, line, "missing or bad limit '%s' (4 with a basis, or " CALENDAR_LIMIT_HELP ")",
			  v[C_LIMIT] ? v[C_LIMIT] : "");
		return -1;
	}
	for (size_t i = 0; i < t->n; i++)
		if ((int)t->c[i].kind == k && strcmp(t->c[i].code, v[C_CODE]) == 0) {
			msg_errat(file, line, "class code '%s' appears twice", v[C_CODE]);
			return -1;
		}
	c.kind = (enum taxonomy_kind)k;
	c.code = xstrdup(v[C_CODE]);
	c.name = xstrdup(v[C_NAME]);
	c.big_class = xstrdup(v[C_BIG] ? v[C_BIG] : "");
	c.simple = v[C_SIMPLE] && (v[C_SIMPLE][0] == '1' || v[C_SIMPLE][0] == 'y' ||
				   strcmp(v[C_SIMPLE], "是") == 0);
	XGROW(t->c, t->n + 1, t->cap);
	t->c[t->n++] = c;
	return 0;
}

static const struct rec_field class_fields[C_N] = {
	[C_KIND] = { "kind", "类型|问题类型|案件类型", 0 },
	[C_CODE] = { "code", "编码|小类编码|class_code|代码", 0 },
	[C_BIG] = { "big_class", "大类|大类名称", 0 },
	[C_NAME] = { "name", "小类|小类名称|名称|small_class", 0 },
	[C_LIMIT] = { "limit", "时限|处置时限", 0 },
	[C_BASIS] = { "basis", "计时方式|时限类型", 0 },
	[C_SIMPLE] = { "simple", "简易处置|可自处置", 0 },
};

static int class_row(void *ctx, const char *file, long line,
		     const char *const *v, const size_t *len)
{
	char *s[C_N];
	int rc;

	for (int i = 0; i < C_N; i++)
		s[i] = v[i] ? text_dup_trimmed(v[i], len[i]) : NULL;
	rc = add_class(ctx, file, line, s);
	for (int i = 0; i < C_N; i++)
		free(s[i]);
	return rc;
}

static int load_file(struct taxonomy *t, const char *path)
{
	int st = config_read(path, class_fields, C_N, 0, 0, class_row, t);
	if (!st && t->n == 0) {
		msg_err("%s: no classes", path);
		st = EXIT_CONFIG;
	}
	return st;
}

/* The built-in lines: plain comma-separated fields, no quotes. */
static int load_default(struct taxonomy *t)
{
	const char *const *lines = taxonomy_default_lines() + 1;

	for (long line = 2; *lines; lines++, line++) {
		char *s[C_N] = { NULL };
		const char *p = *lines;
		int rc;
		for (int f = 0; f < C_N && p; f++) {
			const char *c = strchr(p, ',');
			size_t n = c ? (size_t)(c - p) : strlen(p);
			s[f] = n ? xstrndup(p, n) : NULL;
			p = c ? c + 1 : NULL;
		}
		rc = add_class(t, "built-in classes", line, s);
		for (int f = 0; f < C_N; f++)
			free(s[f]);
		if (rc < 0)
			return EXIT_SOFTWARE_ERR;
	}
	return 0;
}

int taxonomy_load(struct taxonomy **out, const char *path)
{
	struct taxonomy *t = xcalloc(1, sizeof *t);
	int st;

	*out = NULL;
	st = path ? load_file(t, path) : load_default(t);
	if (st) {
		taxonomy_free(t);
		return st;
	}
	index_classes(t);
	*out = t;
	return 0;
}

void taxonomy_free(struct taxonomy *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->c[i].code);
		free(t->c[i].name);
		free(t->c[i].big_class);
	}
	free(t->c);
	free(t->by_code);
	free(t->by_name);
	free(t);
}

size_t taxonomy_count(const struct taxonomy *t)
{
	return t->n;
}

const struct taxonomy_class *taxonomy_get(const struct taxonomy *t, size_t i)
{
	return i < t->n ? &t->c[i] : NULL;
}

static const struct taxonomy_class *find_in(const struct taxonomy *t, const size_t *tab,
					    int kind, const char *s, size_t n, int by_name)
{
	size_t h = slot_of(t, kind, s, n);

	for (; tab[h]; h = (h + 1) & (t->nslots - 1)) {
		const struct taxonomy_class *c = &t->c[tab[h] - 1];
		const char *f = by_name ? c->name : c->code;
		if ((int)c->kind == kind && strlen(f) == n && memcmp(f, s, n) == 0)
			return c;
	}
	return NULL;
}

static const struct taxonomy_class *find(const struct taxonomy *t, enum taxonomy_kind k,
					 const char *s, size_t n, int *amb, int by_name)
{
	const size_t *tab = by_name ? t->by_name : t->by_code;
	const struct taxonomy_class *a, *b;

	if (amb)
		*amb = 0;
	if (k != TAXONOMY_ANY)
		return find_in(t, tab, k, s, n, by_name);
	a = find_in(t, tab, TAXONOMY_EVENT, s, n, by_name);
	b = find_in(t, tab, TAXONOMY_COMPONENT, s, n, by_name);
	if (a && b) {
		if (amb)
			*amb = 1;
		return NULL;
	}
	return a ? a : b;
}

const struct taxonomy_class *taxonomy_by_code(const struct taxonomy *t,
					      enum taxonomy_kind k, const char *s,
					      size_t n, int *amb)
{
	return find(t, k, s, n, amb, 0);
}

const struct taxonomy_class *taxonomy_by_name(const struct taxonomy *t,
					      enum taxonomy_kind k, const char *s,
					      size_t n, int *amb)
{
	return find(t, k, s, n, amb, 1);
}

const char *taxonomy_big_class(const struct taxonomy *t, enum taxonomy_kind k,
			       const char *s, size_t n)
{
	size_t want = case_class_stem(s, n);

	for (size_t i = 0; i < t->n; i++) {
		const struct taxonomy_class *c = &t->c[i];
		if (k != TAXONOMY_ANY && c->kind != k)
			continue;
		if (case_class_stem(c->big_class, strlen(c->big_class)) == want &&
		    memcmp(c->big_class, s, want) == 0)
			return c->big_class;
	}
	return NULL;
}
