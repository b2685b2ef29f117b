/* rec: formats, header mapping, JSON flattening, bad records. */
#include "common.h"

#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "out.h"
#include "rec.h"
#include "memsrc.h"
#include "tap.h"

static const struct rec_field fields[] = {
	{ "id", "案件编号|编号", 0 },
	{ "reported_at", "上报时间|created_date", REC_F_TIME },
	{ "description", "问题描述", 0 },
};


/*
 * Read text as fmt through rec: "line:v0|v1|v2;" per record (- for no
 * value), "B:reason;" for a bad record, "E<status>" when it stops, "O<status>"
 * when it does not open.
 */
static void dump(const char *text, size_t n, enum rec_fmt fmt,
		 const char *const *maps, size_t nmaps, struct buf *out)
{
	struct rec_opts o = { fmt, ENCODING_AUTO, maps, nmaps, NULL, 0 };
	const char *path = write_tmp(text, n);
	struct rec_src *s;
	struct rec r;
	int st = 0, rc;

	buf_reset(out);
	s = rec_open(path, fields, ARRAY_SIZE(fields), &o, &st);
	if (!s) {
		buf_addf(out, "O%d", st);
		unlink(path);
		return;
	}
	while ((rc = rec_next(s, &r)) != 0) {
		if (rc < 0) {
			buf_addf(out, "E%d", rec_status(s));
			break;
		}
		buf_addf(out, "%ld:", r.line);
		if (rc == 2) {
			buf_addf(out, "B:%s;", r.reason);
			continue;
		}
		for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
			if (i)
				buf_addc(out, '|');
			if (r.v[i])
				buf_add(out, r.v[i], r.len[i]);
			else
				buf_addc(out, '-');
		}
		buf_addc(out, ';');
	}
	rec_close(s);
	unlink(path);
}

#define DUMP(text, fmt, out) dump(text, sizeof text - 1, fmt, NULL, 0, out)

/* Many distinct keys and columns: each maps as one would alone. */
static void many_keys(struct buf *out)
{
	struct buf t = BUF_INIT;
	enum { NKEYS = 100000, NCOLS = 20000 };

	buf_adds(&t, "{");
	for (int i = 0; i < NKEYS; i++)
		buf_addf(&t, "\"k%d\":%d,", i, i);
	buf_adds(&t, "\"问题描述\":\"d\",\"案件编号\":\"K1\",\"created_date\":\"t\"}\n");
	dump(t.s, t.len, REC_JSON, NULL, 0, out);
	is_str(buf_str(out), "1:K1|t|d;", "one JSON record with 100,000 other keys");

	buf_reset(&t);
	for (int i = 0; i < 2000; i++)
		buf_addf(&t, "{\"id\":\"C%d\",\"x%d\":1,\"上报时间\":\"t%d\"}\n", i, i, i);
	dump(t.s, t.len, REC_JSONL, NULL, 0, out);
	ok(out->len > 0 && strstr(out->s, "2000:C1999|t1999|-;") != NULL,
	   "JSON Lines, each record with a key of its own");

	buf_reset(&t);
	for (int i = 0; i < NCOLS; i++)
		buf_addf(&t, "c%d,", i);
	buf_adds(&t, "id,reported_at\n");
	for (int i = 0; i < NCOLS; i++)
		buf_adds(&t, "v,");
	buf_adds(&t, "W1,2023-01-03\n");
	dump(t.s, t.len, REC_CSV, NULL, 0, out);
	is_str(buf_str(out), "2:W1|2023-01-03|-;", "a CSV of 20,000 columns");
	buf_free(&t);
}

/* Required fields: one message for all that are missing, at the header's
 * physical line. */
static void required(struct buf *out)
{
	static const struct rec_field req[] = {
		{ "id", NULL, REC_F_REQUIRED }, { "unit", NULL, 0 },
		{ "reported_at", NULL, REC_F_REQUIRED | REC_F_TIME },
	};
	struct rec_opts o = { REC_CSV, ENCODING_AUTO, NULL, 0, NULL, 0 };
	const char *path;
	struct rec_src *s;
	int st = 0;

	path = write_tmp("\n\nunit,x\nu,1\n", 13);
	s = rec_open(path, req, 3, &o, &st);
	ok(!s && st == EXIT_DATA_ERR, "a header without two required fields: 65");
	rec_close(s);
	unlink(path);
	path = write_tmp("\r\n\nid,reported_at\nA,t\n", 22);
	s = rec_open(path, req, 3, &o, &st);
	ok(s && st == 0 && rec_header_line(s) == 3, "the header's line is its physical line");
	rec_close(s);
	unlink(path);
	buf_reset(out);
}

/* Ids: a bare list of one column, its first line included. */
static void bare_ids(void)
{
	static const char *const text[] = { "P002\nP003\n", "\nid\nP002\n",
					    "P002,x\nP003,y\n" };
	static const char *const want[] = { "1:P002;2:P003;", "3:P002;", "O65" };

	for (size_t i = 0; i < ARRAY_SIZE(text); i++) {
		const char *path = write_tmp(text[i], strlen(text[i]));
		struct buf b = BUF_INIT;
		struct rec r;
		int st = 0;
		struct rec_src *s = rec_open_ids(path, REC_AUTO, ENCODING_AUTO, &st);

		if (!s)
			buf_addf(&b, "O%d", st);
		while (s && rec_next(s, &r) > 0)
			buf_addf(&b, "%ld:%.*s;", r.line, (int)r.len[0], r.v[0]);
		is_str(buf_str(&b), want[i], "ids: %s", i == 0 ? "a bare list"
			  : i == 1 ? "a header" : "no id column of two");
		rec_close(s);
		buf_free(&b);
		unlink(path);
	}
}

/* Records read ahead are handed out in order, with an error after them. */
static void read_ahead(struct buf *out)
{
	struct buf t = BUF_INIT;

	buf_adds(&t, "id,reported_at\n");
	for (int i = 2; i <= 1500; i++)
		buf_addf(&t, i == 3 ? "A%d\n" : i == 1200 ? "\"A%d,x\n" : "A%d,t%d\n", i, i);
	dump(t.s, t.len, REC_CSV, NULL, 0, out);
	ok(strncmp(buf_str(out), "2:A2|t2|-;3:B:expected 2 fields, found 1;4:A4|t4|-;", 51) == 0 &&
	   strstr(out->s, "1199:A1199|t1199|-;E65") != NULL,
	   "records read ahead keep their order; an error comes after them");
	buf_free(&t);
}

/* A file's dates: detected, or ambiguous (an error, but for REC_O_SHOW). */
static void dates(void)
{
	static const char nyc[] = "id,created_date\nN1,04/12/2018 11:11:26 AM\n"
				  "N2,2018-11-13 13:00\nN3,11/13/2018 01:06:56 PM\n";
	static const char amb[] = "id,created_date\nN1,03/04/2023\nN2,05/06/2023\n";
	struct rec_opts o = { REC_CSV, ENCODING_AUTO, NULL, 0, NULL, 0 };
	const char *path = write_tmp(nyc, sizeof nyc - 1);
	struct rec_src *s;
	int st = 0;

	s = rec_open(path, fields, ARRAY_SIZE(fields), &o, &st);
	is_str(s ? rec_date_format(s, 1) : "(not open)", "%m/%d/%Y %I:%M:%S %p",
	       "NYC's times: the form is detected");
	ok(s && !rec_date_format(s, 0), "and only for the time field");
	rec_close(s);
	o.date_format = "%m/%d/%Y %I:%M:%S %p";
	s = rec_open(path, fields, ARRAY_SIZE(fields), &o, &st);
	ok(s && !rec_date_format(s, 1), "--date-format: nothing detected");
	rec_close(s);
	unlink(path);
	o.date_format = NULL;
	path = write_tmp(amb, sizeof amb - 1);
	s = rec_open(path, fields, ARRAY_SIZE(fields), &o, &st);
	ok(!s && st == EXIT_DATA_ERR, "every day <= 12: ambiguous, 65");
	o.flags = REC_O_SHOW;
	s = rec_open(path, fields, ARRAY_SIZE(fields), &o, &st);
	ok(s != NULL, "... but shown with REC_O_SHOW");
	rec_close(s);
	unlink(path);
}

/* The mapping, as CSV. */
static void mapping(void)
{
	static const struct rec_field req[] = {
		{ "id", "案件编号", REC_F_REQUIRED }, { "unit", NULL, 0 },
		{ "reported_at", "created_date", REC_F_REQUIRED | REC_F_TIME },
		{ "address", NULL, 0 },
	};
	static const char csv[] = "案件编号,Where,Created Date,x\nA1,W1,04/12/2018 11:11:26 AM,\n"
				  "A2,W2,11/13/2018 01:06:56 PM,\nA3,W3,12/13/2018 01:06:56 PM,\n"
				  "A4,W4,12/14/2018 01:06:56 PM,\n";
	static const char *const maps[] = { "Where=ID" };
	struct rec_opts o = { REC_CSV, ENCODING_AUTO, maps, 1, NULL, REC_O_SHOW };
	const char *path = write_tmp(csv, sizeof csv - 1);
	FILE *f = tmpfile();
	struct zout *z = zout_open_fp(f);
	struct out *out = out_open(z, OUT_CSV, 0);
	struct rec_src *s;
	char text[2048];
	size_t n;
	int st = 0;

	s = rec_open(path, req, ARRAY_SIZE(req), &o, &st);
	rec_mapping_begin(out);
	ok(s && rec_mapping_write(s, out) == 0 && rec_pending(s) == 0, "the mapping is written");
	out_finish(out);
	out_free(out);
	zout_close(z);
	rewind(f);
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	rec_close(s);
	if (!ok(strstr(text, "file,column,field,how,date_format,value_1,value_2,value_3\n") == text &&
	   strstr(text, ",案件编号,id,unused: 'id' is read from 'Where',,A1,A2,A3\n") &&
	   strstr(text, ",Where,id,--map,,W1,W2,W3\n") &&
	   strstr(text, ",Created Date,reported_at,alias,%m/%d/%Y %I:%M:%S %p (detected),04/12/2018 11:11:26 AM,11/13/2018 01:06:56 PM,12/13/2018 01:06:56 PM\n") &&
	   strstr(text, ",x,,unused,,,,\n") && strstr(text, ",,unit,missing,,,,\n") &&
	   strstr(text, ",,address,missing,,,,\n"), "mapping: columns, fields, how, dates, values"))
		printf("# %s", text);
	unlink(path);
}

int main(void)
{
	struct buf o = BUF_INIT;

	msg_quiet = 1;
	DUMP("id,上报时间,other\nA1,2023-01-03,x\n", REC_CSV, &o);
	is_str(o.s, "2:A1|2023-01-03|-;", "CSV: a canonical name and an alias");
	DUMP("[{\"案件编号\":\"A1\",\"reported_at\":\"2023\",\"n\":{\"问题描述\":1}}]",
	     REC_JSON, &o);
	is_str(o.s, "1:A1|2023|-;", "JSON: a nested key is parent.child");
	DUMP("{\"id\":\"A\",\"description\":[1,{\"a\":[]}],\"reported_at\":null}\n"
	     "{\"id\":\"B\",\"id\":\"C\"}\n{\"id\":\"D\",\"description\":\"x\\u0000\"}\n",
	     REC_JSONL, &o);
	is_str(o.s, "1:A|-|[1,{\"a\":[]}];2:B:record 2: duplicate key 'id';"
		    "3:B:record 3: 'description' holds \\u0000, a NUL character;",
	       "JSON: an array is its text; a duplicate key and a NUL are bad records");
	{
		static const char *const m[] = { "Where=id" };
		const char csv[] = "案件编号,Where,上报时间\nX1,W1,t\n";
		const char js[] = "{\"案件编号\":\"X2\",\"Where\":\"W2\"}\n"
				  "{\"Where\":\"W3\",\"案件编号\":\"X3\"}\n";
		dump(csv, sizeof csv - 1, REC_CSV, m, 1, &o);
		is_str(o.s, "2:W1|t|-;", "CSV: --map wins over an alias before it");
		dump(js, sizeof js - 1, REC_JSONL, m, 1, &o);
		is_str(o.s, "1:W2|-|-;2:W3|-|-;", "JSON: --map wins over an alias, before or after");
	}
	{
		static const char *const m[] = { "No=ID", "When=上报时间" };
		static const char *const bad[] = { "Nope=id" };
		const char csv[] = "No,When\nM1,t\n";
		dump(csv, sizeof csv - 1, REC_CSV, m, 2, &o);
		is_str(o.s, "2:M1|t|-;", "--map targets: an alias, any case");
		dump(csv, sizeof csv - 1, REC_CSV, bad, 1, &o);
		is_str(o.s, "O64", "--map from a column the header lacks: 64");
		ok(rec_check_maps(m, 2, fields, ARRAY_SIZE(fields)) == 0 &&
		   rec_check_maps((const char *const[]){ "a=b" }, 1, fields,
				  ARRAY_SIZE(fields)) < 0 &&
		   rec_check_maps((const char *const[]){ "a=" }, 1, fields,
				  ARRAY_SIZE(fields)) < 0,
		   "rec_check_maps: targets by name or alias");
	}
	DUMP("\n\nid,reported_at\nA1,t\n", REC_CSV, &o);
	is_str(o.s, "4:A1|t|-;", "blank lines before the header: records keep their lines");
	DUMP(" \n", REC_JSON, &o);
	is_str(o.s, "O65", "a blank .json holds no JSON value: an error");
	DUMP(" \n", REC_JSONL, &o);
	is_str(buf_str(&o), "", "a blank JSON Lines file has no records");
	DUMP("[]", REC_JSON, &o);
	is_str(buf_str(&o), "", "nor has an empty array");
	required(&o);
	bare_ids();
	read_ahead(&o);
	dates();
	mapping();
	{
		/* a nested object whose keys make the column table grow while
		 * its parent's column is in use (a use after free, once) */
		struct buf t = BUF_INIT;
		buf_adds(&t, "{\"a\":{");
		for (int i = 0; i < 100; i++)
			buf_addf(&t, "%s\"k%d\":{\"x\":%d}", i ? "," : "", i, i);
		buf_adds(&t, "},\"id\":\"N1\",\"a.k0.y\":1}\n");
		dump(t.s, t.len, REC_JSONL, NULL, 0, &o);
		is_str(o.s, "1:N1|-|-;", "JSON: nested objects that add many keys");
		buf_free(&t);
	}
	many_keys(&o);
	buf_free(&o);
	return tap_done();
}
