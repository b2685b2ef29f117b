/*
 * config.h - finding and reading the configuration files of DESIGN §6
 * (classes.csv, calendar.csv, units.csv, owners.csv, rules.csv).
 *
 *   const char *p = config_path(opt, "rules.csv", buf, sizeof buf);
 *           the option's value, else $CITYOPS_CONFIG/rules.csv when that
 *           exists, else NULL (the built-in default, or none)
 *
 *   st = config_read(path, fields, nfields, required, flags, row, ctx);
 *           reads the file through rec (CSV/TSV/JSON, UTF-8 or GB18030,
 *           English or Chinese headers) and calls
 *           row(ctx, file, line, v, len) for each record; row reports its
 *           own problems with msg_errat(file, line, ...) and returns -1.
 *           required: a bit per field index that must have a column
 *           ("calendar.csv: no 'kind' column (expected date, kind, name)").
 *           CONFIG_ALL_ERRORS: go on after a bad line so that every one
 *           is reported (--check-rules); else stop at the first.
 *           Returns 0, 66 (cannot open), 74 (read error) or 78 (a bad
 *           line or column).
 */
#ifndef CITYOPS_CONFIG_H
#define CITYOPS_CONFIG_H

#include "rec.h"

#define CONFIG_ALL_ERRORS 1

typedef int (*config_row_fn)(void *ctx, const char *file, long line,
			     const char *const *v, const size_t *len);

const char *config_path(const char *opt, const char *name, char *buf, size_t n);
int config_read(const char *path, const struct rec_field *fields, size_t nfields,
		unsigned required, int flags, config_row_fn row, void *ctx);

#endif
