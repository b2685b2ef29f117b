/*
 * xlsx.h - one worksheet of typed cells as an Excel workbook (libxlsxwriter);
 * the writer behind out's -f xlsx (out.h).
 *
 *   struct xlsx *x = xlsx_new();                   NULL after a message
 *   xlsx_header(x, names, types, n);               the bold, frozen first row
 *   xlsx_row(x, vals, lens, bold);                 one row; vals[i] NULL, ""
 *                                                  or "-": an empty cell
 *   xlsx_bold_last(x);                             set the last row in bold
 *                                                  (a total row)
 *   st = xlsx_finish(x, z);                        write the workbook to the
 *                                                  zout: 0 or -1 after a message
 *   xlsx_free(x);
 *
 * Cells by the column's out_type:
 *   OUT_NUM   a number cell when the text is a number ("624", "-3.5",
 *             "+12"); "97.4%" is a percentage cell as for OUT_RATE; else text
 *   OUT_RATE  "97.4%" or a fraction "0.974": the number 0.974 shown "97.4%"
 *             (format 0.0%); else text
 *   OUT_TIME  "YYYY-MM-DD HH:MM[:SS]" (or with T): an Excel date-time shown
 *             yyyy-mm-dd hh:mm:ss; "YYYY-MM-DD" a date; else text
 *   OUT_STR   text (shared strings; a leading = is text, never a formula;
 *             bytes that are not UTF-8 become U+FFFD; cut at Excel's 32,767
 *             characters with a warning)
 * Column widths fit the widest cell by display width (width.h: a CJK
 * character counts two), between 6 and 60.  A worksheet holds at most
 * 1,048,576 rows: a row past that fails with a message.
 *
 * libxlsxwriter writes to a named file: the workbook is built in a temporary
 * file ($TMPDIR, else /tmp) that xlsx_finish() copies into the zout and
 * removes, so that -o report.xlsx, -o - and .gz all work as for text.
 */
#ifndef CITYOPS_XLSX_H
#define CITYOPS_XLSX_H

#include "out.h"
#include "zio.h"

struct xlsx;
struct xlsx *xlsx_new(void);
int xlsx_header(struct xlsx *x, const char *const *names,
		const enum out_type *types, size_t n);
int xlsx_row(struct xlsx *x, const char *const *vals, const size_t *lens, int bold);
int xlsx_bold_last(struct xlsx *x);
int xlsx_finish(struct xlsx *x, struct zout *z);
void xlsx_free(struct xlsx *x);

#endif
