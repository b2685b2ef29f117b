#include "common.h"

#include <strings.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sqlite3.h>

#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "csvio.h"
#include "db.h"
#include "encoding.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "case/route.h"
#include "strnum.h"
#include "case/taxonomy.h"
#include "timeparse.h"
#include "zio.h"

enum action { ACT_DISPATCH, ACT_PARK, ACT_SELF };
enum cls_mode { CLS_ANY, CLS_CODE, CLS_PREFIX, CLS_NAME };

struct rule {
	long line;
	long prio;
	size_t order;
	char *name;
	int kind;              /* -1 any */
	enum cls_mode cmode;
	char *cls;
	char *street;
	char *text;
	pcre2_code *re;
	int jit;
	uint16_t *grams;       /* see rule_screen(); rarest first */
	size_t ngrams, gramcap;
	char *unit;            /* as stored: the unit's name */
	int has_limit;
	struct cal_limit limit;
	enum action action;
};

struct unit {
	char *code, *name;
};

struct owner {
	char *object_id, *unit;
};

struct router {
	const char *rules_path;
	struct rule *rules;
	size_t nrules, rulecap;
	struct unit *units;
	size_t nunits, unitcap;
	struct owner *owners;  /* sorted by object_id */
	size_t nowners, ownercap;
	const struct taxonomy *tax;
	int bad;               /* some line was bad */
	int screens;           /* some rule has grams */
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	pcre2_jit_stack *jstack;
};

/* ---- loading ------------------------------------------------------------- */

static char *dupv(const char *s, size_t n)
{
	/* trim spaces */
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

static const char *unit_lookup(const struct router *rt, const char *s)
{
	if (rt->nunits == 0)
		return s; /* no units file: any name goes */
	for (size_t i = 0; i < rt->nunits; i++)
		if ((rt->units[i].code && strcmp(rt->units[i].code, s) == 0) ||
		    strcmp(rt->units[i].name, s) == 0)
			return rt->units[i].name;
	return NULL;
}

static const struct rec_field unit_fields[] = {
	{ "code", "单位编码|编码|代码", 0 },
	{ "name", "单位名称|名称|单位", 0 },
	{ "kind", "单位类型|类型", 0 },
	{ "phone", "电话|联系电话", 0 },
};

static int unit_row(void *ctx, const char *file, long line, const char *const *v,
		    const size_t *len)
{
	struct router *rt = ctx;
	char *name = v[1] ? dupv(v[1], len[1]) : NULL;

	if (!name) {
		msg_errat(file, line, "a unit needs a name");
		return -1;
	}
	XGROW(rt->units, rt->nunits + 1, rt->unitcap);
	rt->units[rt->nunits].code = v[0] ? dupv(v[0], len[0]) : NULL;
	rt->units[rt->nunits].name = name;
	rt->nunits++;
	return 0;
}

static int cmp_owner(const void *a, const void *b)
{
	return strcmp(((const struct owner *)a)->object_id,
		      ((const struct owner *)b)->object_id);
}

static const struct rec_field owner_fields[] = {
	{ "object_id", "部件编号|部件标识|部件标识码|对象编号", 0 },
	{ "unit", "权属单位|处置单位|责任单位|单位", 0 },
};

static int owner_row(void *ctx, const char *file, long line, const char *const *v,
		     const size_t *len)
{
	struct router *rt = ctx;
	char *id = v[0] ? dupv(v[0], len[0]) : NULL;
	char *u = v[1] ? dupv(v[1], len[1]) : NULL;
	const char *name = u ? unit_lookup(rt, u) : NULL;
	int ret = -1;

	if (!id || !u)
		msg_errat(file, line, "an owner needs object_id and unit");
	else if (!name)
		msg_errat(file, line, "unknown unit '%s'", u);
	else {
		XGROW(rt->owners, rt->nowners + 1, rt->ownercap);
		rt->owners[rt->nowners].object_id = id;
		rt->owners[rt->nowners].unit = xstrdup(name);
		rt->nowners++;
		id = NULL;
		ret = 0;
	}
	free(id);
	free(u);
	return ret;
}

static int parse_action(const char *s)
{
	if (!s || strcmp(s, "dispatch") == 0 || strcmp(s, "派遣") == 0)
		return ACT_DISPATCH;
	if (strcmp(s, "park") == 0 || strcmp(s, "缓办") == 0 || strcmp(s, "挂账") == 0)
		return ACT_PARK;
	if (strcmp(s, "self") == 0 || strcmp(s, "自行处置") == 0 || strcmp(s, "简易处置") == 0)
		return ACT_SELF;
	return -1;
}

/* Does the class text name something the taxonomy knows? */
static int class_known(const struct taxonomy *t, int kind, const char *c,
		       enum cls_mode m)
{
	size_t n = strlen(c);
	enum tax_kind k = kind < 0 ? TAX_ANY : (enum tax_kind)kind;
	int amb;

	if (m == CLS_PREFIX) {
		for (size_t i = 0; i < taxonomy_count(t); i++) {
			const struct tax_class *x = taxonomy_get(t, i);
			if ((kind < 0 || (int)x->kind == kind) && strncmp(x->code, c, n) == 0)
				return 1;
		}
		return 0;
	}
	if (m == CLS_CODE)
		return tax_by_code(t, k, c, n, &amb) != NULL || amb;
	return tax_by_name(t, k, c, n, &amb) != NULL || amb ||
	       tax_big_class(t, k, c, n) != NULL;
}

static int cmp_rule(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;
	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static const struct rec_field rule_fields[] = {
	{ "priority", "优先级|序号", 0 },
	{ "name", "规则名称|名称|规则", 0 },
	{ "kind", "问题类型|类型|案件类型", 0 },
	{ "class", "类别|小类|小类编码|分类", 0 },
	{ "text", "文本|关键词|正则", 0 },
	{ "street", "街道|所属街道|乡镇", 0 },
	{ "unit", "处置单位|责任单位|单位", 0 },
	{ "limit", "时限|处置时限", 0 },
	{ "action", "处置方式|动作", 0 },
};

static void rule_free(struct rule *ru)
{
	free(ru->name);
	free(ru->cls);
	free(ru->street);
	free(ru->text);
	free(ru->unit);
	free(ru->grams);
	pcre2_code_free(ru->re);
}

/* ---- screening ----------------------------------------------------------- */

/*
 * Most rules cannot match most cases: "人民路.{0,20}第3号(井盖|箅子)" cannot
 * match a text without "第3号".  A rule keeps the hashed 3-byte grams of the
 * literal text that every match of its pattern contains; a case sets the bit
 * of each gram of its text in a bitmap once, and a rule with a gram whose bit
 * is clear is not tried: its pattern cannot match.  A hash collision can only
 * let a rule through to the real match, so the screen never changes a result,
 * and it is much cheaper than even a failing JIT match.
 */
#define GRAM_LOG2 14
#define GRAM_BITS (1u << GRAM_LOG2)

static uint16_t gram_hash(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;

	return (uint16_t)((v * 0x9e3779b1u) >> (32 - GRAM_LOG2));
}

static void rule_add_grams(struct rule *ru, const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++) {
		uint16_t g = gram_hash(s + i);
		size_t j = 0;
		while (j < ru->ngrams && ru->grams[j] != g)
			j++;
		if (j == ru->ngrams) {
			XGROW(ru->grams, ru->ngrams + 1, ru->gramcap);
			ru->grams[ru->ngrams++] = g;
		}
	}
}

/* Constructs that change how the rest of a pattern reads ((?i), (?x), (?#),
 * \Q...\E) or end a match early ((*ACCEPT)): with any, trust no literal.
 * A raw search, so an escaped look-alike only costs the screen. */
static int pattern_plain(const char *p)
{
	if (strstr(p, "(*") || strstr(p, "\\Q") || strstr(p, "\\E"))
		return 0;
	for (const char *q = p; (q = strstr(q, "(?")) != NULL; q += 2)
		if (q[2] == '\0' || !strchr(":=!<>|'P&(+0123456789", q[2]))
			return 0;
	return 1;
}

static int ascii_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Past the character class at p ('['); NULL when in doubt. */
static const char *skip_class(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++; /* a ']' first is a member */
	for (; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				return NULL;
		} else if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			return NULL; /* [:alpha:] and the like */
		} else if (*p == ']') {
			return p + 1;
		}
	}
	return NULL;
}

/* Past the group at p ('('), lookarounds and all; NULL when in doubt. */
static const char *skip_group(const char *p)
{
	int depth = 0;

	while (p && *p) {
		if (*p == '\\') {
			if (!p[1])
				return NULL;
			p += 2;
		} else if (*p == '[') {
			p = skip_class(p);
		} else {
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				return p + 1;
			p++;
		}
	}
	return NULL;
}

/* Past the escape at p (a backslash and a letter or digit) with whatever
 * argument it may take: \x{41} \x41 \101 \cX \g-1 \g{-1} \k<n> \p{Han} \pL.
 * Letters and digits after it are skipped too: at worst a literal is lost.
 * NULL when in doubt. */
static const char *skip_escape(const char *p)
{
	char c = p[1];

	p += 2;
	if (c == 'c' && *p)
		p++;
	else if (c == 'g' && (*p == '+' || *p == '-'))
		p++;
	if ((*p == '{' && strchr("xopPNgk", c)) ||
	    ((*p == '<' || *p == '\'') && strchr("gk", c))) {
		char end = *p == '{' ? '}' : *p == '<' ? '>' : '\'';
		size_t n = strcspn(p + 1, "}>'|()[");
		return p[1 + n] == end ? p + 2 + n : NULL;
	}
	while (ascii_alnum(*p))
		p++;
	return p;
}

/* Past the quantifier {n}, {n,}, {n,m} or {,m} at p, or NULL when that '{'
 * is a literal one. */
static const char *skip_braces(const char *p)
{
	size_t n = strspn(p + 1, "0123456789, \t");

	return p[1 + n] == '}' ? p + 2 + n : NULL;
}

/* A quantifier makes the last character optional or repeated: drop it. */
static void run_drop_char(struct buf *run)
{
	while (run->len && ((unsigned char)run->s[run->len - 1] & 0xc0) == 0x80)
		run->len--;
	if (run->len)
		run->len--;
}

static void run_end(struct rule *ru, struct buf *run)
{
	rule_add_grams(ru, run->s, run->len);
	run->len = 0;
}

/*
 * Give a rule the grams of the literal runs of its pattern outside groups and
 * classes: text between escapes, dots, anchors and quantifiers, less the
 * character a quantifier applies to.  Every match contains each such run.
 * An alternative at the top, or anything unusual: no grams, always match.
 */
static void rule_screen(struct rule *ru)
{
	struct buf run = BUF_INIT;
	const char *p = ru->text;
	int ok = pattern_plain(p);

	while (ok && p && *p) {
		switch (*p) {
		case '|':
			ok = 0;
			break;
		case '(':
		case '[':
			run_end(ru, &run);
			p = *p == '(' ? skip_group(p) : skip_class(p);
			break;
		case '\\':
			if (ascii_alnum(p[1])) {
				run_end(ru, &run);
				p = skip_escape(p);
			} else {
				/* any other escaped character is itself */
				size_t n = encoding_utf8_decode(p + 1, strlen(p + 1), NULL);
				buf_add(&run, p + 1, n);
				p = n ? p + 1 + n : NULL;
			}
			break;
		case '{':
			if (!skip_braces(p)) {
				/* a literal '{': keep it out of the runs */
				run_end(ru, &run);
				p++;
				break;
			}
			run_drop_char(&run);
			run_end(ru, &run);
			p = skip_braces(p);
			break;
		case '?':
		case '*':
		case '+':
			run_drop_char(&run);
			run_end(ru, &run);
			p++;
			break;
		case '.':
		case '^':
		case '$':
			run_end(ru, &run);
			p++;
			break;
		default:
			buf_addc(&run, *p++);
			break;
		}
	}
	if (ok && p)
		run_end(ru, &run);
	else
		ru->ngrams = 0;
	buf_free(&run);
}

/* Try first the grams that fewest rules share: a rule's own words are the
 * likeliest to be missing from a case, so its screen ends soonest.  Notes
 * whether any rule screens at all, so cases need no grams when none does. */
static void order_grams(struct router *rt)
{
	uint32_t *count = xcalloc(GRAM_BITS, sizeof *count);

	for (size_t i = 0; i < rt->nrules; i++)
		for (size_t j = 0; j < rt->rules[i].ngrams; j++)
			count[rt->rules[i].grams[j]]++;
	for (size_t i = 0; i < rt->nrules; i++) {
		uint16_t *g = rt->rules[i].grams;
		for (size_t j = 1; j < rt->rules[i].ngrams; j++) {
			uint16_t x = g[j];
			size_t k = j;
			for (; k > 0 && count[g[k - 1]] > count[x]; k--)
				g[k] = g[k - 1];
			g[k] = x;
		}
		if (rt->rules[i].ngrams)
			rt->screens = 1;
	}
	free(count);
}

static int rule_row(void *ctx, const char *file, long line, const char *const *rv,
		    const size_t *len)
{
	struct router *rt = ctx;
	struct rule ru;
	char *v[9];
	int bad = 0;

	for (int i = 0; i < 9; i++)
		v[i] = rv[i] ? dupv(rv[i], len[i]) : NULL;
	memset(&ru, 0, sizeof ru);
	ru.line = line;
	ru.order = rt->nrules;
	ru.kind = -1;
	ru.name = v[1] ? v[1] : xstrdup("");
	v[1] = NULL;
	if (v[0]) {
		const char *why;
		ru.prio = (long)strnum_ll(v[0], -1000000, 1000000, &why);
		if (why) {
			msg_errat(file, line, "priority '%s' is %s", v[0], why);
			bad = 1;
		}
	} else {
		ru.prio = 0;
	}
	if (v[2]) {
		ru.kind = tax_kind_parse(v[2], strlen(v[2]));
		if (ru.kind < 0) {
			msg_errat(file, line, "unknown kind '%s' (component or event)", v[2]);
			bad = 1;
		}
	}
	if (v[3]) {
		size_t n = strlen(v[3]);
		size_t digits = strspn(v[3], "0123456789");
		if (n > 1 && v[3][n - 1] == '*') {
			ru.cmode = CLS_PREFIX;
			v[3][n - 1] = '\0';
		} else if (digits == n) {
			ru.cmode = CLS_CODE;
		} else {
			ru.cmode = CLS_NAME;
		}
		ru.cls = v[3];
		v[3] = NULL;
		if (!class_known(rt->tax, ru.kind, ru.cls, ru.cmode)) {
			msg_errat(file, line, "unknown class '%s'", ru.cls);
			bad = 1;
		}
	}
	if (v[4]) {
		int err;
		PCRE2_SIZE off;
		ru.text = v[4];
		v[4] = NULL;
		ru.re = pcre2_compile((PCRE2_SPTR)ru.text, PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF, &err, &off, NULL);
		if (!ru.re) {
			PCRE2_UCHAR m[160];
			pcre2_get_error_message(err, m, sizeof m);
			msg_errat(file, line, "bad pattern at offset %zu: %s",
				  (size_t)off, (const char *)m);
			bad = 1;
		} else {
			ru.jit = pcre2_jit_compile(ru.re, PCRE2_JIT_COMPLETE) == 0;
			rule_screen(&ru);
		}
	}
	ru.street = v[5];
	v[5] = NULL;
	if (v[6]) {
		const char *name = unit_lookup(rt, v[6]);
		if (!name) {
			msg_errat(file, line, "unknown unit '%s'", v[6]);
			bad = 1;
		} else {
			ru.unit = xstrdup(name);
		}
	}
	if (v[7]) {
		if (cal_parse_limit(v[7], &ru.limit) < 0) {
			msg_errat(file, line, "bad limit '%s' (e.g. 4wh, 2wd, 6h)", v[7]);
			bad = 1;
		} else {
			ru.has_limit = 1;
		}
	}
	{
		int a = parse_action(v[8]);
		if (a < 0) {
			msg_errat(file, line, "unknown action '%s' (dispatch, park or self)", v[8]);
			bad = 1;
		} else {
			ru.action = (enum action)a;
		}
	}
	if (!bad && ru.action == ACT_DISPATCH && !ru.unit) {
		msg_errat(file, line, "rule '%s' dispatches but names no unit", ru.name);
		bad = 1;
	}
	for (int i = 0; i < 9; i++)
		free(v[i]);
	if (bad) {
		rule_free(&ru);
		return -1;
	}
	XGROW(rt->rules, rt->nrules + 1, rt->rulecap);
	rt->rules[rt->nrules++] = ru;
	return 0;
}

/* The worse of two statuses, where a bad line (78) is the mildest. */
static int keep_config(int a, int b)
{
	if (a && a != EXIT_CONFIG)
		return a;
	if (b && b != EXIT_CONFIG)
		return b;
	return a ? a : b;
}

int router_load(struct router **out, const struct router_opts *o)
{
	struct router *rt = xcalloc(1, sizeof *rt);
	int st = 0;

	*out = NULL;
	rt->tax = o->tax;
	rt->rules_path = o->rules;
	/* every bad line of every file is reported: a bad line (78) is
	 * remembered for router_check(); a file that cannot be read ends it */
	if (o->units)
		st = config_read(o->units, unit_fields, ARRAY_SIZE(unit_fields), 0x2,
				 CONFIG_ALL_ERRORS, unit_row, rt);
	if ((!st || st == EXIT_CONFIG) && o->owners)
		st = keep_config(st, config_read(o->owners, owner_fields,
						 ARRAY_SIZE(owner_fields), 0x3,
						 CONFIG_ALL_ERRORS, owner_row, rt));
	if ((!st || st == EXIT_CONFIG) && o->rules)
		st = keep_config(st, config_read(o->rules, rule_fields,
						 ARRAY_SIZE(rule_fields), 0,
						 CONFIG_ALL_ERRORS, rule_row, rt));
	if (st == EXIT_CONFIG) {
		rt->bad = 1;
		st = 0;
	}
	if (st)
		goto fail;
	if (rt->nowners)
		qsort(rt->owners, rt->nowners, sizeof *rt->owners, cmp_owner);
	if (rt->nrules)
		qsort(rt->rules, rt->nrules, sizeof *rt->rules, cmp_rule);
	order_grams(rt);
	rt->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(rt->mctx, o->match_limit ? o->match_limit : 1000000);
	pcre2_set_depth_limit(rt->mctx, 10000);
	rt->jstack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (rt->jstack)
		pcre2_jit_stack_assign(rt->mctx, NULL, rt->jstack);
	rt->md = pcre2_match_data_create(4, NULL);
	*out = rt;
	return 0;
fail:
	router_free(rt);
	return st;
}

int router_check(const struct router *rt)
{
	return rt->bad ? EXIT_CONFIG : 0;
}

void router_free(struct router *rt)
{
	if (!rt)
		return;
	for (size_t i = 0; i < rt->nrules; i++)
		rule_free(&rt->rules[i]);
	free(rt->rules);
	for (size_t i = 0; i < rt->nunits; i++) {
		free(rt->units[i].code);
		free(rt->units[i].name);
	}
	free(rt->units);
	for (size_t i = 0; i < rt->nowners; i++) {
		free(rt->owners[i].object_id);
		free(rt->owners[i].unit);
	}
	free(rt->owners);
	pcre2_match_data_free(rt->md);
	pcre2_match_context_free(rt->mctx);
	pcre2_jit_stack_free(rt->jstack);
	free(rt);
}

/* ---- matching ------------------------------------------------------------ */

struct kase {
	sqlite3_int64 rowid;
	char *id, *kind, *class_code, *big_class, *small_class, *street;
	char *description, *address, *object_id, *state, *unit, *last_at;
	int ikind;
};

static size_t lei(const char *s)
{
	size_t n = strlen(s);
	if (n > 3 && strcmp(s + n - 3, "类") == 0)
		n -= 3;
	return n;
}

static int str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* What a case's patterns run over, made once for all the rules. */
struct subject {
	struct buf text;                /* description, a newline, address */
	int utf8_ok;
	uint64_t grams[GRAM_BITS / 64]; /* set when some rule screens */
};

static void subject_init(struct subject *sj, const struct router *rt,
			 const struct kase *k)
{
	memset(sj, 0, sizeof *sj);
	if (k->description)
		buf_adds(&sj->text, k->description);
	buf_addc(&sj->text, '\n');
	if (k->address)
		buf_adds(&sj->text, k->address);
	sj->utf8_ok = encoding_utf8_valid(sj->text.s, sj->text.len) == sj->text.len;
	if (rt->screens)
		for (size_t i = 0; i + 3 <= sj->text.len; i++) {
			uint16_t g = gram_hash(sj->text.s + i);
			sj->grams[g >> 6] |= (uint64_t)1 << (g & 63);
		}
}

/* 0 when the text lacks a gram of a rule's literals, so cannot match it. */
static int subject_has_grams(const struct subject *sj, const struct rule *ru)
{
	for (size_t i = 0; i < ru->ngrams; i++)
		if (!(sj->grams[ru->grams[i] >> 6] >> (ru->grams[i] & 63) & 1))
			return 0;
	return 1;
}

/* Why does a rule not match?  NULL when it does; "" with *limit_hit set when
 * its pattern hit the limit. */
#define WHY(...) (wn ? (snprintf(why, wn, __VA_ARGS__), why) : "")

static const char *rule_miss(const struct router *rt, const struct rule *ru,
			     const struct kase *k, const struct subject *sj,
			     char *why, size_t wn, int *limit_hit)
{
	if (ru->kind >= 0 && ru->kind != k->ikind) {
		return WHY("kind %s is not %s", k->kind,
			 ru->kind == TAX_COMPONENT ? "component" : "event");
	}
	if (ru->cmode != CLS_ANY) {
		int hit = 0;
		const char *code = k->class_code ? k->class_code : "";
		switch (ru->cmode) {
		case CLS_CODE:
			hit = strcmp(code, ru->cls) == 0;
			break;
		case CLS_PREFIX:
			hit = strncmp(code, ru->cls, strlen(ru->cls)) == 0;
			break;
		case CLS_NAME:
			hit = str_eq(k->small_class, ru->cls) ||
			      (k->big_class && lei(k->big_class) == lei(ru->cls) &&
			       strncmp(k->big_class, ru->cls, lei(ru->cls)) == 0);
			break;
		case CLS_ANY:
			break;
		}
		if (!hit) {
			return WHY("class %s is not %s%s",
				 k->class_code ? k->class_code
					       : k->small_class ? k->small_class : "(none)",
				 ru->cls, ru->cmode == CLS_PREFIX ? "*" : "");
		}
	}
	if (ru->street && !str_eq(k->street, ru->street)) {
		return WHY("street %s is not %s", k->street ? k->street : "(none)",
			 ru->street);
	}
	if (ru->re) {
		int rc;
		if (!sj->utf8_ok) {
			return WHY("the text is not valid UTF-8");
		}
		if (!subject_has_grams(sj, ru)) {
			return WHY("text does not match /%s/", ru->text);
		}
		/* the subject was checked for UTF-8 once, for all the rules */
		rc = ru->jit ? pcre2_jit_match(ru->re, (PCRE2_SPTR)sj->text.s, sj->text.len, 0, 0,
					       rt->md, rt->mctx)
			     : pcre2_match(ru->re, (PCRE2_SPTR)sj->text.s, sj->text.len, 0,
					   PCRE2_NO_UTF_CHECK, rt->md, rt->mctx);
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
		    rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
			*limit_hit = 1;
			return WHY("pattern hit the match limit");
		}
		if (rc < 0) {
			return WHY("text does not match /%s/", ru->text);
		}
	}
	return NULL;
}

static const char *owner_of(const struct router *rt, const char *object_id)
{
	size_t lo = 0, hi = rt->nowners;
	if (!object_id)
		return NULL;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(rt->owners[mid].object_id, object_id);
		if (c == 0)
			return rt->owners[mid].unit;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- runs ---------------------------------------------------------------- */

/* A case routed, waiting in route_run to be written with others. */
struct routed {
	sqlite3_int64 rowid;
	char *id;
	const char *state, *step, *unit, *rule;
	int reported;             /* register it before its action */
	char due[TIMEPARSE_TEXT_LEN];
};

/* Cases written per statement (see write_routed()). */
#define ROUTED_MAX 64

struct route_run {
	struct db *db;
	struct router *rt;
	const struct route_opts *o;
	int zone;
	char at_text[TIMEPARSE_TEXT_LEN];
	char now_text[TIMEPARSE_TEXT_LEN];
	sqlite3_int64 batch;
	int in_tx;
	long errors, refused, done;
	int db_failed;            /* a statement failed: never commit */
	/* rows to print after the commit: NUL-separated fields */
	struct buf rows;
	size_t nrows;
	const struct out_col *cols;
	size_t ncols;
	struct zout *rejz;
	struct buf rej_header;
	struct routed routed[ROUTED_MAX];
	size_t nrouted;
};

static const struct out_col dispatch_cols[] = {
	{ "id", OUT_STR, "编号" }, { "unit", OUT_STR, "处置单位" }, { "due_at", OUT_STR, "处置时限" },
	{ "rule", OUT_STR, "规则" }, { "state", OUT_STR, "状态" },
};
static const struct out_col event_cols[] = {
	{ "id", OUT_STR, "编号" }, { "step", OUT_STR, "步骤" }, { "state", OUT_STR, "状态" },
	{ "at", OUT_STR, "时间" },
};
static const struct out_col overdue_cols[] = {
	{ "id", OUT_STR, "编号" }, { "unit", OUT_STR, "处置单位" }, { "state", OUT_STR, "状态" },
	{ "due_at", OUT_STR, "处置时限" }, { "overdue_working_hours", OUT_NUM, "超期工作时" },
	{ "overdue_hours", OUT_NUM, "超期小时" },
};

static void keep_row(struct route_run *r, const char *const *v)
{
	for (size_t i = 0; i < r->ncols; i++) {
		/* \1 marks no value */
		if (v[i])
			buf_adds(&r->rows, v[i]);
		else
			buf_addc(&r->rows, '\1');
		buf_addc(&r->rows, '\0');
	}
	r->nrows++;
}

struct route_run *route_begin(struct db *d, const struct router *rt,
			      const struct route_opts *o, int *status)
{
	struct route_run *r = xcalloc(1, sizeof *r);
	sqlite3_stmt *st;

	*status = 0;
	r->db = d;
	r->rt = (struct router *)rt;
	r->o = o;
	r->zone = db_zone_min(d);
	timeparse_format(o->at, r->zone, r->at_text);
	timeparse_format((int64_t)time(NULL), r->zone, r->now_text);
	switch (o->mode) {
	case ROUTE_DISPATCH:
	case ROUTE_EXPLAIN:
		r->cols = dispatch_cols;
		r->ncols = ARRAY_SIZE(dispatch_cols);
		break;
	case ROUTE_EVENTS:
		r->cols = event_cols;
		r->ncols = ARRAY_SIZE(event_cols);
		break;
	case ROUTE_OVERDUE:
		r->cols = overdue_cols;
		r->ncols = ARRAY_SIZE(overdue_cols);
		break;
	}
	if (o->rejects) {
		r->rejz = zout_open_output(o->rejects, status);
		if (!r->rejz) {
			free(r);
			return NULL;
		}
	}
	if (o->mode == ROUTE_DISPATCH || o->mode == ROUTE_EVENTS) {
		/* a run may touch every case: keep its pages in memory rather
		 * than spill them to the WAL again and again */
		db_exec(d, "PRAGMA cache_size = -32768");
		/* each UPDATE of a case keeps a statement journal of the pages it
		 * touches: in memory, not as a million writes to a temp file */
		db_exec(d, "PRAGMA temp_store = MEMORY");
		if (db_begin(d) != SQLITE_OK) {
			*status = db_fail(d, d->path);
			zout_close(r->rejz);
			free(r);
			return NULL;
		}
		r->in_tx = 1;
		if (sqlite3_prepare_v2(d->h, "INSERT INTO batches(tool, source, started_at)"
				       " VALUES ('case-route', ?1, ?2)", -1, &st, NULL) != SQLITE_OK) {
			*status = db_fail(d, d->path);
			db_rollback(d);
			zout_close(r->rejz);
			free(r);
			return NULL;
		}
		sqlite3_bind_text(st, 1, o->mode == ROUTE_EVENTS ? "events" : "dispatch", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->now_text, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			*status = db_fail(d, d->path);
			db_rollback(d);
			zout_close(r->rejz);
			free(r);
			return NULL;
		}
		sqlite3_finalize(st);
		r->batch = sqlite3_last_insert_rowid(d->h);
	}
	return r;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static void kase_free(struct kase *k)
{
	free(k->id);
	free(k->kind);
	free(k->class_code);
	free(k->big_class);
	free(k->small_class);
	free(k->street);
	free(k->description);
	free(k->address);
	free(k->object_id);
	free(k->state);
	free(k->unit);
	free(k->last_at);
	memset(k, 0, sizeof *k);
}

/* The columns routing needs, as kase_row() reads them. */
#define KASE_COLS                                                              \
	"rowid, id, kind, class_code, big_class, small_class, street,"         \
	" description, address, object_id, state, unit,"                      \
	" (SELECT max(at) FROM case_events WHERE case_id = cases.id)"

static void kase_row(sqlite3_stmt *st, struct kase *k)
{
	k->rowid = sqlite3_column_int64(st, 0);
	k->id = col_dup(st, 1);
	k->kind = col_dup(st, 2);
	k->class_code = col_dup(st, 3);
	k->big_class = col_dup(st, 4);
	k->small_class = col_dup(st, 5);
	k->street = col_dup(st, 6);
	k->description = col_dup(st, 7);
	k->address = col_dup(st, 8);
	k->object_id = col_dup(st, 9);
	k->state = col_dup(st, 10);
	k->unit = col_dup(st, 11);
	k->last_at = col_dup(st, 12);
	k->ikind = k->kind && strcmp(k->kind, "component") == 0 ? TAX_COMPONENT : TAX_EVENT;
}

/* 1 found, 0 not, -1 error */
static int kase_load(struct route_run *r, const char *id, struct kase *k)
{
	static const char sql[] = "SELECT " KASE_COLS " FROM cases WHERE id = ?1";
	sqlite3_stmt *st = db_stmt(r->db, sql);
	int rc;

	memset(k, 0, sizeof *k);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	kase_row(st, k);
	sqlite3_reset(st);
	return 1;
}

static void class_limit(struct route_run *r, const struct kase *k,
			struct cal_limit *lim)
{
	const struct tax_class *c = NULL;
	int amb;

	*lim = r->o->default_limit;
	if (k->class_code)
		c = tax_by_code(r->o->tax, (enum tax_kind)k->ikind, k->class_code,
				strlen(k->class_code), &amb);
	if (!c && k->small_class)
		c = tax_by_name(r->o->tax, (enum tax_kind)k->ikind, k->small_class,
				strlen(k->small_class), &amb);
	if (!c)
		return;
	lim->n = c->limit;
	lim->unit = c->basis == BASIS_WORKING_HOURS ? CAL_WORKING_HOURS
		  : c->basis == BASIS_WORKING_DAYS ? CAL_WORKING_DAYS
						   : CAL_HOURS;
}

static void due_text(struct route_run *r, int64_t at, const struct cal_limit *lim,
		     char out[TIMEPARSE_TEXT_LEN])
{
	int64_t local = at + (int64_t)r->zone * 60;
	int64_t due = cal_apply_limit(r->o->cal, local, lim);
	if (due == CAL_NEVER) {
		out[0] = '\0'; /* no working time ahead: no deadline */
		return;
	}
	timeparse_format(due - (int64_t)r->zone * 60, r->zone, out);
}

static int add_event(struct route_run *r, const char *id, const char *step,
		     const char *at, const char *actor, const char *unit,
		     const char *note, const char *rule)
{
	static const char sql[] =
		"INSERT OR FAIL INTO case_events(case_id, step, at, actor, unit, note, rule, batch_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = db_stmt(r->db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, step, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
	if (actor)
		sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
	if (unit)
		sqlite3_bind_text(st, 5, unit, -1, SQLITE_STATIC);
	if (note)
		sqlite3_bind_text(st, 6, note, -1, SQLITE_STATIC);
	if (rule)
		sqlite3_bind_text(st, 7, rule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, r->batch);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static const char *action_state(enum action a)
{
	return a == ACT_DISPATCH ? "dispatched" : a == ACT_PARK ? "parked" : "closed";
}

static const char *action_step(enum action a)
{
	return a == ACT_DISPATCH ? "dispatch" : a == ACT_PARK ? "park" : "self_dispose";
}

/*
 * Routed cases are written a batch at a time: one UPDATE ... FROM (VALUES
 * ...) for ROUTED_MAX cases and one INSERT for their events cost much less
 * than a statement per row, which SQLite pays for in a statement journal,
 * cursors opened and closed, and a temporary b-tree to check the IN list of
 * the state column's CHECK constraint (100,000 cases: 2.8 s -> 2.1 s).  Rows
 * left over go through the one-row form of each statement, in which VALUES
 * would only cost a temporary table.  Rows land in the order given, so the
 * events get the ids they would get one at a time.
 *
 * Parameters: ?1 the time of the run, ?2 the batch, ?3 now (UPDATE only),
 * then per row: rowid, state, unit, due_at (UPDATE) or case, step, unit,
 * rule (INSERT).
 */
#define TWICE(s) s "," s
#define ROUTED_VALUES TWICE(TWICE(TWICE(TWICE(TWICE(TWICE("(?,?,?,?)"))))))
#if ROUTED_MAX != 64
#error "ROUTED_VALUES holds 64 rows: keep it with ROUTED_MAX"
#endif

#define UPDATE_ROUTED(state, unit, due)                                        \
	"UPDATE OR FAIL cases SET state = " state ", unit = " unit ","          \
	" due_at = " due ", registered_at = coalesce(registered_at, ?1),"       \
	" dispatched_at = CASE WHEN " state " = 'dispatched' THEN ?1 ELSE dispatched_at END," \
	" closed_at = CASE WHEN " state " = 'closed' THEN ?1 ELSE closed_at END," \
	" self_disposed = CASE WHEN " state " = 'closed' THEN 1 ELSE self_disposed END," \
	" batch_id = ?2, updated_at = ?3"
#define INSERT_EVENTS "INSERT OR FAIL INTO case_events(case_id, step, at, unit, rule, batch_id)"

static const char update_one[] = UPDATE_ROUTED("?5", "?6", "?7") " WHERE rowid = ?4";
static const char update_many[] =
	UPDATE_ROUTED("v.column2", "v.column3", "v.column4")
	" FROM (VALUES " ROUTED_VALUES ") AS v WHERE cases.rowid = v.column1";
static const char events_one[] = INSERT_EVENTS " VALUES (?3, ?4, ?1, ?5, ?6, ?2)";
static const char events_many[] =
	INSERT_EVENTS " SELECT column1, column2, ?1, column3, column4, ?2"
	" FROM (VALUES " ROUTED_VALUES ")";

/* One event to insert: row i of the batch, its register step or not. */
struct routed_event {
	const struct routed *c;
	int register_step;
};

static void bind_routed(sqlite3_stmt *st, int p, const void *row)
{
	const struct routed *c = row;

	sqlite3_bind_int64(st, p, c->rowid);
	sqlite3_bind_text(st, p + 1, c->state, -1, SQLITE_STATIC);
	if (c->unit)
		sqlite3_bind_text(st, p + 2, c->unit, -1, SQLITE_STATIC);
	if (c->due[0])
		sqlite3_bind_text(st, p + 3, c->due, -1, SQLITE_STATIC);
}

static void bind_event(sqlite3_stmt *st, int p, const void *row)
{
	const struct routed_event *e = row;

	sqlite3_bind_text(st, p, e->c->id, -1, SQLITE_STATIC);
	if (e->register_step) {
		sqlite3_bind_text(st, p + 1, "register", -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(st, p + 1, e->c->step, -1, SQLITE_STATIC);
		if (e->c->unit)
			sqlite3_bind_text(st, p + 2, e->c->unit, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, p + 3, e->c->rule, -1, SQLITE_STATIC);
}

/* Run sql_many over the rows ROUTED_MAX at a time, then sql_one over each
 * row left: nfixed parameters (see above), then 4 per row.  0 or -1. */
static int exec_rows(struct route_run *r, const char *sql_many, const char *sql_one,
		     int nfixed, const void *rows, size_t size, size_t n,
		     void (*bind)(sqlite3_stmt *, int, const void *))
{
	const char *p = rows;

	while (n) {
		size_t k = n >= ROUTED_MAX ? ROUTED_MAX : 1;
		sqlite3_stmt *st = db_stmt(r->db, k > 1 ? sql_many : sql_one);
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, r->at_text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, r->batch);
		if (nfixed > 2)
			sqlite3_bind_text(st, 3, r->now_text, -1, SQLITE_STATIC);
		for (size_t i = 0; i < k; i++)
			bind(st, nfixed + 1 + 4 * (int)i, p + i * size);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
		p += k * size;
		n -= k;
	}
	return 0;
}

/* Write the cases routed so far and keep their rows for the output. */
static int write_routed(struct route_run *r)
{
	struct routed_event ev[2 * ROUTED_MAX];
	size_t nev = 0;
	int ret = 0;

	for (size_t i = 0; i < r->nrouted; i++) {
		if (r->routed[i].reported)
			ev[nev++] = (struct routed_event){ &r->routed[i], 1 };
		ev[nev++] = (struct routed_event){ &r->routed[i], 0 };
	}
	if (exec_rows(r, update_many, update_one, 3, r->routed, sizeof *r->routed,
		      r->nrouted, bind_routed) < 0 ||
	    exec_rows(r, events_many, events_one, 2, ev, sizeof *ev, nev, bind_event) < 0) {
		ret = db_fail(r->db, r->db->path);
		r->db_failed = 1;
	}
	for (size_t i = 0; i < r->nrouted; i++) {
		struct routed *c = &r->routed[i];
		const char *v[5] = { c->id, c->unit, c->due[0] ? c->due : NULL, c->rule,
				     c->state };
		if (!ret) {
			keep_row(r, v);
			r->done++;
		}
		free(c->id);
	}
	r->nrouted = 0;
	return ret;
}

/* Queue a case routed, taking its id; a full batch is written at once. */
static int routed_add(struct route_run *r, struct kase *k, enum action act,
		      const char *unit, const char due[TIMEPARSE_TEXT_LEN], const char *rule)
{
	struct routed *c = &r->routed[r->nrouted++];

	c->rowid = k->rowid;
	c->id = k->id;
	k->id = NULL;
	c->state = action_state(act);
	c->step = action_step(act);
	c->unit = unit;
	c->rule = rule;
	c->reported = strcmp(k->state, "reported") == 0;
	memcpy(c->due, due, TIMEPARSE_TEXT_LEN);
	return r->nrouted == ROUTED_MAX ? write_routed(r) : 0;
}

static int route_kase(struct route_run *r, struct kase *kp);

int route_case(struct route_run *r, const char *id)
{
	struct kase k;
	int rc = kase_load(r, id, &k);

	if (rc < 0)
		return db_fail(r->db, r->db->path);
	if (rc == 0) {
		msg_err("no case '%s' in the store", id);
		r->errors++;
		return 0;
	}
	/* written at once: the same id may come again */
	rc = route_kase(r, &k);
	return rc ? rc : write_routed(r);
}

/* The first rule that matches a case, or NULL; with --explain, why each
 * rule before it does not.  A pattern that hits the match limit is an error
 * on the case: *limit_hit is set and no rule is returned. */
static const struct rule *first_rule(struct route_run *r, const struct kase *k,
				     int *limit_hit)
{
	const struct router *rt = r->rt;
	const int explain = r->o->mode == ROUTE_EXPLAIN;
	const struct rule *hit = NULL;
	struct subject sj;
	char why[512];

	subject_init(&sj, rt, k);
	for (size_t i = 0; i < rt->nrules && !hit; i++) {
		const struct rule *ru = &rt->rules[i];
		const char *miss = rule_miss(rt, ru, k, &sj, why,
					     explain ? sizeof why : 0, limit_hit);
		if (*limit_hit) {
			msg_err("%s:%ld: rule '%s': pattern hit the match limit on case '%s'",
				rt->rules_path, ru->line, ru->name, k->id);
			r->errors++;
			break;
		}
		if (!miss)
			hit = ru;
		else if (explain)
			printf("  no   rule %ld '%s' (%s:%ld): %s\n", ru->prio, ru->name,
			       rt->rules_path, ru->line, miss);
	}
	buf_free(&sj.text);
	return hit;
}

/* Route a case loaded; frees it. */
static int route_kase(struct route_run *r, struct kase *kp)
{
	struct router *rt = r->rt;
	struct kase k = *kp;
	const char *id = k.id;
	const struct rule *hit = NULL;
	const char *unit = NULL, *rule_name = NULL;
	enum action act = ACT_PARK;
	struct cal_limit lim;
	char due[TIMEPARSE_TEXT_LEN] = "";
	int limit_hit = 0, ret = 0;
	long rule_line = 0;
	const int explain = r->o->mode == ROUTE_EXPLAIN;

	if (strcmp(k.state, "registered") != 0 && strcmp(k.state, "parked") != 0 &&
	    strcmp(k.state, "reported") != 0) {
		msg_warn("case '%s' is %s: not dispatched", id, k.state);
		r->refused++;
		goto out;
	}
	if (!explain && k.last_at && strcmp(r->at_text, k.last_at) < 0) {
		msg_err("case '%s': %s is before its last event %s", id, r->at_text, k.last_at);
		r->errors++;
		goto out;
	}
	if (explain)
		printf("%s:\n", id);
	if (k.ikind == TAX_COMPONENT && (unit = owner_of(rt, k.object_id)) != NULL) {
		act = ACT_DISPATCH;
		rule_name = "owner";
		class_limit(r, &k, &lim);
		if (explain)
			printf("  owner of component %s: %s\n", k.object_id, unit);
	} else {
		hit = first_rule(r, &k, &limit_hit);
		if (limit_hit)
			goto out;
		if (hit) {
			act = hit->action;
			unit = hit->unit;
			rule_name = hit->name;
			rule_line = hit->line;
			if (hit->has_limit)
				lim = hit->limit;
			else
				class_limit(r, &k, &lim);
		} else {
			act = ACT_PARK;
			rule_name = "unmatched";
		}
	}
	if (act == ACT_DISPATCH)
		due_text(r, r->o->at, &lim, due);
	if (explain) {
		if (hit)
			printf("  yes  rule %ld '%s' (%s:%ld): %s%s%s%s%s\n", hit->prio,
			       hit->name, rt->rules_path, rule_line,
			       act == ACT_DISPATCH ? "dispatch to " : act == ACT_PARK ? "park" : "self-dispose",
			       act == ACT_DISPATCH ? unit : "",
			       act == ACT_DISPATCH ? ", due " : "", due, "");
		else if (strcmp(rule_name, "owner") == 0)
			printf("  yes  owner: dispatch to %s, due %s\n", unit, due);
		else
			printf("  no rule matches: park for coordination\n");
		goto out;
	}
	ret = routed_add(r, &k, act, unit, due, rule_name);
out:
	kase_free(&k);
	return ret;
}

/* Every registered case without a unit, in table order, a chunk at a time:
 * the rows come with what routing needs, so no case is read twice, and
 * routed cases no longer match, so the next chunk starts after the last. */
int route_pending(struct route_run *r)
{
	static const char sql[] =
		"SELECT " KASE_COLS " FROM cases WHERE state = 'registered'"
		" AND unit IS NULL AND rowid > ?1 ORDER BY rowid LIMIT 256";
	struct kase chunk[256];
	sqlite3_int64 last = 0;
	size_t n;
	int rc, ret = 0;

	/* in table order, a page is done with once the walk leaves it: a small
	 * cache recycles its pages where route_begin()'s big one would allocate
	 * thousands only to write them at the commit (2.1 s -> 1.9 s for
	 * 100,000 cases) */
	db_exec(r->db, "PRAGMA cache_size = -4096");
	do {
		sqlite3_stmt *st = db_stmt(r->db, sql);
		if (!st)
			return db_fail(r->db, r->db->path);
		sqlite3_bind_int64(st, 1, last);
		n = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			memset(&chunk[n], 0, sizeof chunk[n]);
			kase_row(st, &chunk[n]);
			last = chunk[n].rowid;
			n++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			ret = db_fail(r->db, r->db->path);
			r->db_failed = 1;
		}
		for (size_t i = 0; i < n; i++) {
			if (!ret)
				ret = route_kase(r, &chunk[i]);
			else
				kase_free(&chunk[i]);
		}
		if (!ret)
			ret = write_routed(r);
	} while (!ret && n == ARRAY_SIZE(chunk));
	return ret;
}

/* ---- workflow events ------------------------------------------------------- */

enum step {
	STEP_REGISTER, STEP_DISPATCH, STEP_SIGN, STEP_HANDLE, STEP_CLOSE,
	STEP_RETURN, STEP_POSTPONE, STEP_REWORK, STEP_PARK, STEP_VOID,
	STEP_SELF_DISPOSE, NSTEPS
};

struct step_def {
	const char *en, *zh;
	const char *from;    /* space-separated states */
	const char *to;
};

/* DESIGN §5's legal moves */
static const struct step_def steps[NSTEPS] = {
	[STEP_REGISTER] = { "register", "立案", " reported ", "registered" },
	[STEP_DISPATCH] = { "dispatch", "派遣", " registered parked ", "dispatched" },
	[STEP_SIGN] = { "sign", "签收", " dispatched ", "handling" },
	[STEP_HANDLE] = { "handle", "处置", " handling ", "handled" },
	[STEP_CLOSE] = { "close", "结案", " handled ", "closed" },
	[STEP_RETURN] = { "return", "退回", " dispatched ", "registered" },
	[STEP_POSTPONE] = { "postpone", "延期", " dispatched ", "dispatched" },
	[STEP_REWORK] = { "rework", "返工", " handled ", "dispatched" },
	[STEP_PARK] = { "park", "缓办", " registered ", "parked" },
	[STEP_VOID] = { "void", "作废", " reported registered ", "void" },
	[STEP_SELF_DISPOSE] = { "self_dispose", "自行处置", " reported ", "closed" },
};

static int parse_step(const char *s)
{
	for (int i = 0; i < NSTEPS; i++)
		if (strcasecmp(s, steps[i].en) == 0 || strcmp(s, steps[i].zh) == 0)
			return i;
	return -1;
}

static int legal_from(const struct step_def *d, const char *state)
{
	char pat[32];
	snprintf(pat, sizeof pat, " %s ", state);
	return strstr(d->from, pat) != NULL;
}

static void write_reject(struct route_run *r, struct rec_src *s, long line,
			 const char *reason)
{
	struct buf l = BUF_INIT, h = BUF_INIT;
	if (!r->rejz)
		return;
	rec_header_csv(s, &h);
	buf_adds(&h, ",reject_file,reject_line,reject_reason");
	if (!r->rej_header.s || strcmp(r->rej_header.s, h.s) != 0) {
		zout_write(r->rejz, h.s, h.len);
		zout_write(r->rejz, "\n", 1);
		buf_reset(&r->rej_header);
		buf_add(&r->rej_header, h.s, h.len);
	}
	rec_raw_csv(s, &l);
	buf_addc(&l, ',');
	csvio_quote(&l, rec_name(s), strlen(rec_name(s)), ',');
	buf_addf(&l, ",%ld,", line);
	csvio_quote(&l, reason, strlen(reason), ',');
	buf_addc(&l, '\n');
	zout_write(r->rejz, l.s, l.len);
	buf_free(&l);
	buf_free(&h);
}

enum { EV_ID, EV_STEP, EV_AT, EV_ACTOR, EV_UNIT, EV_DUE, EV_NOTE, EV_N };

static const struct rec_field event_fields[EV_N] = {
	[EV_ID] = { "id", "案件编号|案卷编号|编号|case_id" },
	[EV_STEP] = { "step", "步骤|环节|操作" },
	[EV_AT] = { "at", "时间|操作时间|发生时间" },
	[EV_ACTOR] = { "actor", "操作人|人员|经办人" },
	[EV_UNIT] = { "unit", "单位|处置单位|责任单位" },
	[EV_DUE] = { "due", "时限|处置时限|新时限|due_at" },
	[EV_NOTE] = { "note", "备注|说明|意见" },
};

/* Apply one event row; returns NULL, or the reason it is refused (in why). */
static const char *apply_event(struct route_run *r, char *const *v, char *why,
			       size_t wn, const char **state_out, char at[TIMEPARSE_TEXT_LEN])
{
	struct timeparse_opts tpo = { NULL, r->zone };
	int64_t t;
	const char *reason;
	int si;
	struct kase k;
	const struct step_def *d;
	char due[TIMEPARSE_TEXT_LEN] = "";
	const char *unit = NULL;
	int rc;

	if (!v[EV_ID])
		return "missing id";
	if (!v[EV_STEP])
		return "missing step";
	if ((si = parse_step(v[EV_STEP])) < 0) {
		snprintf(why, wn, "unknown step '%s'", v[EV_STEP]);
		return why;
	}
	d = &steps[si];
	if (!v[EV_AT])
		return "missing at";
	if (timeparse_parse(v[EV_AT], strlen(v[EV_AT]), &tpo, &t, &reason) < 0) {
		snprintf(why, wn, "at '%s': %s", v[EV_AT], reason);
		return why;
	}
	timeparse_format(t, r->zone, at);
	rc = kase_load(r, v[EV_ID], &k);
	if (rc < 0)
		return "the store failed";
	if (rc == 0) {
		snprintf(why, wn, "no case '%s' in the store", v[EV_ID]);
		return why;
	}
	if (!legal_from(d, k.state)) {
		snprintf(why, wn, "case '%s' is %s: cannot '%s'", k.id, k.state, d->en);
		kase_free(&k);
		return why;
	}
	if (k.last_at && strcmp(at, k.last_at) < 0) {
		snprintf(why, wn, "case '%s': event at %s is before its last event %s",
			 k.id, at, k.last_at);
		kase_free(&k);
		return why;
	}
	if (v[EV_DUE]) {
		struct cal_limit lim;
		int64_t dt;
		if (cal_parse_limit(v[EV_DUE], &lim) == 0)
			due_text(r, t, &lim, due);
		else if (timeparse_parse(v[EV_DUE], strlen(v[EV_DUE]), &tpo, &dt, &reason) == 0)
			timeparse_format(dt, r->zone, due);
		else {
			snprintf(why, wn, "due '%s' is neither a time nor a limit", v[EV_DUE]);
			kase_free(&k);
			return why;
		}
	}
	if (si == STEP_POSTPONE && !due[0]) {
		snprintf(why, wn, "case '%s': postpone needs the new due", k.id);
		kase_free(&k);
		return why;
	}
	unit = v[EV_UNIT] ? v[EV_UNIT] : k.unit;
	if (si == STEP_DISPATCH) {
		if (!unit) {
			snprintf(why, wn, "case '%s': dispatch needs a unit", k.id);
			kase_free(&k);
			return why;
		}
		if (!due[0]) {
			struct cal_limit lim;
			class_limit(r, &k, &lim);
			due_text(r, t, &lim, due);
		}
	}
	{
		static const char sql[] =
			"UPDATE OR FAIL cases SET state = ?2, updated_at = ?3, batch_id = ?4,"
			" registered_at = CASE WHEN ?5 = 'register' THEN ?6 ELSE registered_at END,"
			" dispatched_at = CASE WHEN ?5 = 'dispatch' THEN ?6 ELSE dispatched_at END,"
			" handled_at = CASE WHEN ?5 = 'handle' THEN ?6 ELSE handled_at END,"
			" closed_at = CASE WHEN ?5 IN ('close', 'self_dispose') THEN ?6 ELSE closed_at END,"
			" self_disposed = CASE WHEN ?5 = 'self_dispose' THEN 1 ELSE self_disposed END,"
			" unit = CASE WHEN ?5 = 'return' THEN NULL WHEN ?5 = 'dispatch' THEN ?7 ELSE unit END,"
			" due_at = CASE WHEN ?5 = 'return' THEN NULL WHEN ?8 IS NOT NULL THEN ?8 ELSE due_at END,"
			" reworks = reworks + (?5 = 'rework'),"
			" postponements = postponements + (?5 = 'postpone')"
			" WHERE id = ?1";
		sqlite3_stmt *st = db_stmt(r->db, sql);
		if (!st) {
			kase_free(&k);
			return "the store failed";
		}
		sqlite3_bind_text(st, 1, k.id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, d->to, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->now_text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, r->batch);
		sqlite3_bind_text(st, 5, d->en, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
		if (unit)
			sqlite3_bind_text(st, 7, unit, -1, SQLITE_TRANSIENT);
		if (due[0])
			sqlite3_bind_text(st, 8, due, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE ||
		    add_event(r, k.id, d->en, at, v[EV_ACTOR],
			      si == STEP_DISPATCH || v[EV_UNIT] ? unit : NULL,
			      v[EV_NOTE], NULL) < 0) {
			kase_free(&k);
			return "the store failed";
		}
	}
	*state_out = d->to;
	kase_free(&k);
	return NULL;
}

int route_events(struct route_run *r, const char *path)
{
	struct rec_opts ro = { (enum rec_fmt)r->o->co->input_format,
			       r->o->co->encoding, NULL, 0, NULL, 0 };
	struct rec_src *s;
	struct rec in;
	int st, rc;
	long bad = 0;

	s = rec_open(path, event_fields, EV_N, &ro, &st);
	if (!s)
		return st;
	while ((rc = rec_next(s, &in)) != 0) {
		char *v[EV_N];
		char why[512], at[TIMEPARSE_TEXT_LEN];
		const char *reason, *state = NULL;

		if (rc < 0) {
			rec_close(s);
			return rec_status(s);
		}
		for (int i = 0; i < EV_N; i++)
			v[i] = rc == 1 && in.v[i] ? dupv(in.v[i], in.len[i]) : NULL;
		reason = rc == 2 ? in.reason : apply_event(r, v, why, sizeof why, &state, at);
		if (reason && strcmp(reason, "the store failed") == 0) {
			r->db_failed = 1;
			for (int i = 0; i < EV_N; i++)
				free(v[i]);
			rec_close(s);
			return db_fail(r->db, path);
		}
		if (reason) {
			msg_errat(rec_name(s), in.line, "%s", reason);
			write_reject(r, s, in.line, reason);
			bad++;
		} else {
			const char *row[4] = { v[EV_ID], steps[parse_step(v[EV_STEP])].en, state, at };
			keep_row(r, row);
			r->done++;
		}
		for (int i = 0; i < EV_N; i++)
			free(v[i]);
	}
	rec_close(s);
	if (bad) {
		r->errors += bad;
		if (!r->o->keep_going)
			msg_err("%s: %ld bad row%s: nothing applied from this file", path, bad,
				bad == 1 ? "" : "s");
	}
	return 0;
}

/* ---- overdue ---------------------------------------------------------------- */

int route_overdue(struct route_run *r)
{
	sqlite3_stmt *st;
	int rc;
	struct timeparse_opts tpo = { NULL, r->zone };

	if (sqlite3_prepare_v2(r->db->h,
			       "SELECT id, unit, state, due_at FROM cases"
			       " WHERE state IN ('registered','dispatched','handling','handled')"
			       " AND due_at IS NOT NULL AND due_at < ?1 ORDER BY due_at, id",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(r->db, r->db->path);
	sqlite3_bind_text(st, 1, r->at_text, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *due = (const char *)sqlite3_column_text(st, 3);
		int64_t dt;
		char wh[32], h[32];
		const char *v[6];
		if (timeparse_parse(due, strlen(due), &tpo, &dt, NULL) < 0)
			continue;
		snprintf(wh, sizeof wh, "%.1f",
			 (double)cal_working_minutes_between(r->o->cal, dt + r->zone * 60,
							      r->o->at + r->zone * 60) / 60.0);
		snprintf(h, sizeof h, "%.1f", (double)(r->o->at - dt) / 3600.0);
		v[0] = (const char *)sqlite3_column_text(st, 0);
		v[1] = (const char *)sqlite3_column_text(st, 1);
		v[2] = (const char *)sqlite3_column_text(st, 2);
		v[3] = due;
		v[4] = wh;
		v[5] = h;
		keep_row(r, v);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(r->db, r->db->path);
}

/* ---- the end ---------------------------------------------------------------- */

static int print_rows(struct route_run *r)
{
	int st = 0;
	struct zout *z = zout_open_output(r->o->co->output, &st);
	struct out *o;
	const char *v[8];
	size_t off = 0;
	int failed;

	if (!z)
		return st;
	o = out_new(z, r->o->out_format, r->cols, r->ncols, r->o->co->bom ? OUT_F_BOM : 0);
	for (size_t i = 0; i < r->nrows; i++) {
		for (size_t c = 0; c < r->ncols; c++) {
			v[c] = r->rows.s[off] == '\1' ? NULL : r->rows.s + off;
			off += strlen(r->rows.s + off) + 1;
		}
		if (out_row(o, v, NULL) < 0)
			break;
	}
	failed = out_finish(o) < 0;
	out_free(o);
	return zout_finish(z, failed);
}

int route_end(struct route_run *r)
{
	int st = 0, commit;

	commit = r->in_tx && !r->o->co->dry_run && !r->db_failed &&
		 (r->errors == 0 || r->o->keep_going || r->o->mode == ROUTE_DISPATCH);
	if (r->in_tx) {
		static const char sql[] =
			"UPDATE batches SET finished_at = ?2, rows_read = ?3,"
			" rows_updated = ?4, rows_rejected = ?5, status = ?6 WHERE id = ?1";
		sqlite3_stmt *s = db_stmt(r->db, sql);
		if (s) {
			sqlite3_bind_int64(s, 1, r->batch);
			sqlite3_bind_text(s, 2, r->now_text, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 3, r->done + r->errors + r->refused);
			sqlite3_bind_int64(s, 4, r->done);
			sqlite3_bind_int64(s, 5, r->errors);
			sqlite3_bind_text(s, 6, r->errors ? "partial" : "ok", -1, SQLITE_STATIC);
			sqlite3_step(s);
		}
		if (commit) {
			if (db_commit(r->db) != SQLITE_OK) {
				st = db_fail(r->db, r->db->path);
				db_rollback(r->db);
				r->nrows = 0;
			}
		} else {
			db_rollback(r->db);
			if (!r->o->co->dry_run)
				r->nrows = 0; /* nothing landed: print nothing */
		}
	}
	if (r->o->mode != ROUTE_EXPLAIN && (r->nrows || r->o->mode == ROUTE_OVERDUE || commit)) {
		int p = print_rows(r);
		if (p && !st)
			st = p;
	}
	if (r->o->mode == ROUTE_DISPATCH)
		msg_info("%ld routed, %ld refused, %ld failed%s", r->done, r->refused,
			 r->errors, r->o->co->dry_run ? " (dry run: nothing written)" : "");
	else if (r->o->mode == ROUTE_EVENTS)
		msg_info("%ld events applied, %ld refused%s", commit ? r->done : 0, r->errors,
			 r->o->co->dry_run ? " (dry run: nothing written)" : "");
	/* with --keep-going, refused event rows were asked for: not a failure */
	if (!st && r->errors && !(r->o->keep_going && r->o->mode == ROUTE_EVENTS))
		st = EXIT_DATA_ERR;
	if (r->rejz) {
		int rs = zout_finish(r->rejz, 0);
		if (rs && !st)
			st = rs;
	}
	buf_free(&r->rej_header);
	buf_free(&r->rows);
	free(r);
	return st;
}
