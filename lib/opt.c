#include "common.h"

#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "opt.h"
#include "strnum.h"
#include "timeparse.h"

const struct opt_desc opt_common_table[] = {
	{ "db", 'D', required_argument, "PATH",
	  "the store (default: $CITYOPS_DB, else ./cityops.db)" },
	{ "format", 'f', required_argument, "FMT",
	  "output: csv tsv json jsonl table md xlsx (default: table on a terminal, else csv)" },
	{ "input-format", 'i', required_argument, "FMT",
	  "input: csv tsv json jsonl (default: from the name, else sniffed)" },
	{ "output", 'o', required_argument, "FILE",
	  "write there instead of stdout; .gz compresses" },
	{ "encoding", OPT_ENCODING, required_argument, "ENC",
	  "input encoding: auto utf-8 gb18030 gbk utf-16le utf-16be (default: auto)" },
	{ "bom", OPT_BOM, no_argument, NULL,
	  "write a UTF-8 byte-order mark first (for Excel)" },
	{ "lang", OPT_LANG, required_argument, "LANG",
	  "column headers and labels: en (default) or zh (中文)" },
	{ "total", OPT_TOTAL, no_argument, NULL,
	  "add the total row (合计) to a report in every format" },
	{ "dry-run", 'n', no_argument, NULL,
	  "do everything, then roll back; print what would change" },
	{ "quiet", 'q', no_argument, NULL,
	  "hide warnings, progress and summaries (never errors)" },
	{ "verbose", 'v', no_argument, NULL, "say more" },
	{ "no-progress", OPT_NO_PROGRESS, no_argument, NULL,
	  "no progress line, even on a terminal" },
	{ "busy-timeout", OPT_BUSY_TIMEOUT, required_argument, "MS",
	  "wait this long for another writer; 0: fail at once (default: 600000)" },
	{ "help", 'h', no_argument, NULL, "show this help and exit" },
	{ "version", 'V', no_argument, NULL, "show the version and exit" },
	{ "list-options", OPT_LIST_OPTIONS, no_argument, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL },
};

void opt_common_init(struct opt_common *co)
{
	memset(co, 0, sizeof *co);
	co->format = -1;
	co->input_format = REC_AUTO;
	co->encoding = ENCODING_AUTO;
	co->busy_ms = DB_BUSY_DEFAULT_MS;
}

static size_t count(const struct opt_desc *d)
{
	size_t n = 0;
	while (d && d[n].name)
		n++;
	return n;
}

static void add_short(struct opt_parser *p, const struct opt_desc *d)
{
	size_t n = strlen(p->shorts);
	if (d->val <= 0 || d->val >= 256 || n + 3 >= sizeof p->shorts)
		return;
	p->shorts[n++] = (char)d->val;
	if (d->has_arg == required_argument)
		p->shorts[n++] = ':';
	p->shorts[n] = '\0';
}

void opt_parser_init(struct opt_parser *p, const struct opt_desc *tool)
{
	size_t nt = count(tool), nc = count(opt_common_table), k = 0;

	p->longs = xcalloc(nt + nc + 1, sizeof *p->longs);
	p->shorts[0] = '\0';
	for (size_t i = 0; i < nt; i++, k++) {
		p->longs[k].name = tool[i].name;
		p->longs[k].has_arg = tool[i].has_arg;
		p->longs[k].val = tool[i].val;
		add_short(p, &tool[i]);
	}
	for (size_t i = 0; i < nc; i++, k++) {
		p->longs[k].name = opt_common_table[i].name;
		p->longs[k].has_arg = opt_common_table[i].has_arg;
		p->longs[k].val = opt_common_table[i].val;
		add_short(p, &opt_common_table[i]);
	}
}

void opt_parser_free(struct opt_parser *p)
{
	free(p->longs);
	p->longs = NULL;
}

static void help_block(const struct opt_desc *d)
{
	for (; d->name; d++) {
		char left[64];
		if (!d->help)
			continue;
		if (d->val > 0 && d->val < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", d->val, d->name,
				 d->arg ? " " : "", d->arg ? d->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", d->name,
				 d->arg ? " " : "", d->arg ? d->arg : "");
		if (strlen(left) > 26)
			printf(" %s\n %28s%s\n", left, "", d->help);
		else
			printf(" %-28s%s\n", left, d->help);
	}
}

static void opt_help(const struct opt_desc *tool, const struct usage *u)
{
	printf("Usage:\n %s %s\n\n%s\n\nOptions:\n", prog_name, u->synopsis,
	       u->purpose);
	help_block(tool);
	printf("\nCommon options:\n");
	help_block(opt_common_table);
	printf("\nSee %s(1).\n", prog_name);
}

static void list_options(const struct opt_desc *tool)
{
	const struct opt_desc *tabs[2] = { tool, opt_common_table };
	for (int t = 0; t < 2; t++)
		for (const struct opt_desc *d = tabs[t]; d && d->name; d++) {
			if (d->val == OPT_LIST_OPTIONS)
				continue;
			if (d->val > 0 && d->val < 256)
				printf("-%c --%s\n", d->val, d->name);
			else
				printf("--%s\n", d->name);
		}
}

static const struct opt_word lang_words[] = {
	{ "en", 0 }, { "zh", 1 }, { NULL, 0 },
};

/* The options of the output: as opt_common_handle(), -1 for another. */
static int handle_output(struct opt_common *co, int c, const char *arg)
{
	int v;

	switch (c) {
	case 'f':
		v = out_format_parse(arg);
		if (v < 0) {
			msg_err("unknown output format '%s' (csv tsv json jsonl table md xlsx)", arg);
			co->exit_status = msg_usage_hint();
			return 2;
		}
		co->format = v;
		return 1;
	case 'o':
		co->output = arg;
		return 1;
	case OPT_BOM:
		co->bom = 1;
		return 1;
	case OPT_LANG:
		if ((v = opt_word("lang", arg, lang_words)) < 0) {
			co->exit_status = msg_usage_hint();
			return 2;
		}
		co->lang_zh = v;
		return 1;
	case OPT_TOTAL:
		co->total = 1;
		return 1;
	default:
		return -1;
	}
}

static int opt_common_handle(struct opt_common *co, int c, const char *arg,
			     const struct opt_desc *tool, const struct usage *u)
{
	const char *why;
	int v;

	if ((v = handle_output(co, c, arg)) >= 0)
		return v;
	switch (c) {
	case 'D':
		co->db = arg;
		return 1;
	case 'i':
		v = rec_fmt_parse(arg);
		if (v < 0) {
			msg_err("unknown input format '%s' (csv tsv json jsonl)", arg);
			co->exit_status = msg_usage_hint();
			return 2;
		}
		co->input_format = v;
		return 1;
	case OPT_ENCODING:
		v = encoding_parse(arg);
		if (v < 0) {
			msg_err("unknown encoding '%s' (auto utf-8 gb18030 gbk utf-16le utf-16be)", arg);
			co->exit_status = msg_usage_hint();
			return 2;
		}
		co->encoding = (enum encoding)v;
		return 1;
	case 'n':
		co->dry_run = 1;
		return 1;
	case 'q':
		msg_quiet = 1;
		return 1;
	case 'v':
		msg_verbose++;
		return 1;
	case OPT_NO_PROGRESS:
		co->no_progress = 1;
		return 1;
	case OPT_BUSY_TIMEOUT:
		co->busy_ms = (int)strnum_ll(arg, 0, 86400000, &why);
		if (why) {
			msg_err("--busy-timeout '%s' is %s (milliseconds, 0-86400000)", arg, why);
			co->exit_status = msg_usage_hint();
			return 2;
		}
		return 1;
	case 'h':
		opt_help(tool, u);
		co->exit_status = EXIT_OK;
		return 2;
	case 'V':
		printf("%s (cityops) %s\n", prog_name, CITYOPS_VERSION);
		co->exit_status = EXIT_OK;
		return 2;
	case OPT_LIST_OPTIONS:
		list_options(tool);
		co->exit_status = EXIT_OK;
		return 2;
	case '?':
		co->exit_status = msg_usage_hint();
			return 2;
	default:
		return 0;
	}
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

enum out_format opt_out_format(const struct opt_common *co)
{
	if (co->format >= 0)
		return (enum out_format)co->format;
	if (co->output && strcmp(co->output, "-") != 0)
		return has_suffix(co->output, ".xlsx") ? OUT_XLSX : OUT_CSV;
	return out_default_format(STDOUT_FILENO);
}

static int opt_out_flags(const struct opt_common *co)
{
	return (co->bom ? OUT_F_BOM : 0) | (co->lang_zh ? OUT_F_ZH : 0) |
	       (co->total ? OUT_F_WANT_TOTAL : 0);
}

struct out *opt_open_out(const struct opt_common *co, int *status)
{
	struct zout *z = zout_open_output(co->output, status);

	if (!z)
		return NULL;
	return out_open(z, opt_out_format(co), opt_out_flags(co));
}

/* What the options say together, once they are all read: 0 or 64. */
static int check_common(const struct opt_common *co)
{
	int to_stdout = !co->output || strcmp(co->output, "-") == 0;

	if (opt_out_format(co) != OUT_XLSX || !to_stdout)
		return 0;
	if (!co->output)
		msg_err("-f xlsx writes a workbook: give -o FILE.xlsx (or -o - to "
			"send it to standard output)");
	else if (isatty(STDOUT_FILENO))
		msg_err("-f xlsx writes a workbook, not text for a terminal: "
			"give -o FILE.xlsx");
	else
		return 0;
	return msg_usage_hint();
}

int opt_progress(const struct opt_common *co)
{
	return !co->no_progress && !msg_quiet && isatty(STDERR_FILENO);
}

static int open_store(const struct opt_common *co, int must_exist, struct db **out)
{
	struct db_opts o;

	memset(&o, 0, sizeof o);
	o.path = co->db;
	o.busy_ms = co->busy_ms;
	o.must_exist = must_exist;
	return db_open(out, &o);
}

int opt_open_store(const struct opt_common *co, struct db **out)
{
	return open_store(co, 0, out);
}

int opt_open_existing_store(const struct opt_common *co, struct db **out)
{
	return open_store(co, 1, out);
}

int opt_check_paths(const struct opt_common *co, struct paths *pa)
{
	paths_output(pa, "-o", co->output ? co->output : "-");
	paths_output(pa, "the store", db_default_path(co->db));
	return paths_check(pa);
}

int opt_show_mapping(const struct opt_common *co, int argc, char **argv,
		     const struct rec_field *fields, size_t nfields,
		     const char *const *maps, size_t nmaps, const char *date_format)
{
	struct rec_opts ro = { (enum rec_fmt)co->input_format, co->encoding, maps, nmaps,
			       date_format, REC_O_SHOW | REC_O_MAP_HINT };
	int st = 0, r = 0, shown = 0;
	struct out *o = opt_open_out(co, &st);

	if (!o)
		return st;
	rec_mapping_begin(o);
	for (int i = optind; i < argc || i == optind; i++) {
		struct rec_src *s = rec_open(i < argc ? argv[i] : "-", fields, nfields, &ro, &r);
		if (s) {
			shown++;
			r = rec_mapping_write(s, o) < 0 ? -1 : rec_pending(s);
			rec_close(s);
			if (r < 0)
				break; /* out_close says why */
		}
		if (r && !st)
			st = r;
	}
	if (!shown)
		out_discard(o); /* not even a header */
	r = out_close(o);
	return st ? st : r;
}

int opt_parse_at(const char *at, int zone_min, int64_t *out)
{
	struct timeparse_opts tpo = { NULL, zone_min };
	const char *why;

	if (!at) {
		*out = (int64_t)time(NULL);
		return 0;
	}
	if (timeparse_parse(at, strlen(at), &tpo, out, &why) < 0) {
		msg_err("--at '%s': %s", at, why);
		return msg_usage_hint();
	}
	return 0;
}

int opt_word(const char *name, const char *arg, const struct opt_word *w)
{
	struct buf list = BUF_INIT;
	size_t n = 0, shown = 0;

	for (size_t i = 0; w[i].word; i++)
		if (strcmp(arg, w[i].word) == 0)
			return w[i].value;
	/* "a, b or c": each value once, by its first word */
	for (size_t i = 0; w[i].word; i++) {
		size_t j;
		for (j = 0; j < i && w[j].value != w[i].value; j++)
			;
		if (j == i)
			n++;
	}
	for (size_t i = 0; w[i].word; i++) {
		size_t j;
		for (j = 0; j < i && w[j].value != w[i].value; j++)
			;
		if (j < i)
			continue;
		if (shown)
			buf_adds(&list, shown + 1 == n ? " or " : ", ");
		buf_adds(&list, w[i].word);
		shown++;
	}
	msg_err("--%s '%s': expected %s", name, arg, buf_str(&list));
	buf_free(&list);
	return -1;
}

int opt_next(struct opt_parser *p, struct opt_common *co, int argc, char **argv,
	     const struct opt_desc *tool, const struct usage *u)
{
	int c, r;

	while ((c = getopt_long(argc, argv, p->shorts, p->longs, NULL)) != -1) {
		r = opt_common_handle(co, c, optarg, tool, u);
		if (r == 2)
			return OPT_EXIT;
		if (r == 0)
			return c;
	}
	if ((co->exit_status = check_common(co)) != 0)
		return OPT_EXIT;
	return -1;
}
