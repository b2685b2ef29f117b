/* config: finding the files, reading them through rec, the statuses. */
#include "common.h"

#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "msg.h"
#include "tap.h"

static const struct rec_field fields[] = {
	{ "date", "日期", 0 }, { "kind", "类型", 0 }, { "name", "名称", 0 },
};

static char dir[] = "/tmp/cityops-config-XXXXXX";

static const char *put(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fputs(text, f);
	fclose(f);
	return path;
}

/* rows as "line:date|kind|name;" (a missing value as -) */
static int row(void *ctx, const char *file, long line, const char *const *v,
	       const size_t *len)
{
	struct buf *b = ctx;

	(void)file;
	buf_addf(b, "%ld:", line);
	for (int i = 0; i < 3; i++) {
		if (i)
			buf_addc(b, '|');
		if (v[i])
			buf_add(b, v[i], len[i]);
		else
			buf_addc(b, '-');
	}
	buf_addc(b, ';');
	return v[1] && len[1] == 3 && memcmp(v[1], "bad", 3) == 0 ? -1 : 0;
}

static int read_text(const char *name, const char *text, unsigned required,
		     int flags, struct buf *b)
{
	buf_reset(b);
	return config_read(put(name, text), fields, 3, required, flags, row, b);
}

int main(void)
{
	struct buf b = BUF_INIT;
	char buf[512];
	const char *p;

	msg_quiet = 1;
	if (!mkdtemp(dir))
		return 1;
	unsetenv("CITYOPS_CONFIG");
	is_str(config_path("x.csv", "rules.csv", buf, sizeof buf), "x.csv",
	       "the option wins");
	ok(config_path(NULL, "rules.csv", buf, sizeof buf) == NULL,
	   "no option and no $CITYOPS_CONFIG: the built-in default");
	setenv("CITYOPS_CONFIG", dir, 1);
	ok(config_path(NULL, "rules.csv", buf, sizeof buf) == NULL,
	   "$CITYOPS_CONFIG without the file: the default");
	put("rules.csv", "x\n");
	p = config_path(NULL, "rules.csv", buf, sizeof buf);
	ok(p && strstr(p, "/rules.csv") && strncmp(p, dir, strlen(dir)) == 0,
	   "$CITYOPS_CONFIG/rules.csv when it is there");

	is_int(read_text("a.csv", "日期,类型,名称\n2023-01-01,holiday,元旦\n", 3, 0, &b), 0,
	       "a good file: 0");
	is_str(b.s, "2:2023-01-01|holiday|元旦;", "Chinese headers, rows with lines");
	is_int(read_text("b.csv", "\ndate,name\n2023-01-01,x\n", 3, 0, &b), EXIT_CONFIG,
	       "a required column missing: 78");
	is_str(buf_str(&b), "", "and no row is read");
	is_int(read_text("c.csv", "date,kind\nd1,bad\nd2,bad\nd3,ok\n", 3, 0, &b),
	       EXIT_CONFIG, "a bad line: 78");
	is_str(b.s, "2:d1|bad|-;", "it stops at the first bad line");
	is_int(read_text("d.csv", "date,kind\nd1,bad\nd2,bad\nd3,ok\n", 3,
			 CONFIG_ALL_ERRORS, &b), EXIT_CONFIG, "CONFIG_ALL_ERRORS: 78");
	is_str(b.s, "2:d1|bad|-;3:d2|bad|-;4:d3|ok|-;", "... after every line");
	is_int(read_text("e.csv", "date,kind\n1,2,3\n", 0, 0, &b), EXIT_CONFIG,
	       "a ragged line: 78");
	is_int(read_text("f.json", "[{\"date\":\"e\"},{\"date\":\"d\",\"kind\":\"k\"}]", 3,
			 0, &b), EXIT_CONFIG, "JSON: no key for a required field: 78");
	is_str(buf_str(&b), "", "... before any row");
	is_int(read_text("f2.json", "[{\"date\":\"d\",\"kind\":\"k\"},{\"date\":\"e\"}]",
			 3, 0, &b), 0, "JSON: a later record without it is the row's to judge");
	is_str(b.s, "1:d|k|-;1:e|-|-;", "... which gets no value");
	is_int(read_text("g.csv", "date,kind\n\"open\n", 0, 0, &b), EXIT_CONFIG,
	       "malformed CSV: 78");
	is_int(read_text("h.csv", "", 3, 0, &b), 0, "an empty file: no rows, 0");
	is_int(config_read("/nonexistent/x.csv", fields, 3, 0, 0, row, &b), EXIT_NO_INPUT,
	       "a missing file: 66");
	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	buf_free(&b);
	return tap_done();
}
