#include "common.h"


#include "buf.h"
#include "config.h"
#include "msg.h"
#include "rec.h"
#include "strnum.h"
#include "case/taxonomy.h"

#define HBITS 10
#define HSIZE (1u << HBITS)

struct taxonomy {
	struct tax_class *c;
	size_t n, cap;
	char **bigs;          /* distinct big classes, per kind: "k\tname" */
	size_t nbigs, bigcap;
	int by_code[HSIZE];   /* index + 1 into c, open addressing on code */
	int by_name[HSIZE];
};

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

int tax_kind_parse(const char *s, size_t n)
{
	if ((n == 9 && memcmp(s, "component", 9) == 0) ||
	    (n == 6 && memcmp(s, "部件", 6) == 0) || (n == 1 && *s == 'c'))
		return TAX_COMPONENT;
	if ((n == 5 && memcmp(s, "event", 5) == 0) ||
	    (n == 6 && memcmp(s, "事件", 6) == 0) || (n == 1 && *s == 'e'))
		return TAX_EVENT;
	return -2;
}

static void hinsert(int *tab, const char *key, size_t idx)
{
	uint32_t h = hash(key, strlen(key)) & (HSIZE - 1);
	while (tab[h])
		h = (h + 1) & (HSIZE - 1);
	tab[h] = (int)idx + 1;
}

/* The taxonomy's spelling of a big class, without a trailing 类, for matching. */
static size_t strip_lei(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' '))
		n--;
	if (n > 3 && memcmp(s + n - 3, "类", 3) == 0)
		n -= 3;
	return n;
}

static int add_class(struct taxonomy *t, const char *file, long line,
		     const char *const *v, const size_t *len)
{
	struct tax_class c;
	int k;
	char tmp[32];
	const char *why;
	long long lim;
	const char *basis = v[5] ? v[5] : "";

	memset(&c, 0, sizeof c);
	k = v[0] ? tax_kind_parse(v[0], len[0]) : -2;
	if (k < 0) {
		msg_errat(file, line, "unknown kind '%s' (component or event)",
			  v[0] ? v[0] : "");
		return -1;
	}
	if (!v[1] || !len[1] || !v[3] || !len[3]) {
		msg_errat(file, line, "a class needs a code and a name");
		return -1;
	}
	if (!v[4] || !len[4] || len[4] >= sizeof tmp) {
		msg_errat(file, line, "missing or bad limit '%s'", v[4] ? v[4] : "");
		return -1;
	}
	memcpy(tmp, v[4], len[4]);
	tmp[len[4]] = '\0';
	/* "4" with a basis column, or "4wh", "2wd", "6h", "4工作时" alone */
	{
		size_t d = 0;
		while (tmp[d] >= '0' && tmp[d] <= '9')
			d++;
		if (tmp[d]) {
			const char *u = tmp + d;
			if (strcmp(u, "wh") == 0 || strcmp(u, "工作时") == 0)
				basis = "working_hours";
			else if (strcmp(u, "wd") == 0 || strcmp(u, "工作日") == 0)
				basis = "working_days";
			else if (strcmp(u, "h") == 0 || strcmp(u, "小时") == 0)
				basis = "hours";
			else {
				msg_errat(file, line, "bad limit '%s'", tmp);
				return -1;
			}
			tmp[d] = '\0';
		}
	}
	lim = strnum_ll(tmp, 0, 100000, &why);
	if (why) {
		msg_errat(file, line, "limit '%s' is %s", tmp, why);
		return -1;
	}
	if (strcmp(basis, "working_hours") == 0 || strcmp(basis, "工作时") == 0)
		c.basis = BASIS_WORKING_HOURS;
	else if (strcmp(basis, "working_days") == 0 || strcmp(basis, "工作日") == 0)
		c.basis = BASIS_WORKING_DAYS;
	else if (strcmp(basis, "hours") == 0 || strcmp(basis, "小时") == 0)
		c.basis = BASIS_HOURS;
	else {
		msg_errat(file, line,
			  "unknown basis '%s' (working_hours, working_days or hours)",
			  basis);
		return -1;
	}
	c.kind = (enum tax_kind)k;
	c.code = xstrndup(v[1], len[1]);
	c.name = xstrndup(v[3], len[3]);
	c.big_class = v[2] && len[2] ? xstrndup(v[2], len[2]) : xstrdup("");
	c.limit = (int)lim;
	c.simple = v[6] && len[6] && (v[6][0] == '1' || v[6][0] == 'y' ||
				      strcmp(v[6], "是") == 0);
	for (size_t i = 0; i < t->n; i++)
		if (t->c[i].kind == c.kind && strcmp(t->c[i].code, c.code) == 0) {
			msg_errat(file, line, "class code '%s' appears twice", c.code);
			free(c.code);
			free(c.name);
			free(c.big_class);
			return -1;
		}
	if (t->n + 1 >= HSIZE / 2) {
		msg_errat(file, line, "more than %u classes", HSIZE / 2 - 1);
		free(c.code);
		free(c.name);
		free(c.big_class);
		return -1;
	}
	XGROW(t->c, t->n + 1, t->cap);
	t->c[t->n++] = c;
	return 0;
}

static const struct rec_field class_fields[] = {
	{ "kind", "类型|问题类型|案件类型", 0 },
	{ "code", "编码|小类编码|class_code|代码", 0 },
	{ "big_class", "大类|大类名称", 0 },
	{ "name", "小类|小类名称|名称|small_class", 0 },
	{ "limit", "时限|处置时限", 0 },
	{ "basis", "计时方式|时限类型", 0 },
	{ "simple", "简易处置|可自处置", 0 },
};

static int class_row(void *ctx, const char *file, long line,
		     const char *const *v, const size_t *len)
{
	return add_class(ctx, file, line, v, len);
}

static int load_file(struct taxonomy *t, const char *path)
{
	int st = config_read(path, class_fields, ARRAY_SIZE(class_fields), 0, 0,
			     class_row, t);
	if (!st && t->n == 0) {
		msg_err("%s: no classes", path);
		st = EXIT_CONFIG;
	}
	return st;
}

static int load_default(struct taxonomy *t)
{
	const char *const *lines = taxonomy_default_lines() + 1;
	long line = 2;

	for (; *lines; lines++) {
		const char *p = *lines;
		const char *v[7];
		size_t len[7];
		const char *e = p + strlen(p);
		size_t f = 0;
		const char *q = p;
		while (f < 7) {
			const char *c = memchr(q, ',', (size_t)(e - q));
			const char *end = c ? c : e;
			v[f] = q;
			len[f] = (size_t)(end - q);
			f++;
			if (!c)
				break;
			q = c + 1;
		}
		/* built-in fields are NUL-free copies for strcmp in add_class */
		char *copy[7];
		for (size_t i = 0; i < f; i++) {
			copy[i] = xstrndup(v[i], len[i]);
			v[i] = copy[i];
		}
		for (size_t i = f; i < 7; i++) {
			v[i] = NULL;
			len[i] = 0;
		}
		int rc = add_class(t, "built-in classes", line, v, len);
		for (size_t i = 0; i < f; i++)
			free(copy[i]);
		if (rc < 0)
			return EXIT_SOFTWARE_ERR;
		line++;
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
	for (size_t i = 0; i < t->n; i++) {
		char key[512];
		snprintf(key, sizeof key, "%d\t%s", (int)t->c[i].kind, t->c[i].code);
		hinsert(t->by_code, key, i);
		snprintf(key, sizeof key, "%d\t%s", (int)t->c[i].kind, t->c[i].name);
		hinsert(t->by_name, key, i);
	}
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
	free(t);
}

size_t taxonomy_count(const struct taxonomy *t)
{
	return t->n;
}

const struct tax_class *taxonomy_get(const struct taxonomy *t, size_t i)
{
	return i < t->n ? &t->c[i] : NULL;
}

static const struct tax_class *hfind(const struct taxonomy *t, const int *tab,
				     int kind, const char *s, size_t n,
				     int by_name)
{
	char key[512];
	int kl;
	uint32_t h;

	if (n + 4 > sizeof key)
		return NULL;
	kl = snprintf(key, sizeof key, "%d\t", kind);
	memcpy(key + kl, s, n);
	h = hash(key, (size_t)kl + n) & (HSIZE - 1);
	while (tab[h]) {
		const struct tax_class *c = &t->c[tab[h] - 1];
		const char *f = by_name ? c->name : c->code;
		if ((int)c->kind == kind && strlen(f) == n && memcmp(f, s, n) == 0)
			return c;
		h = (h + 1) & (HSIZE - 1);
	}
	return NULL;
}

static const struct tax_class *find2(const struct taxonomy *t, enum tax_kind k,
				     const char *s, size_t n, int *amb, int by_name)
{
	const int *tab = by_name ? t->by_name : t->by_code;
	const struct tax_class *a, *b;

	if (amb)
		*amb = 0;
	if (k != TAX_ANY)
		return hfind(t, tab, k, s, n, by_name);
	a = hfind(t, tab, TAX_EVENT, s, n, by_name);
	b = hfind(t, tab, TAX_COMPONENT, s, n, by_name);
	if (a && b) {
		if (amb)
			*amb = 1;
		return NULL;
	}
	return a ? a : b;
}

const struct tax_class *tax_by_code(const struct taxonomy *t, enum tax_kind k,
				    const char *s, size_t n, int *amb)
{
	return find2(t, k, s, n, amb, 0);
}

const struct tax_class *tax_by_name(const struct taxonomy *t, enum tax_kind k,
				    const char *s, size_t n, int *amb)
{
	return find2(t, k, s, n, amb, 1);
}

const char *tax_big_class(const struct taxonomy *t, enum tax_kind k,
			  const char *s, size_t n)
{
	size_t want = strip_lei(s, n);
	for (size_t i = 0; i < t->n; i++) {
		const struct tax_class *c = &t->c[i];
		size_t bl;
		if (k != TAX_ANY && c->kind != k)
			continue;
		bl = strip_lei(c->big_class, strlen(c->big_class));
		if (bl == want && memcmp(c->big_class, s, want) == 0)
			return c->big_class;
	}
	return NULL;
}
