/*
 * test_facts.c - the month facts: built from cases, kept as a blob, read
 * back the same, dropped by the triggers on a write, rebuilt when the blob
 * is damaged.
 */
#include "common.h"

#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "case/case.h"
#include "case/facts.h"
#include "shared/schemas.h"
#include "tap.h"

struct seen {
	size_t months, facts, closed, cats;
	char first_cat[64];
};

static void count(void *ctx, const struct fact_month *m)
{
	struct seen *s = ctx;
	s->months++;
	s->facts += m->n;
	s->cats += m->ncats;
	for (size_t i = 0; i < m->n; i++)
		s->closed += (m->v[i].flags & FACT_STATE) == CASE_CLOSED;
	if (m->ncats && !s->first_cat[0])
		snprintf(s->first_cat, sizeof s->first_cat, "%s", m->cats[0]);
}

static struct seen run(struct db *d)
{
	struct seen s;
	memset(&s, 0, sizeof s);
	ok(facts_each_month(d, "2023-01", "2024-01", count, &s) == 0, "facts of 2023 read");
	return s;
}

static long long kept(struct db *d)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(d->h, "SELECT count(*) FROM stat_months", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int main(void)
{
	char path[] = "/tmp/test_facts.XXXXXX";
	struct db_opts o = { path, 0, 0, 0 };
	struct db *d;
	struct seen a, b;
	int fd = mkstemp(path);

	schemas_register();
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	ok(db_open(&d, &o) == 0, "a new store");
	ok(db_exec(d,
		"INSERT INTO cases(id, kind, big_class, reported_at, closed_at, state) VALUES"
		" ('A', 'event', '街面秩序类', '2023-03-01 10:00:00', '2023-03-02 10:00:00', 'closed'),"
		" ('B', 'event', '街面秩序类', '2023-03-05 10:00:00', NULL, 'registered'),"
		" ('C', 'component', '公用设施类', '2023-07-01 10:00:00', NULL, 'dispatched'),"
		" ('D', 'event', '市容环境类', '2022-12-31 23:59:59', NULL, 'registered')") == SQLITE_OK,
	   "four cases, one of them in 2022");
	a = run(d);
	is_int((long long)a.months, 12, "twelve months, empty ones too");
	is_int((long long)a.facts, 3, "three cases of 2023");
	is_int((long long)a.closed, 1, "one closed");
	is_str(a.first_cat, "街面秩序类", "March's category");
	is_int(kept(d), 2, "the two months with cases are kept");
	b = run(d);
	ok(a.facts == b.facts && a.closed == b.closed && a.cats == b.cats &&
	   strcmp(a.first_cat, b.first_cat) == 0, "the kept blobs give the same facts");
	ok(db_exec(d, "UPDATE cases SET state = 'closed', closed_at = '2023-07-02 10:00:00'"
		      " WHERE id = 'C'") == SQLITE_OK, "a write to July");
	is_int(kept(d), 1, "drops July's facts, keeps March's");
	b = run(d);
	is_int((long long)b.closed, 2, "and July is built again with the write");
	ok(db_exec(d, "UPDATE stat_months SET facts = zeroblob(40) WHERE month = '2023-03'") == SQLITE_OK,
	   "March's blob damaged");
	b = run(d);
	is_int((long long)b.facts, 3, "a damaged blob is rebuilt, never misread");
	is_int((long long)b.closed, 2, "with the same figures");
	ok(db_exec(d, "DELETE FROM cases WHERE id = 'A'") == SQLITE_OK &&
	   kept(d) == 1, "a delete drops its month");
	db_close(d);
	unlink(path);
	{
		char wal[64], shm[64];
		snprintf(wal, sizeof wal, "%s-wal", path);
		snprintf(shm, sizeof shm, "%s-shm", path);
		unlink(wal);
		unlink(shm);
	}
	return tap_done();
}
