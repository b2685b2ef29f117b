#include "common.h"

#include <unistd.h>

#include <xlsxwriter.h>

#include "buf.h"
#include "encoding.h"
#include "msg.h"
#include "strnum.h"
#include "width.h"
#include "xlsx.h"

#define XLSX_MAX_CHARS 32767
#define XLSX_MIN_WIDTH 6
#define XLSX_MAX_WIDTH 60

enum xlsx_fmt { XF_PLAIN, XF_PCT, XF_DATETIME, XF_DATE, XF_N };

struct xlsx {
	char *path;                    /* the temporary workbook */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *fmt[2][XF_N];      /* [bold][kind]; [0][XF_PLAIN] NULL */
	enum out_type *types;
	size_t *width;
	size_t ncols;
	lxw_row_t row;                 /* the next row to write */
	struct buf last;               /* the last row's cells, NUL-separated */
	size_t *lastlen;
	int warned_long;
	struct buf text;               /* a cell made valid for the XML */
};

static const char *const fmt_code[XF_N] = {
	[XF_PLAIN] = NULL, [XF_PCT] = "0.0%",
	[XF_DATETIME] = "yyyy-mm-dd hh:mm:ss", [XF_DATE] = "yyyy-mm-dd",
};

static int tmp_workbook(struct xlsx *x)
{
	const char *dir = getenv("TMPDIR");
	size_t n;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	n = strlen(dir) + sizeof "/cityops-XXXXXX";
	x->path = xmalloc(n);
	snprintf(x->path, n, "%s/cityops-XXXXXX", dir);
	fd = mkstemp(x->path);
	if (fd < 0) {
		msg_err("cannot create a temporary file in '%s': %s", dir, strerror(errno));
		free(x->path);
		x->path = NULL;
		return -1;
	}
	close(fd);
	return 0;
}

static void make_formats(struct xlsx *x)
{
	for (int b = 0; b < 2; b++)
		for (int k = 0; k < XF_N; k++) {
			if (!b && k == XF_PLAIN)
				continue;
			x->fmt[b][k] = workbook_add_format(x->wb);
			if (b)
				format_set_bold(x->fmt[b][k]);
			if (fmt_code[k])
				format_set_num_format(x->fmt[b][k], fmt_code[k]);
		}
}

struct xlsx *xlsx_new(void)
{
	struct xlsx *x = xcalloc(1, sizeof *x);

	if (tmp_workbook(x) < 0) {
		free(x);
		return NULL;
	}
	x->wb = workbook_new(x->path);
	if (x->wb)
		x->ws = workbook_add_worksheet(x->wb, NULL);
	if (!x->ws) {
		msg_err("cannot start a workbook in '%s'", x->path);
		xlsx_free(x);
		return NULL;
	}
	make_formats(x);
	return x;
}

static void fit(struct xlsx *x, size_t col, size_t w)
{
	if (w > x->width[col])
		x->width[col] = w;
}

/*
 * The text of a cell as Excel takes it: valid UTF-8 (else U+FFFD), at most
 * 32,767 characters.  Points into x->text.
 */
static const char *cell_text(struct xlsx *x, const char *s, size_t n)
{
	size_t i = 0, len, chars = 0;

	buf_reset(&x->text);
	while (i < n && chars < XLSX_MAX_CHARS) {
		len = encoding_utf8_decode(s + i, n - i, NULL);
		if (len && s[i] != '\0') {
			buf_add(&x->text, s + i, len);
			i += len;
		} else {
			buf_add(&x->text, "\xEF\xBF\xBD", 3);
			i++;
		}
		chars++;
	}
	if (i < n && !x->warned_long) {
		x->warned_long = 1;
		msg_warn("a value longer than %d characters is cut short in the "
			 "workbook (Excel holds no more in a cell)", XLSX_MAX_CHARS);
	}
	return buf_str(&x->text);
}

/* [-+]digits[.digits][e[+-]digits]: a number as a report writes one */
static int parse_number(const char *s, size_t n, double *v)
{
	size_t i = 0, d, sign = n && s[0] == '+';

	if (n && (s[0] == '-' || s[0] == '+'))
		i++;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return -1;
	if (i < n && s[i] == '.')
		for (++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return -1;
	}
	if (i != n)
		return -1;
	return strnum_double(s + sign, n - sign, v);
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int digits(const char *s, const char *pattern)
{
	for (; *pattern; s++, pattern++)
		if (*pattern == 'd' ? (*s < '0' || *s > '9') : *s != *pattern)
			return 0;
	return 1;
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS]]": 0 with *date_only, or -1 */
static int parse_time(const char *s, size_t n, lxw_datetime *t, int *date_only)
{
	memset(t, 0, sizeof *t);
	if (n < 10 || !digits(s, "dddd-dd-dd"))
		return -1;
	t->year = two(s) * 100 + two(s + 2);
	t->month = two(s + 5);
	t->day = two(s + 8);
	*date_only = n == 10;
	if (n != 10) {
		if ((n != 16 && n != 19) || (s[10] != ' ' && s[10] != 'T') ||
		    !digits(s + 11, "dd:dd") || (n == 19 && !digits(s + 16, ":dd")))
			return -1;
		t->hour = two(s + 11);
		t->min = two(s + 14);
		t->sec = n == 19 ? two(s + 17) : 0;
	}
	if (t->year < 1900 || t->month < 1 || t->month > 12 || t->day < 1 ||
	    t->day > 31 || t->hour > 23 || t->min > 59 || t->sec > 59)
		return -1;
	return 0;
}

/* One cell; what it shows is fitted into the column's width. */
static lxw_error write_cell(struct xlsx *x, size_t col, const char *s, size_t n,
			    int bold)
{
	lxw_col_t c = (lxw_col_t)col;
	enum out_type type = x->types[col];
	lxw_datetime t;
	double v;
	int date_only;

	if (n == 0 || (n == 1 && s[0] == '-'))
		return bold ? worksheet_write_blank(x->ws, x->row, c, x->fmt[1][XF_PLAIN])
			    : LXW_NO_ERROR;
	if ((type == OUT_NUM || type == OUT_RATE) && s[n - 1] == '%' &&
	    parse_number(s, n - 1, &v) == 0) {
		fit(x, col, n);
		return worksheet_write_number(x->ws, x->row, c, v / 100,
					      x->fmt[bold][XF_PCT]);
	}
	if ((type == OUT_NUM || type == OUT_RATE) && parse_number(s, n, &v) == 0) {
		fit(x, col, type == OUT_RATE ? 6 : n);
		return worksheet_write_number(x->ws, x->row, c, v,
					      x->fmt[bold][type == OUT_RATE ? XF_PCT : XF_PLAIN]);
	}
	if (type == OUT_TIME && parse_time(s, n, &t, &date_only) == 0) {
		fit(x, col, date_only ? 10 : 19);
		return worksheet_write_datetime(x->ws, x->row, c, &t,
			x->fmt[bold][date_only ? XF_DATE : XF_DATETIME]);
	}
	s = cell_text(x, s, n);
	fit(x, col, width_of(s, strlen(s)));
	return worksheet_write_string(x->ws, x->row, c, s, x->fmt[bold][XF_PLAIN]);
}

static int row_done(struct xlsx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR) {
		if (e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
			msg_err("an xlsx worksheet holds at most %d rows", LXW_ROW_MAX);
		else
			msg_err("xlsx: %s", lxw_strerror(e));
		return -1;
	}
	x->row++;
	return 0;
}

int xlsx_header(struct xlsx *x, const char *const *names,
		const enum out_type *types, size_t n)
{
	lxw_error e = LXW_NO_ERROR;

	x->ncols = n;
	x->types = xcalloc(n ? n : 1, sizeof *x->types);
	x->width = xcalloc(n ? n : 1, sizeof *x->width);
	x->lastlen = xcalloc(n ? n : 1, sizeof *x->lastlen);
	for (size_t i = 0; i < n; i++)
		x->types[i] = OUT_STR;  /* the header is text */
	for (size_t i = 0; i < n && e == LXW_NO_ERROR; i++)
		e = write_cell(x, i, names[i], strlen(names[i]), 1);
	memcpy(x->types, types, n * sizeof *types);
	worksheet_freeze_panes(x->ws, 1, 0);
	return row_done(x, e);
}

/* Keep the row, to set it in bold should it turn out to be the total. */
static void keep_last(struct xlsx *x, const char *const *vals, const size_t *lens)
{
	buf_reset(&x->last);
	for (size_t i = 0; i < x->ncols; i++) {
		size_t n = !vals[i] ? 0 : lens ? lens[i] : strlen(vals[i]);
		x->lastlen[i] = n;
		buf_add(&x->last, vals[i] ? vals[i] : "", n);
	}
}

static lxw_error write_row(struct xlsx *x, const char *const *vals,
			   const size_t *lens, int bold)
{
	lxw_error e = LXW_NO_ERROR;

	if (x->row >= LXW_ROW_MAX)
		return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
	for (size_t i = 0; i < x->ncols && e == LXW_NO_ERROR; i++) {
		size_t n = !vals[i] ? 0 : lens ? lens[i] : strlen(vals[i]);
		e = write_cell(x, i, vals[i] ? vals[i] : "", n, bold);
	}
	return e;
}

int xlsx_row(struct xlsx *x, const char *const *vals, const size_t *lens, int bold)
{
	lxw_error e = write_row(x, vals, lens, bold);

	if (e == LXW_NO_ERROR)
		keep_last(x, vals, lens);
	return row_done(x, e);
}

int xlsx_bold_last(struct xlsx *x)
{
	const char **vals;
	size_t off = 0;
	lxw_error e;

	if (x->row < 2)
		return 0;  /* no row but the header */
	vals = xcalloc(x->ncols ? x->ncols : 1, sizeof *vals);
	for (size_t i = 0; i < x->ncols; i++) {
		vals[i] = x->last.s + off;
		off += x->lastlen[i];
	}
	x->row--;
	e = write_row(x, vals, x->lastlen, 1);
	free(vals);
	return row_done(x, e);
}

static int copy_file(const char *path, struct zout *z)
{
	char b[65536];
	size_t n;
	FILE *f = fopen(path, "rb");
	int st = 0;

	if (!f) {
		msg_err("cannot read the workbook '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(b, 1, sizeof b, f)) > 0)
		if (zout_write(z, b, n) < 0) {
			st = -1;  /* the caller reports the write error */
			break;
		}
	if (ferror(f)) {
		msg_err("cannot read the workbook '%s': %s", path, strerror(errno));
		st = -1;
	}
	fclose(f);
	return st;
}

int xlsx_finish(struct xlsx *x, struct zout *z)
{
	lxw_error e;

	for (size_t i = 0; i < x->ncols; i++) {
		size_t w = x->width[i] + 2;
		w = w < XLSX_MIN_WIDTH ? XLSX_MIN_WIDTH : w > XLSX_MAX_WIDTH ? XLSX_MAX_WIDTH : w;
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, (double)w, NULL);
	}
	e = workbook_close(x->wb);
	x->wb = NULL;
	if (e != LXW_NO_ERROR) {
		msg_err("cannot write the workbook: %s", lxw_strerror(e));
		return -1;
	}
	return copy_file(x->path, z);
}

void xlsx_free(struct xlsx *x)
{
	if (!x)
		return;
	if (x->wb) {
		/* never finished: workbook_close is the only way to free it */
		workbook_close(x->wb);
	}
	if (x->path) {
		unlink(x->path);
		free(x->path);
	}
	free(x->types);
	free(x->width);
	free(x->lastlen);
	buf_free(&x->last);
	buf_free(&x->text);
	free(x);
}
