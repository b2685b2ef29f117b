#include "common.h"

#include <strings.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sqlite3.h>

#include "batch.h"
#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "csvio.h"
#include "db.h"
#include "encoding.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "case/case.h"
#include "case/route.h"
#include "spool.h"
#include "strnum.h"
#include "text.h"
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
	struct calendar_limit limit;
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
	int units_file;        /* a units file was read */
	int bad;               /* some line was bad */
	int screens;           /* some rule has grams */
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	pcre2_jit_stack *jstack;
};

/* ---- loading ------------------------------------------------------------- */

/* The name of the unit s names by code or name, or NULL: with a units
 * file, a rule or owner may name only its units, and the store always gets
 * the name (县住建局), never the code (ZJJ).  Without one (a caller that
 * only asks which rule places a record, as hotline-sync does) any name is
 * taken as given: case-route requires the file before it routes. */
static const char *unit_lookup(const struct router *rt, const char *s)
{
	if (!rt->units_file)
		return s;
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
	char *name = v[1] ? text_dup_trimmed(v[1], len[1]) : NULL;

	if (!name) {
		msg_errat(file, line, "a unit needs a name");
		return -1;
	}
	XGROW(rt->units, rt->nunits + 1, rt->unitcap);
	rt->units[rt->nunits].code = v[0] ? text_dup_trimmed(v[0], len[0]) : NULL;
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
	char *id = v[0] ? text_dup_trimmed(v[0], len[0]) : NULL;
	char *u = v[1] ? text_dup_trimmed(v[1], len[1]) : NULL;
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
	enum taxonomy_kind k = kind < 0 ? TAXONOMY_ANY : (enum taxonomy_kind)kind;
	int amb;

	if (m == CLS_PREFIX) {
		for (size_t i = 0; i < taxonomy_count(t); i++) {
			const struct taxonomy_class *x = taxonomy_get(t, i);
			if ((kind < 0 || (int)x->kind == kind) && strncmp(x->code, c, n) == 0)
				return 1;
		}
		return 0;
	}
	if (m == CLS_CODE)
		return taxonomy_by_code(t, k, c, n, &amb) != NULL || amb;
	return taxonomy_by_name(t, k, c, n, &amb) != NULL || amb ||
	       taxonomy_big_class(t, k, c, n) != NULL;
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

/* A rule's columns, trimmed (NULL when empty), as the row reads them. */
enum { RU_PRIORITY, RU_NAME, RU_KIND, RU_CLASS, RU_TEXT, RU_STREET, RU_UNIT,
       RU_LIMIT, RU_ACTION, RU_N };

/* Each rule_* below reads some columns into ru, taking the strings it
 * keeps (v[i] set to NULL); 0, or -1 after a message on the line. */
static int rule_priority_kind(struct rule *ru, char **v, const char *file, long line)
{
	const char *why;

	if (v[RU_PRIORITY]) {
		ru->prio = (long)strnum_ll(v[RU_PRIORITY], -1000000, 1000000, &why);
		if (why) {
			msg_errat(file, line, "priority '%s' is %s", v[RU_PRIORITY], why);
			return -1;
		}
	}
	if (v[RU_KIND]) {
		ru->kind = taxonomy_kind_parse(v[RU_KIND], strlen(v[RU_KIND]));
		if (ru->kind < 0) {
			msg_errat(file, line, "unknown kind '%s' (component or event)", v[RU_KIND]);
			return -1;
		}
	}
	return 0;
}

static int rule_class(struct router *rt, struct rule *ru, char **v, const char *file,
		      long line)
{
	char *c = v[RU_CLASS];
	size_t n;

	if (!c)
		return 0;
	n = strlen(c);
	if (n > 1 && c[n - 1] == '*') {
		ru->cmode = CLS_PREFIX;
		c[n - 1] = '\0';
	} else {
		ru->cmode = strspn(c, "0123456789") == n ? CLS_CODE : CLS_NAME;
	}
	ru->cls = c;
	v[RU_CLASS] = NULL;
	if (!class_known(rt->tax, ru->kind, ru->cls, ru->cmode)) {
		msg_errat(file, line, "unknown class '%s'", ru->cls);
		return -1;
	}
	return 0;
}

static int rule_pattern(struct rule *ru, char **v, const char *file, long line)
{
	int err;
	PCRE2_SIZE off;

	if (!v[RU_TEXT])
		return 0;
	ru->text = v[RU_TEXT];
	v[RU_TEXT] = NULL;
	ru->re = pcre2_compile((PCRE2_SPTR)ru->text, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
			       &err, &off, NULL);
	if (!ru->re) {
		PCRE2_UCHAR m[160];
		pcre2_get_error_message(err, m, sizeof m);
		msg_errat(file, line, "bad pattern at offset %zu: %s", (size_t)off,
			  (const char *)m);
		return -1;
	}
	ru->jit = pcre2_jit_compile(ru->re, PCRE2_JIT_COMPLETE) == 0;
	rule_screen(ru);
	return 0;
}

static int rule_action(struct router *rt, struct rule *ru, char **v, const char *file,
		       long line)
{
	int a, bad = 0;

	if (v[RU_UNIT]) {
		const char *name = unit_lookup(rt, v[RU_UNIT]);
		if (name)
			ru->unit = xstrdup(name);
		else
			bad = (msg_errat(file, line, "unknown unit '%s'", v[RU_UNIT]), 1);
	}
	if (v[RU_LIMIT]) {
		if (calendar_parse_limit(v[RU_LIMIT], &ru->limit) == 0)
			ru->has_limit = 1;
		else
			bad = (msg_errat(file, line, "bad limit '%s' (" CALENDAR_LIMIT_HELP ")",
					 v[RU_LIMIT]), 1);
	}
	if ((a = parse_action(v[RU_ACTION])) < 0) {
		msg_errat(file, line, "unknown action '%s' (dispatch, park or self)", v[RU_ACTION]);
		return -1;
	}
	ru->action = (enum action)a;
	return bad ? -1 : 0;
}

static int rule_row(void *ctx, const char *file, long line, const char *const *rv,
		    const size_t *len)
{
	struct router *rt = ctx;
	struct rule ru;
	char *v[RU_N];
	int bad;

	for (int i = 0; i < RU_N; i++)
		v[i] = rv[i] ? text_dup_trimmed(rv[i], len[i]) : NULL;
	memset(&ru, 0, sizeof ru);
	ru.line = line;
	ru.order = rt->nrules;
	ru.kind = -1;
	ru.name = v[RU_NAME] ? v[RU_NAME] : xstrdup("");
	v[RU_NAME] = NULL;
	/* every column is checked, so that one line shows all its problems */
	bad = rule_priority_kind(&ru, v, file, line) < 0;
	bad |= rule_class(rt, &ru, v, file, line) < 0;
	bad |= rule_pattern(&ru, v, file, line) < 0;
	ru.street = v[RU_STREET];
	v[RU_STREET] = NULL;
	bad |= rule_action(rt, &ru, v, file, line) < 0;
	if (!bad && ru.action == ACT_DISPATCH && !ru.unit) {
		msg_errat(file, line, "rule '%s' dispatches but names no unit", ru.name);
		bad = 1;
	}
	for (int i = 0; i < RU_N; i++)
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
	rt->units_file = o->units != NULL;
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
	rt->md = pcre2_match_data_create(4, NULL);
	if (!rt->mctx || !rt->md) {
		msg_err("out of memory for the pattern matcher");
		st = EXIT_SOFTWARE_ERR;
		goto fail;
	}
	pcre2_set_match_limit(rt->mctx, o->match_limit ? o->match_limit : 1000000);
	pcre2_set_depth_limit(rt->mctx, 10000);
	/* without a JIT stack of its own, JIT matching uses 32 KiB on the
	 * machine stack, and the depth limit still holds */
	rt->jstack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (rt->jstack)
		pcre2_jit_stack_assign(rt->mctx, NULL, rt->jstack);
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
	char *description, *address, *object_id, *state, *unit, *last_at, *due_at;
	int ikind;
};

/* Does a big class name the same class as a rule's, 类 or not? */
static int same_big_class(const char *big, const char *cls)
{
	size_t a = case_class_stem(big, strlen(big)), b = case_class_stem(cls, strlen(cls));
	return a == b && memcmp(big, cls, a) == 0;
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
			 ru->kind == TAXONOMY_COMPONENT ? "component" : "event");
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
			      (k->big_class && same_big_class(k->big_class, ru->cls));
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
	struct out *out;
	int zone;
	char at_text[TIMEPARSE_TEXT_LEN];
	char now_text[TIMEPARSE_TEXT_LEN];
	struct batch batch;
	int in_tx;
	long errors, refused, done;
	int db_failed;            /* a statement failed: never commit */
	struct spool *rows;       /* rows to write after the commit */
	struct routed routed[ROUTED_MAX];
	size_t nrouted;
};

static const struct out_col dispatch_cols[] = {
	{ "id", OUT_STR, "编号" }, { "unit", OUT_STR, "处置单位" },
	{ "due_at", OUT_TIME, "处置时限" }, { "rule", OUT_STR, "规则" },
	{ "state", OUT_STR, "状态" },
};
static const struct out_col event_cols[] = {
	{ "id", OUT_STR, "编号" }, { "step", OUT_STR, "步骤" }, { "state", OUT_STR, "状态" },
	{ "at", OUT_TIME, "时间" },
};
static const struct out_col overdue_cols[] = {
	{ "id", OUT_STR, "编号" }, { "unit", OUT_STR, "处置单位" }, { "state", OUT_STR, "状态" },
	{ "due_at", OUT_TIME, "处置时限" }, { "overdue_working_hours", OUT_NUM, "超期工作时" },
	{ "overdue_hours", OUT_NUM, "超期小时" }, { "waiting_for", OUT_STR, "待办环节代码" },
	{ "待办环节", OUT_STR, "待办环节" }, { "class", OUT_STR, "小类" },
	{ "description", OUT_STR, "问题描述" }, { "address", OUT_STR, "问题地址" },
};
static const struct out_col explain_cols[] = {
	{ "id", OUT_STR, "编号" }, { "priority", OUT_NUM, "优先级" },
	{ "rule", OUT_STR, "规则" }, { "place", OUT_STR, "位置" },
	{ "result", OUT_STR, "结果" }, { "reason", OUT_STR, "说明" },
};

static void keep_row(struct route_run *r, const char *const *v)
{
	spool_add(r->rows, v, NULL);
}

/* The run's transaction and its batches row (dispatch and events). */
static int begin_writing(struct route_run *r)
{
	struct db *d = r->db;

	/* a run may touch every case: keep its pages in memory rather than
	 * spill them to the WAL again and again */
	db_exec(d, "PRAGMA cache_size = -32768");
	/* each UPDATE of a case keeps a statement journal of the pages it
	 * touches: in memory, not as a million writes to a temp file */
	db_exec(d, "PRAGMA temp_store = MEMORY");
	if (db_begin(d) != SQLITE_OK)
		return db_fail(d, d->path);
	r->in_tx = 1;
	if (batch_begin(d, &r->batch, "case-route",
			r->o->mode == ROUTE_EVENTS ? "events" : "dispatch") < 0) {
		int st = db_fail(d, d->path);
		db_rollback(d);
		r->in_tx = 0;
		return st;
	}
	return 0;
}

struct route_run *route_begin(struct db *d, const struct router *rt,
			      const struct route_opts *o, struct out *out, int *status)
{
	struct route_run *r = xcalloc(1, sizeof *r);
	static const struct {
		const struct out_col *cols;
		size_t n;
	} cols[] = {
		[ROUTE_DISPATCH] = { dispatch_cols, ARRAY_SIZE(dispatch_cols) },
		[ROUTE_EXPLAIN] = { explain_cols, ARRAY_SIZE(explain_cols) },
		[ROUTE_EVENTS] = { event_cols, ARRAY_SIZE(event_cols) },
		[ROUTE_OVERDUE] = { overdue_cols, ARRAY_SIZE(overdue_cols) },
	};

	r->db = d;
	r->rt = (struct router *)rt;
	r->o = o;
	r->out = out;
	r->zone = db_zone_min(d);
	timeparse_format(o->at, r->zone, r->at_text);
	timeparse_format((int64_t)time(NULL), r->zone, r->now_text);
	out_columns(out, cols[o->mode].cols, cols[o->mode].n);
	r->rows = spool_new(cols[o->mode].n, status);
	if (r->rows && (o->mode == ROUTE_DISPATCH || o->mode == ROUTE_EVENTS))
		*status = begin_writing(r);
	if (!r->rows || *status) {
		spool_free(r->rows);
		free(r);
		return NULL;
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
	free(k->due_at);
	memset(k, 0, sizeof *k);
}

/* The columns routing needs, as kase_row() reads them. */
#define KASE_COLS                                                              \
	"rowid, id, kind, class_code, big_class, small_class, street,"         \
	" description, address, object_id, state, unit,"                      \
	" " CASE_LAST_EVENT ", due_at"

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
	k->due_at = col_dup(st, 13);
	k->ikind = k->kind && strcmp(k->kind, "component") == 0 ? TAXONOMY_COMPONENT : TAXONOMY_EVENT;
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
			struct calendar_limit *lim)
{
	const struct taxonomy_class *c = NULL;
	int amb;

	*lim = r->o->default_limit;
	if (k->class_code)
		c = taxonomy_by_code(r->o->tax, (enum taxonomy_kind)k->ikind, k->class_code,
				strlen(k->class_code), &amb);
	if (!c && k->small_class)
		c = taxonomy_by_name(r->o->tax, (enum taxonomy_kind)k->ikind, k->small_class,
				strlen(k->small_class), &amb);
	if (c)
		*lim = c->limit;
}

/* The due time of a limit from at; -1 when the calendar has no working
 * time ahead to meet it (CALENDAR_GAP_DAYS days off in a row), with why said. */
static int due_text(struct route_run *r, int64_t at, const struct calendar_limit *lim,
		    char out[TIMEPARSE_TEXT_LEN], char *why, size_t wn)
{
	int64_t local = at + (int64_t)r->zone * 60;
	int64_t due = calendar_apply_limit(r->o->cal, local, lim);
	char l[32], from[TIMEPARSE_TEXT_LEN];

	if (due != CALENDAR_NEVER) {
		timeparse_format(due - (int64_t)r->zone * 60, r->zone, out);
		return 0;
	}
	out[0] = '\0';
	calendar_format_limit(lim, l, sizeof l);
	timeparse_format(at, r->zone, from);
	snprintf(why, wn, "the calendar has no working time to meet the limit %s "
		 "from %s (a calendar with no working day for years?)", l, from);
	return -1;
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
	sqlite3_bind_int64(st, 8, r->batch.id);
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
		sqlite3_bind_int64(st, 2, r->batch.id);
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

/* Whether the case is among those routed and not written yet. */
static int routed_pending(const struct route_run *r, const char *id)
{
	for (size_t i = 0; i < r->nrouted; i++)
		if (strcmp(r->routed[i].id, id) == 0)
			return 1;
	return 0;
}

/* A case named by id: routed with the others, a batch written at a time.
 * The same id again is read after the batch that routed it is written, so
 * that it meets the case as routed (and is refused as dispatched). */
int route_case(struct route_run *r, const char *id)
{
	struct kase k;
	int rc;

	if (routed_pending(r, id) && (rc = write_routed(r)) != 0)
		return rc;
	if ((rc = kase_load(r, id, &k)) < 0)
		return db_fail(r->db, r->db->path);
	if (rc == 0) {
		msg_err("no case '%s' in the store", id);
		r->errors++;
		return 0;
	}
	return route_kase(r, &k);
}

/* An --explain row: what a rule (or the owner, or nothing) does for a case. */
static void explain_row(struct route_run *r, const char *id, const struct rule *ru,
			const char *what, const char *result, const char *reason)
{
	char prio[24] = "", place[600] = "";
	const char *v[6];

	if (ru) {
		snprintf(prio, sizeof prio, "%ld", ru->prio);
		snprintf(place, sizeof place, "%s:%ld", r->rt->rules_path, ru->line);
	}
	v[0] = id;
	v[1] = ru ? prio : NULL;
	v[2] = ru ? ru->name : what;
	v[3] = ru ? place : NULL;
	v[4] = result;
	v[5] = reason;
	keep_row(r, v);
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
			explain_row(r, k->id, ru, NULL, "no", miss);
	}
	buf_free(&sj.text);
	return hit;
}

/* What routing does with a case: the owner of its component, else the
 * first rule that matches, else park it. */
struct decision {
	const struct rule *hit;     /* NULL: owner or park */
	const char *unit, *rule_name;
	enum action act;
	char due[TIMEPARSE_TEXT_LEN];
};

/* 0, or -1 when a pattern hit its limit on the case (reported). */
static int decide(struct route_run *r, const struct kase *k, struct decision *dc)
{
	struct calendar_limit lim;
	int limit_hit = 0;
	char why[256];

	memset(dc, 0, sizeof *dc);
	dc->act = ACT_PARK;
	dc->rule_name = "unmatched";
	if (k->ikind == TAXONOMY_COMPONENT && (dc->unit = owner_of(r->rt, k->object_id)) != NULL) {
		dc->act = ACT_DISPATCH;
		dc->rule_name = "owner";
		class_limit(r, k, &lim);
	} else if ((dc->hit = first_rule(r, k, &limit_hit)) != NULL) {
		dc->act = dc->hit->action;
		dc->unit = dc->hit->unit;
		dc->rule_name = dc->hit->name;
		if (dc->hit->has_limit)
			lim = dc->hit->limit;
		else
			class_limit(r, k, &lim);
	}
	if (limit_hit)
		return -1;
	if (dc->act == ACT_DISPATCH &&
	    due_text(r, r->o->at, &lim, dc->due, why, sizeof why) < 0) {
		if (r->o->mode == ROUTE_EXPLAIN) {
			explain_row(r, k->id, dc->hit, NULL, "error", why);
		} else {
			msg_err("case '%s' (rule '%s'): %s: not dispatched", k->id,
				dc->rule_name, why);
			r->errors++;
		}
		return -1;
	}
	return 0;
}

/* What the rules do with a case: "would" do, for a case that routing
 * leaves alone. */
static void explain_decision(struct route_run *r, const struct kase *k,
			     const struct decision *dc, int would)
{
	const char *w = would ? "would " : "";
	char what[600];

	if (dc->act == ACT_DISPATCH)
		snprintf(what, sizeof what, "%sdispatch to %s, due %s", w, dc->unit,
			 dc->due[0] ? dc->due : "(none)");
	else
		snprintf(what, sizeof what, "%s%s", w, dc->act == ACT_PARK ? "park" : "self-dispose");
	if (dc->hit) {
		explain_row(r, k->id, dc->hit, NULL, "yes", what);
	} else if (strcmp(dc->rule_name, "owner") == 0) {
		char who[1400];
		snprintf(who, sizeof who, "owner of component %s: %s", k->object_id, what);
		explain_row(r, k->id, NULL, "owner", "yes", who);
	} else {
		snprintf(what, sizeof what, "no rule matches: %spark for coordination", w);
		explain_row(r, k->id, NULL, NULL, "park", what);
	}
}

/* Why routing leaves a case as it is, into why; 0 when it may be routed,
 * 1 for a case in a state routing does not take (a warning), 2 for a time
 * before the case's last event (an error).  The run and --explain give the
 * same reason. */
static int refusal(const struct route_run *r, const struct kase *k, char *why, size_t n)
{
	int st = case_state_parse(k->state, strlen(k->state));

	if (st != CASE_REGISTERED && st != CASE_PARKED && st != CASE_REPORTED) {
		snprintf(why, n, "case '%s' is %s (%s)%s%s%s%s: only registered, parked"
			 " and reported cases are routed", k->id, k->state,
			 st >= 0 ? case_states[st].zh : "?", k->unit ? ", unit " : "",
			 k->unit ? k->unit : "", k->due_at ? ", due " : "",
			 k->due_at ? k->due_at : "");
		return 1;
	}
	if (k->last_at && strcmp(r->at_text, k->last_at) < 0) {
		snprintf(why, n, "case '%s': %s is before its last event %s", k->id,
			 r->at_text, k->last_at);
		return 2;
	}
	return 0;
}

/* Route a case loaded; frees it.  --explain shows a refusal first, then
 * what the rules would do. */
static int route_kase(struct route_run *r, struct kase *kp)
{
	struct kase k = *kp;
	struct decision dc;
	const int explain = r->o->mode == ROUTE_EXPLAIN;
	char why[2048];
	int ret = 0, refused = refusal(r, &k, why, sizeof why);

	if (explain && refused)
		explain_row(r, k.id, NULL, NULL, "refused", why);
	if (!explain && refused == 1) {
		msg_warn("%s", why);
		r->refused++;
	} else if (!explain && refused == 2) {
		msg_err("%s", why);
		r->errors++;
	} else if (decide(r, &k, &dc) == 0) {
		if (explain)
			explain_decision(r, &k, &dc, refused != 0);
		else
			ret = routed_add(r, &k, dc.act, dc.unit, dc.due, dc.rule_name);
	}
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

enum { EV_ID, EV_STEP, EV_AT, EV_ACTOR, EV_UNIT, EV_DUE, EV_NOTE, EV_N };

static const struct rec_field event_fields[EV_N] = {
	[EV_ID] = { "id", "案件编号|案卷编号|编号|case_id", 0 },
	[EV_STEP] = { "step", "步骤|环节|操作", 0 },
	[EV_AT] = { "at", "时间|操作时间|发生时间", 0 },
	[EV_ACTOR] = { "actor", "操作人|人员|经办人", 0 },
	[EV_UNIT] = { "unit", "单位|处置单位|责任单位", 0 },
	[EV_DUE] = { "due", "时限|处置时限|新时限|due_at", 0 },
	[EV_NOTE] = { "note", "备注|说明|意见", 0 },
};

/* An event row, read: its values trimmed, its step and time understood. */
struct event {
	char *v[EV_N];
	enum case_step step;
	int64_t t;
	char at[TIMEPARSE_TEXT_LEN];
	char due[TIMEPARSE_TEXT_LEN];     /* "" when the event sets none */
	const char *unit;          /* the unit the case ends up with */
	struct kase k;
};

/* What became of an event row. */
enum event_result { EVENT_APPLIED, EVENT_REFUSED, EVENT_STORE_FAILED };

#define REFUSE(...) (snprintf(why, wn, __VA_ARGS__), EVENT_REFUSED)

/* Step and time of the row; the case it names, loaded into e->k. */
static enum event_result event_read(struct route_run *r, struct event *e,
				    char *why, size_t wn)
{
	struct timeparse_opts tpo = { NULL, r->zone };
	const char *reason;
	int k, rc;

	if (!e->v[EV_ID])
		return REFUSE("missing id");
	if (!e->v[EV_STEP])
		return REFUSE("missing step");
	if ((k = case_step_parse(e->v[EV_STEP])) < 0 || k == CASE_STEP_REPORT)
		return REFUSE("unknown step '%s'", e->v[EV_STEP]);
	e->step = (enum case_step)k;
	if (!e->v[EV_AT])
		return REFUSE("missing at");
	if (timeparse_parse(e->v[EV_AT], strlen(e->v[EV_AT]), &tpo, &e->t, &reason) < 0)
		return REFUSE("at '%s': %s", e->v[EV_AT], reason);
	timeparse_format(e->t, r->zone, e->at);
	rc = kase_load(r, e->v[EV_ID], &e->k);
	if (rc < 0)
		return EVENT_STORE_FAILED;
	if (rc == 0)
		return REFUSE("no case '%s' in the store", e->v[EV_ID]);
	return EVENT_APPLIED;
}

/* Is the move legal for the case now; its new due time and unit. */
static enum event_result event_check(struct route_run *r, struct event *e,
				     char *why, size_t wn)
{
	const struct case_step_def *d = &case_steps[e->step];
	struct timeparse_opts tpo = { NULL, r->zone };
	int st = case_state_parse(e->k.state, strlen(e->k.state));
	const char *reason;
	struct calendar_limit lim;
	char never[256];
	int64_t dt;

	if (st < 0 || !case_step_legal(e->step, (enum case_state)st))
		return REFUSE("case '%s' is %s: cannot '%s'", e->k.id, e->k.state, d->name);
	if (e->k.last_at && strcmp(e->at, e->k.last_at) < 0)
		return REFUSE("case '%s': event at %s is before its last event %s",
			      e->k.id, e->at, e->k.last_at);
	if (e->v[EV_DUE]) {
		if (calendar_parse_limit(e->v[EV_DUE], &lim) == 0) {
			if (due_text(r, e->t, &lim, e->due, never, sizeof never) < 0)
				return REFUSE("case '%s': %s", e->k.id, never);
		} else if (timeparse_parse(e->v[EV_DUE], strlen(e->v[EV_DUE]), &tpo, &dt, &reason) == 0)
			timeparse_format(dt, r->zone, e->due);
		else
			return REFUSE("due '%s' is neither a time nor a limit", e->v[EV_DUE]);
	}
	if (e->step == CASE_STEP_POSTPONE && !e->due[0])
		return REFUSE("case '%s': postpone needs the new due", e->k.id);
	e->unit = e->v[EV_UNIT] ? e->v[EV_UNIT] : e->k.unit;
	if (e->step == CASE_STEP_DISPATCH) {
		if (!e->unit)
			return REFUSE("case '%s': dispatch needs a unit", e->k.id);
		if (!e->due[0]) {
			class_limit(r, &e->k, &lim);
			if (due_text(r, e->t, &lim, e->due, never, sizeof never) < 0)
				return REFUSE("case '%s': %s", e->k.id, never);
		}
	}
	return EVENT_APPLIED;
}

/* The case row after the move, and the event itself. */
static enum event_result event_write(struct route_run *r, const struct event *e)
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
	const struct case_step_def *d = &case_steps[e->step];
	sqlite3_stmt *st = db_stmt(r->db, sql);
	int dispatch = e->step == CASE_STEP_DISPATCH;

	if (!st)
		return EVENT_STORE_FAILED;
	sqlite3_bind_text(st, 1, e->k.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, case_states[d->to].name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->now_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->batch.id);
	sqlite3_bind_text(st, 5, d->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->at, -1, SQLITE_STATIC);
	if (e->unit)
		sqlite3_bind_text(st, 7, e->unit, -1, SQLITE_STATIC);
	if (e->due[0])
		sqlite3_bind_text(st, 8, e->due, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    add_event(r, e->k.id, d->name, e->at, e->v[EV_ACTOR],
		      dispatch || e->v[EV_UNIT] ? e->unit : NULL, e->v[EV_NOTE], NULL) < 0)
		return EVENT_STORE_FAILED;
	return EVENT_APPLIED;
}

/* Apply one event row; EVENT_REFUSED with the reason in why. */
static enum event_result apply_event(struct route_run *r, struct event *e,
				     char *why, size_t wn)
{
	enum event_result res = event_read(r, e, why, wn);

	if (res == EVENT_APPLIED)
		res = event_check(r, e, why, wn);
	if (res == EVENT_APPLIED)
		res = event_write(r, e);
	return res;
}

static void event_free(struct event *e)
{
	for (int i = 0; i < EV_N; i++)
		free(e->v[i]);
	kase_free(&e->k);
}

/* One record of the events file: applied, or refused with its line. */
static enum event_result event_record(struct route_run *r, struct rec_src *s,
				      const struct rec *in, int rc)
{
	struct event e;
	char why[512];
	enum event_result res;

	memset(&e, 0, sizeof e);
	for (int i = 0; i < EV_N; i++)
		e.v[i] = rc == 1 && in->v[i] ? text_dup_trimmed(in->v[i], in->len[i]) : NULL;
	if (rc == 2) {
		snprintf(why, sizeof why, "%s", in->reason);
		res = EVENT_REFUSED;
	} else {
		res = apply_event(r, &e, why, sizeof why);
	}
	if (res == EVENT_REFUSED) {
		msg_errat(rec_name(s), in->line, "%s", why);
		rejects_add_rec(r->o->rejects, s, in->line, why);
		r->errors++;
	} else if (res == EVENT_APPLIED) {
		const char *row[4] = { e.k.id, case_steps[e.step].name,
				       case_states[case_steps[e.step].to].name, e.at };
		keep_row(r, row);
		r->done++;
	}
	event_free(&e);
	return res;
}

int route_events(struct route_run *r, const char *path)
{
	struct rec_opts ro = { r->o->events_format, r->o->events_encoding, NULL, 0, NULL, 0 };
	struct rec_src *s;
	struct rec in;
	long bad0 = r->errors;
	int st = 0, rc;

	s = rec_open(path, event_fields, EV_N, &ro, &st);
	if (!s)
		return st;
	while (!st && (rc = rec_next(s, &in)) != 0) {
		if (rc < 0) {
			st = rec_status(s);  /* the reader said where and why */
			r->errors++;
		} else if (event_record(r, s, &in, rc) == EVENT_STORE_FAILED) {
			r->db_failed = 1;
			st = db_fail(r->db, path);
		}
	}
	rec_close(s);
	/* the status (65) is route_end()'s, over all the errors */
	if (!st && r->errors > bad0 && !r->o->keep_going)
		(void)rejects_refuse(path, r->errors - bad0, "applied", r->o->rejects != NULL);
	return st;
}

/* ---- overdue ---------------------------------------------------------------- */

/* The step an open case waits for: what its unit or the centre does next. */
static const struct case_step_def *waiting_for(const char *state)
{
	static const struct {
		enum case_state state;
		enum case_step step;
	} next[] = {
		{ CASE_REGISTERED, CASE_STEP_DISPATCH }, { CASE_DISPATCHED, CASE_STEP_SIGN },
		{ CASE_HANDLING, CASE_STEP_HANDLE }, { CASE_HANDLED, CASE_STEP_CLOSE },
	};
	int st = state ? case_state_parse(state, strlen(state)) : -1;

	for (size_t i = 0; i < ARRAY_SIZE(next); i++)
		if ((int)next[i].state == st)
			return &case_steps[next[i].step];
	return NULL;
}

/* One overdue case as a row: how long past due, in working and clock time,
 * the step it waits for, and what a dispatcher needs to act on it. */
static void overdue_row(struct route_run *r, sqlite3_stmt *st, int64_t due)
{
	const char *state = (const char *)sqlite3_column_text(st, 2);
	const struct case_step_def *next = waiting_for(state);
	char wh[32], h[32];
	const char *v[ARRAY_SIZE(overdue_cols)];

	snprintf(wh, sizeof wh, "%.1f",
		 (double)calendar_working_minutes_between(r->o->cal, due + r->zone * 60,
						      r->o->at + r->zone * 60) / 60.0);
	snprintf(h, sizeof h, "%.1f", (double)(r->o->at - due) / 3600.0);
	v[0] = (const char *)sqlite3_column_text(st, 0);
	v[1] = (const char *)sqlite3_column_text(st, 1);
	v[2] = state;
	v[3] = (const char *)sqlite3_column_text(st, 3);
	v[4] = wh;
	v[5] = h;
	v[6] = next ? next->name : NULL;
	v[7] = next ? next->zh : NULL;
	v[8] = (const char *)sqlite3_column_text(st, 4);
	v[9] = (const char *)sqlite3_column_text(st, 5);
	v[10] = (const char *)sqlite3_column_text(st, 6);
	keep_row(r, v);
}

int route_overdue(struct route_run *r)
{
	sqlite3_stmt *st;
	int rc;
	struct timeparse_opts tpo = { NULL, r->zone };

	if (sqlite3_prepare_v2(r->db->h,
			       "SELECT id, unit, state, due_at, coalesce(small_class, big_class),"
			       " description, address FROM cases"
			       " WHERE " CASE_STATE_OPEN_SQL
			       " AND due_at IS NOT NULL AND due_at < ?1 ORDER BY due_at, id",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(r->db, r->db->path);
	sqlite3_bind_text(st, 1, r->at_text, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *due = (const char *)sqlite3_column_text(st, 3);
		int64_t dt;
		if (timeparse_parse(due, strlen(due), &tpo, &dt, NULL) == 0)
			overdue_row(r, st, dt);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(r->db, r->db->path);
}

/* ---- the end ---------------------------------------------------------------- */

/* Commit what the run did, or roll it back (a dry run, bad rows without
 * --keep-going, a store that failed); 0 or an exit code.  *landed says
 * whether the rows kept describe what is now in the store. */
static int finish_writing(struct route_run *r, int *landed)
{
	int commit = !r->o->dry_run && !r->db_failed &&
		     (r->errors == 0 || r->o->keep_going || r->o->mode == ROUTE_DISPATCH);
	int st = 0;

	r->batch.read = r->done + r->errors + r->refused;
	r->batch.updated = r->done;
	r->batch.rejected = r->errors;
	if (!r->db_failed && batch_end(r->db, &r->batch) < 0) {
		st = db_fail(r->db, r->db->path);
		commit = 0;
	}
	*landed = commit || (r->o->dry_run && !r->db_failed);
	if (commit && db_commit(r->db) != SQLITE_OK) {
		st = db_fail(r->db, r->db->path);
		*landed = 0;
	}
	db_rollback(r->db);
	return st;
}

static void summary_line(const struct route_run *r, int landed)
{
	const char *dry = r->o->dry_run ? " (dry run: nothing written)" : "";

	if (r->o->mode == ROUTE_DISPATCH)
		msg_info("%ld routed, %ld refused, %ld failed%s", r->done, r->refused,
			 r->errors, dry);
	else if (r->o->mode == ROUTE_EVENTS)
		msg_info("%ld events applied, %ld refused%s", landed ? r->done : 0,
			 r->errors, dry);
}

int route_end(struct route_run *r)
{
	int st = 0, landed = 1;

	if (r->in_tx && r->nrouted && !r->db_failed)
		st = write_routed(r); /* the cases named by id, routed last */
	if (r->in_tx) {
		int w = finish_writing(r, &landed); /* rolls back after a failure */
		st = st ? st : w;
	}
	if (landed) {
		int w = spool_write(r->rows, r->out);
		st = st ? st : w;
	} else {
		out_discard(r->out); /* nothing landed: print nothing */
	}
	summary_line(r, landed);
	/* with --keep-going, refused event rows were asked for: not a failure */
	if (!st && r->errors && !(r->o->keep_going && r->o->mode == ROUTE_EVENTS))
		st = EXIT_DATA_ERR;
	spool_free(r->rows);
	free(r);
	return st;
}

/* ---- rules without a store ------------------------------------------------- */

const char *router_first_match(const struct router *rt,
			       const struct route_subject *s, const char **unit,
			       int *limit_hit)
{
	struct kase k;
	struct subject sj;
	const struct rule *hit = NULL;

	memset(&k, 0, sizeof k);
	k.ikind = s->kind;
	k.kind = (char *)(s->kind == TAXONOMY_COMPONENT ? "component" : "event");
	k.class_code = (char *)s->class_code;
	k.big_class = (char *)s->big_class;
	k.small_class = (char *)s->small_class;
	k.street = (char *)s->street;
	k.description = (char *)s->description;
	k.address = (char *)s->address;
	*limit_hit = 0;
	subject_init(&sj, rt, &k);
	for (size_t i = 0; i < rt->nrules && !hit && !*limit_hit; i++)
		if (!rule_miss(rt, &rt->rules[i], &k, &sj, NULL, 0, limit_hit))
			hit = &rt->rules[i];
	buf_free(&sj.text);
	*unit = hit ? hit->unit : NULL;
	return hit ? hit->name : NULL;
}
