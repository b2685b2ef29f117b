#include "common.h"

#include <locale.h>
#include <math.h>
#include <unistd.h>

#include "buf.h"
#include "csvio.h"
#include "encoding.h"
#include "json.h"
#include "msg.h"
#include "out.h"
#include "width.h"
#include "xlsx.h"
#include "zio.h"

/*
 * csv, tsv, json, jsonl and md stream: each row is built in o->line and
 * handed to the zout in one write.  table keeps every cell (control
 * characters already replaced by spaces) with its display width until
 * out_finish(), which knows the column widths.
 */

struct out_cell {
	size_t off, len, width;
};

struct out {
	struct zout *z;
	enum out_format fmt;
	struct out_col *cols;
	size_t ncols;
	int flags;
	int has_cols;
	int raw;
	int discard;
	int started;
	int finished;
	int failed;
	int in_total;        /* out_total() is writing its row */
	int total_done;      /* the total row is out: no row may follow */
	size_t nrows;
	struct buf line;
	/* json, jsonl: "\"name\":" of each column, at keyoff[i] in keys */
	struct buf keys;
	size_t *keyoff;
	/* table: the header then every row, ncols cells each */
	struct buf text;
	struct out_cell *cells;
	size_t ncells, cellcap;
	/* xlsx: the workbook, written out by out_finish() */
	struct xlsx *xlsx;
};

static const char *const format_names[] = {
	[OUT_CSV] = "csv",     [OUT_TSV] = "tsv",     [OUT_JSON] = "json",
	[OUT_JSONL] = "jsonl", [OUT_TABLE] = "table", [OUT_MD] = "md",
	[OUT_XLSX] = "xlsx",
};

int out_format_parse(const char *s)
{
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < ARRAY_SIZE(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *out_format_name(enum out_format f)
{
	if ((size_t)f < ARRAY_SIZE(format_names))
		return format_names[f];
	return "unknown";
}

enum out_format out_default_format(int fd)
{
	return isatty(fd) ? OUT_TABLE : OUT_CSV;
}

size_t out_display_width(const char *s, size_t n)
{
	return width_of(s, n);
}

/* ---- numbers ---------------------------------------------------------- */

size_t out_double(double v, char buf[OUT_DOUBLE_LEN])
{
	const char *dp = localeconv()->decimal_point;
	char *p;
	size_t n, k;

	buf[0] = '\0';
	if (!isfinite(v))
		return 0;
	if (v == 0)
		v = 0;  /* -0 */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, OUT_DOUBLE_LEN, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;  /* read in the same locale it was written in */
	}
	n = strlen(buf);
	k = strlen(dp);
	if (strcmp(dp, ".") != 0 && k && (p = strstr(buf, dp)) != NULL) {
		*p = '.';
		memmove(p + 1, p + k, (size_t)(buf + n - (p + k)) + 1);
		n -= k - 1;
	}
	return n;
}

const char *out_fixed(double v, int decimals, char buf[OUT_DOUBLE_LEN])
{
	double scale = pow(10, decimals);

	if (isfinite(v) && fabs(v) < 1e15 / scale)
		v = round(v * scale) / scale;
	out_double(v, buf);
	return buf;
}

const char *out_decimals(double v, int k, char buf[OUT_DOUBLE_LEN])
{
	long long scale = 1, q, ip, fp;
	int neg;

	if (isnan(v) || isinf(v) || fabs(v) > 1e15) {
		buf[0] = '\0';
		if (!isnan(v))
			snprintf(buf, OUT_DOUBLE_LEN, "%s", v < 0 ? "-1e15" : "1e15");
		return buf;
	}
	if (k > 9)
		k = 9;
	for (int i = 0; i < k; i++)
		scale *= 10;
	q = llround(v * (double)scale);
	neg = q < 0;
	if (neg)
		q = -q;
	ip = q / scale;
	fp = q % scale;
	snprintf(buf, OUT_DOUBLE_LEN, "%s%lld", neg ? "-" : "", ip);
	if (k > 0) {
		size_t l = strlen(buf);
		buf[l + (size_t)k + 1] = '\0';
		for (int i = k; i > 0; i--, fp /= 10)
			buf[l + (size_t)i] = (char)('0' + fp % 10);
		buf[l] = '.';
	}
	return buf;
}


/* ---- csv and tsv ------------------------------------------------------ */

static const unsigned char tsv_special[256] = {
	['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\\'] = '\\',
};

static void tsv_field(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, run;

	while (i < n) {
		run = i;
		while (i < n && !tsv_special[(unsigned char)s[i]])
			i++;
		buf_add(b, s + run, i - run);
		if (i < n) {
			buf_addc(b, '\\');
			buf_addc(b, (char)tsv_special[(unsigned char)s[i]]);
			i++;
		}
	}
}

/* ---- json ------------------------------------------------------------- */

static void json_object(struct out *o, const char *const *vals,
			const size_t *lens)
{
	struct buf *b = &o->line;
	size_t i, n;

	buf_addc(b, '{');
	for (i = 0; i < o->ncols; i++) {
		if (i)
			buf_addc(b, ',');
		buf_add(b, o->keys.s + o->keyoff[i],
			o->keyoff[i + 1] - o->keyoff[i]);
		if (!vals[i]) {
			buf_add(b, "null", 4);
			continue;
		}
		n = lens ? lens[i] : strlen(vals[i]);
		if (o->cols[i].type == OUT_NUM || o->cols[i].type == OUT_RATE)
			json_put_number(b, vals[i], n);
		else
			json_put_string(b, vals[i], n);
	}
	buf_addc(b, '}');
}

/* ---- md --------------------------------------------------------------- */

static void md_cell(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, run;
	unsigned char c;

	buf_addc(b, ' ');
	while (i < n) {
		run = i;
		while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '|' &&
		       s[i] != 0x7F)
			i++;
		buf_add(b, s + run, i - run);
		if (i == n)
			break;
		c = (unsigned char)s[i++];
		if (c == '|') {
			buf_add(b, "\\|", 2);
		} else if (c == '\n' || c == '\r') {
			buf_add(b, "<br>", 4);
			if (c == '\r' && i < n && s[i] == '\n')
				i++;
		} else {
			buf_addc(b, ' ');
		}
	}
	buf_add(b, " |", 2);
}

static void md_header(struct out *o)
{
	struct buf *b = &o->line;
	size_t i;

	buf_addc(b, '|');
	for (i = 0; i < o->ncols; i++)
		md_cell(b, o->cols[i].name, strlen(o->cols[i].name));
	buf_add(b, "\n|", 2);
	for (i = 0; i < o->ncols; i++)
		buf_adds(b, (o->cols[i].type == OUT_NUM || o->cols[i].type == OUT_RATE) ? " ---: |" : " --- |");
	buf_addc(b, '\n');
}

/* ---- table ------------------------------------------------------------ */

/* Keep a cell with control characters (C0, DEL, C1) replaced by spaces. */
static void table_add(struct out *o, const char *s, size_t n)
{
	struct buf *b = &o->text;
	struct out_cell *cell;
	size_t off = b->len, i = 0, run;
	const unsigned char *p = (const unsigned char *)s;

	buf_grow(b, n);
	while (i < n) {
		run = i;
		while (i < n && p[i] >= 0x20 && p[i] != 0x7F &&
		       !(p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 &&
			 p[i + 1] < 0xA0))
			i++;
		buf_add(b, s + run, i - run);
		if (i == n)
			break;
		buf_addc(b, ' ');
		i += p[i] == 0xC2 ? 2 : 1;
	}
	XGROW(o->cells, o->ncells + 1, o->cellcap);
	cell = &o->cells[o->ncells++];
	cell->off = off;
	cell->len = b->len - off;
	cell->width = width_of(b->s + off, cell->len);
}

static void add_spaces(struct buf *b, size_t n)
{
	static const char spaces[] = "                                ";
	size_t k;

	while (n) {
		k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		buf_add(b, spaces, k);
		n -= k;
	}
}

static void add_chars(struct buf *b, char c, size_t n)
{
	buf_grow(b, n);
	memset(b->s + b->len, c, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void end_line(struct buf *b)
{
	while (b->len && b->s[b->len - 1] == ' ')
		b->len--;
	buf_addc(b, '\n');
}

static int write_line(struct out *o)
{
	if (zout_write(o->z, o->line.s, o->line.len) < 0)
		o->failed = 1;
	buf_reset(&o->line);
	return o->failed ? -1 : 0;
}

static void table_flush(struct out *o)
{
	size_t *w = xcalloc(o->ncols ? o->ncols : 1, sizeof *w);
	size_t r, i, nlines = o->ncols ? o->ncells / o->ncols : 0;
	struct buf *b = &o->line;
	struct buf rule = BUF_INIT;
	const struct out_cell *cell;

	for (r = 0; r < nlines; r++)
		for (i = 0; i < o->ncols; i++) {
			cell = &o->cells[r * o->ncols + i];
			if (cell->width > w[i])
				w[i] = cell->width;
		}
	for (i = 0; i < o->ncols; i++) {
		if (w[i] == 0)
			w[i] = 1;
		if (i)
			buf_add(&rule, "  ", 2);
		add_chars(&rule, '-', w[i]);
	}
	buf_addc(&rule, '\n');

	for (r = 0; r < nlines && !o->failed; r++) {
		if (r == 1 || (r > 1 && r == nlines - 1 &&
			       (o->flags & OUT_F_TOTAL))) {
			buf_add(b, rule.s, rule.len);
			if (r == 1 && nlines == 2 && (o->flags & OUT_F_TOTAL))
				buf_add(b, rule.s, rule.len);
		}
		for (i = 0; i < o->ncols; i++) {
			cell = &o->cells[r * o->ncols + i];
			if (i)
				buf_add(b, "  ", 2);
			if (o->cols[i].type == OUT_NUM || o->cols[i].type == OUT_RATE) {
				add_spaces(b, w[i] - cell->width);
				buf_add(b, o->text.s + cell->off, cell->len);
			} else {
				buf_add(b, o->text.s + cell->off, cell->len);
				if (i + 1 < o->ncols)
					add_spaces(b, w[i] - cell->width);
			}
		}
		end_line(b);
		if (b->len >= 64 * 1024)
			write_line(o);
	}
	if (nlines == 1)
		buf_add(b, rule.s, rule.len);
	write_line(o);
	buf_free(&rule);
	free(w);
}

/* ---- xlsx ------------------------------------------------------------- */

static void xlsx_columns(struct out *o)
{
	const char **names = xcalloc(o->ncols ? o->ncols : 1, sizeof *names);
	enum out_type *types = xcalloc(o->ncols ? o->ncols : 1, sizeof *types);

	for (size_t i = 0; i < o->ncols; i++) {
		names[i] = o->cols[i].name;
		types[i] = o->cols[i].type;
	}
	o->xlsx = xlsx_new();
	if (!o->xlsx || xlsx_header(o->xlsx, names, types, o->ncols) < 0)
		o->failed = 1;
	free(names);
	free(types);
}

static void xlsx_end(struct out *o)
{
	if ((o->flags & OUT_F_TOTAL) && !o->total_done && o->nrows &&
	    xlsx_bold_last(o->xlsx) < 0)
		o->failed = 1;
	if (!o->failed && xlsx_finish(o->xlsx, o->z) < 0)
		o->failed = 1;
}

/* ---- the writer ------------------------------------------------------- */

struct out *out_open(struct zout *z, enum out_format fmt, int flags)
{
	struct out *o = xcalloc(1, sizeof *o);

	o->z = z;
	o->fmt = fmt;
	o->flags = flags;
	return o;
}

enum out_format out_fmt(const struct out *o)
{
	return o->fmt;
}

struct out *out_new(struct zout *z, enum out_format fmt,
		    const struct out_col *cols, size_t ncols, int flags)
{
	struct out *o = out_open(z, fmt, flags);
	out_columns(o, cols, ncols);
	return o;
}

void out_columns(struct out *o, const struct out_col *cols, size_t ncols)
{
	size_t i;

	if (o->has_cols || o->raw)
		return; /* a second set of columns: a bug of the caller */
	o->has_cols = 1;
	o->ncols = ncols;
	o->cols = xcalloc(ncols ? ncols : 1, sizeof *o->cols);
	for (i = 0; i < ncols; i++) {
		const char *name = cols[i].name ? cols[i].name : "";
		if ((o->flags & OUT_F_ZH) && cols[i].zh)
			name = cols[i].zh;
		o->cols[i].name = xstrdup(name);
		o->cols[i].type = cols[i].type;
	}
	if (o->fmt == OUT_JSON || o->fmt == OUT_JSONL) {
		o->keyoff = xcalloc(ncols + 1, sizeof *o->keyoff);
		for (i = 0; i < ncols; i++) {
			o->keyoff[i] = o->keys.len;
			json_put_string(&o->keys, o->cols[i].name,
				     strlen(o->cols[i].name));
			buf_addc(&o->keys, ':');
		}
		o->keyoff[ncols] = o->keys.len;
	} else if (o->fmt == OUT_TABLE) {
		for (i = 0; i < ncols; i++)
			table_add(o, o->cols[i].name, strlen(o->cols[i].name));
	} else if (o->fmt == OUT_XLSX) {
		xlsx_columns(o);
	}
}

int out_raw(struct out *o, const char *s, size_t n)
{
	if (o->has_cols || o->finished || o->failed)
		return -1;
	if (o->fmt == OUT_XLSX) {
		msg_err("a text cannot be written as an xlsx workbook: give -f another format");
		o->failed = 1;
		return -1;
	}
	o->raw = 1;
	if (zout_write(o->z, s, n) < 0)
		o->failed = 1;
	return o->failed ? -1 : 0;
}

void out_discard(struct out *o)
{
	o->discard = 1;
}

/* What comes before the first row: BOM, header. */
static void out_start(struct out *o)
{
	struct buf *b = &o->line;
	size_t i;

	o->started = 1;
	if (o->fmt != OUT_CSV && o->fmt != OUT_TSV) {
		if (o->fmt == OUT_MD)
			md_header(o);
		return;
	}
	if (o->flags & OUT_F_BOM)
		buf_add(b, "\xEF\xBB\xBF", 3);
	if (o->flags & OUT_F_NOHEADER)
		return;
	for (i = 0; i < o->ncols; i++) {
		const char *name = o->cols[i].name;
		if (i)
			buf_addc(b, o->fmt == OUT_CSV ? ',' : '\t');
		if (o->fmt == OUT_CSV)
			csvio_quote(b, name, strlen(name));
		else
			tsv_field(b, name, strlen(name));
	}
	buf_addc(b, '\n');
}

int out_row(struct out *o, const char *const *vals, const size_t *lens)
{
	struct buf *b = &o->line;
	size_t i, n;
	const char *v;

	if (o->finished || o->failed || !o->has_cols || o->discard || o->total_done)
		return -1;
	if (!o->started)
		out_start(o);
	o->nrows++;
	switch (o->fmt) {
	case OUT_XLSX:
		if (xlsx_row(o->xlsx, vals, lens, o->in_total) < 0)
			o->failed = 1;
		return o->failed ? -1 : 0;
	case OUT_CSV:
	case OUT_TSV:
		for (i = 0; i < o->ncols; i++) {
			v = vals[i];
			if (i)
				buf_addc(b, o->fmt == OUT_CSV ? ',' : '\t');
			if (!v)
				continue;
			n = lens ? lens[i] : strlen(v);
			if (o->fmt == OUT_CSV)
				csvio_quote(b, v, n);
			else
				tsv_field(b, v, n);
		}
		buf_addc(b, '\n');
		break;
	case OUT_JSON:
		buf_add(b, o->nrows == 1 ? "[\n" : ",\n", 2);
		json_object(o, vals, lens);
		break;
	case OUT_JSONL:
		json_object(o, vals, lens);
		buf_addc(b, '\n');
		break;
	case OUT_MD:
		buf_addc(b, '|');
		for (i = 0; i < o->ncols; i++) {
			v = vals[i];
			n = !v ? 0 : lens ? lens[i] : strlen(v);
			md_cell(b, v ? v : "", n);
		}
		buf_addc(b, '\n');
		break;
	case OUT_TABLE:
		for (i = 0; i < o->ncols; i++) {
			v = vals[i];
			n = !v ? 0 : lens ? lens[i] : strlen(v);
			table_add(o, v ? v : "", n);
		}
		return 0;
	}
	return write_line(o);
}

const char *out_total_label(const struct out *o)
{
	return out_flags(o) & OUT_F_ZH ? "合计" : "合计 total";
}

int out_total(struct out *o, const char *const *vals, const size_t *lens)
{
	int r;

	o->in_total = 1;
	r = out_row(o, vals, lens);
	o->in_total = 0;
	if (r == 0) {
		o->flags |= OUT_F_TOTAL;
		o->total_done = 1;
	}
	return r;
}

int out_flags(const struct out *o)
{
	return o->flags;
}

int out_finish(struct out *o)
{
	if (o->finished)
		return o->failed ? -1 : 0;
	o->finished = 1;
	if (o->discard || o->raw || !o->has_cols) {
		/* nothing more to write than what went out already */
		if (!o->failed && (zout_flush(o->z) < 0 || zout_error(o->z)))
			o->failed = 1;
		return o->failed ? -1 : 0;
	}
	if (!o->started)
		out_start(o);
	if (o->failed)
		return -1;
	if (o->fmt == OUT_JSON)
		buf_adds(&o->line, o->nrows ? "\n]\n" : "[]\n");
	if (o->fmt == OUT_TABLE)
		table_flush(o);
	else if (o->fmt == OUT_XLSX)
		xlsx_end(o);
	else
		write_line(o);
	if (zout_flush(o->z) < 0 || zout_error(o->z))
		o->failed = 1;
	return o->failed ? -1 : 0;
}

void out_free(struct out *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->ncols; i++)
		free((char *)o->cols[i].name);
	free(o->cols);
	buf_free(&o->line);
	buf_free(&o->keys);
	free(o->keyoff);
	buf_free(&o->text);
	free(o->cells);
	xlsx_free(o->xlsx);
	free(o);
}

int out_close(struct out *o)
{
	struct zout *z;
	int failed;

	if (!o)
		return 0;
	z = o->z;
	if (o->discard)
		zout_discard(z);
	failed = out_finish(o) < 0;
	out_free(o);
	return zout_finish(z, failed);
}
