/*
 * test_db - the store: creation (mode 0600, application_id), migrations of
 * several registered schemas in version order, stores that are refused
 * (newer, foreign, SQLite's special names, missing for a reader), and the
 * busy timeout (0 fails at once).  The schemas are the test's own, not
 * cmd/shared/schemas.c's, so that the order of their steps is known.
 */
#include "common.h"

#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "memsrc.h"
#include "msg.h"
#include "tap.h"

/* Schema "a" makes a log table at version 1 that every later step writes
 * to; "b" brings version 2 and a table that a's version 3 reads. */
static const char *const a1[] = {
	"CREATE TABLE log(n INTEGER PRIMARY KEY, step TEXT)",
	"INSERT INTO log(step) VALUES ('a1')", NULL,
};
static const char *const a2[] = { "INSERT INTO log(step) VALUES ('a2')", NULL };
static const char *const a3[] = {
	"INSERT INTO log(step) SELECT 'a3 after ' || step FROM b2", NULL,
};
static const char *const b2[] = {
	"CREATE TABLE b2(step TEXT)", "INSERT INTO b2 VALUES ('b2')",
	"INSERT INTO log(step) VALUES ('b2')", NULL,
};
/* registered out of version order on purpose */
static const struct db_migration a_steps[] = { { 3, a3 }, { 1, a1 }, { 2, a2 } };
static const struct db_migration b_steps[] = { { 2, b2 } };
static const struct db_schema a_schema = { "a", a_steps, ARRAY_SIZE(a_steps) };
static const struct db_schema b_schema = { "b", b_steps, ARRAY_SIZE(b_steps) };

static char dir[] = "/tmp/test_db.XXXXXX";

static char *path_of(const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int open_db(struct db **d, const char *path, int busy_ms, int must_exist)
{
	struct db_opts o;

	memset(&o, 0, sizeof o);
	o.path = path;
	o.busy_ms = busy_ms;
	o.must_exist = must_exist;
	return db_open(d, &o);
}

/* One value of a query on a store, as text ("" when no row). */
static char *query(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			v = xstrdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return v ? v : xstrdup("");
}

static void is_query(const char *path, const char *sql, const char *want,
		     const char *name)
{
	char *got = query(path, sql);
	is_str(got, want, "%s", name);
	free(got);
}

static void exec_on(const char *path, const char *sql)
{
	sqlite3 *h;
	if (sqlite3_open(path, &h) != SQLITE_OK ||
	    sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(h));
		exit(1);
	}
	sqlite3_close(h);
}

static void test_create(void)
{
	char *p = path_of("new.db"), *wal = path_of("new.db-wal");
	struct db *d;
	struct stat sb;

	is_int(db_schema_version(), 3, "the newest version of the registered schemas");
	is_int(open_db(&d, p, -1, 0), 0, "a new store opens");
	ok(d && d->created, "and says it was created");
	ok(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600");
	is_int(db_exec(d, "INSERT INTO batches(tool, started_at) VALUES ('t', 'now')"),
	       SQLITE_OK, "a write");
	ok(stat(wal, &sb) == 0 && (sb.st_mode & 0777) == 0600, "its -wal is 0600 too");
	is_int(db_zone_min(d), 480, "the zone is +08:00");
	db_close(d);
	is_query(p, "PRAGMA user_version", "3", "user_version is the newest");
	is_query(p, "PRAGMA application_id", "1128879193", "application_id 'CITY'");
	is_query(p, "PRAGMA journal_mode", "wal", "WAL");
	is_query(p, "SELECT group_concat(step, ',') FROM (SELECT step FROM log ORDER BY n)",
		 "a1,a2,b2,a3 after b2",
		 "steps run by version, then in the order the schemas were registered");
	is_query(p, "SELECT group_concat(key, ',') FROM (SELECT key FROM meta ORDER BY key)",
		 "created_at,created_by_version,timezone", "meta is filled");
	is_int(open_db(&d, p, -1, 1), 0, "an existing store opens for a reader");
	db_close(d);
	is_query(p, "SELECT count(*) FROM log", "4", "a second open runs no step again");
	free(p);
	free(wal);
}

/* A store of an earlier cityops: version 1, application_id 0. */
static void test_migrate_old(void)
{
	char *p = path_of("old.db");
	struct db *d;

	exec_on(p, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
		   "CREATE TABLE batches(id INTEGER PRIMARY KEY, tool TEXT, source TEXT,"
		   " started_at TEXT, finished_at TEXT, status TEXT);"
		   "CREATE TABLE log(n INTEGER PRIMARY KEY, step TEXT);"
		   "INSERT INTO log(step) VALUES ('a1 of old');"
		   "INSERT INTO meta VALUES ('timezone', '+05:30');"
		   "PRAGMA user_version = 1");
	is_int(open_db(&d, p, -1, 0), 0, "a version-1 store with application_id 0 opens");
	is_int(d ? db_zone_min(d) : 0, 330, "its own zone");
	db_close(d);
	is_query(p, "SELECT group_concat(step, ',') FROM (SELECT step FROM log ORDER BY n)",
		 "a1 of old,a2,b2,a3 after b2", "steps 2 and 3 ran, step 1 not again");
	is_query(p, "PRAGMA user_version", "3", "now at version 3");
	is_query(p, "PRAGMA application_id", "1128879193", "and marked as a store");
	free(p);
}

static void test_refused(void)
{
	char *p = path_of("newer.db"), *f = path_of("foreign.db");
	char *missing = path_of("missing.db"), *empty = path_of("empty.db");
	char *before, *after;
	struct db *d;
	struct stat sb;
	size_t n1, n2;
	FILE *fp;

	is_int(open_db(&d, p, -1, 0), 0, "a store");
	db_close(d);
	exec_on(p, "PRAGMA user_version = 4");
	is_int(open_db(&d, p, -1, 0), EXIT_CONFIG, "a newer store is refused: 78");
	ok(d == NULL, "and not opened");
	is_int(open_db(&d, p, -1, 1), EXIT_CONFIG, "also to a reader");

	exec_on(f, "CREATE TABLE t(a); INSERT INTO t VALUES (1)");
	before = slurp(f, &n1);
	is_int(open_db(&d, f, -1, 0), EXIT_CONFIG, "a foreign database is refused: 78");
	after = slurp(f, &n2);
	ok(n1 == n2 && memcmp(before, after, n1) == 0, "and not a byte of it changed");
	free(before);
	free(after);
	exec_on(f, "DROP TABLE t; CREATE TABLE meta(k); CREATE TABLE batches(k);"
		   "PRAGMA application_id = 7; PRAGMA user_version = 1");
	is_int(open_db(&d, f, -1, 0), EXIT_CONFIG,
	       "another application's database with meta and batches: 78");

	fp = fopen(empty, "w");
	if (fp)
		fclose(fp);
	is_int(open_db(&d, missing, -1, 1), EXIT_NO_INPUT, "a reader on a missing store: 66");
	ok(stat(missing, &sb) != 0, "creates nothing");
	is_int(open_db(&d, empty, -1, 1), EXIT_NO_INPUT, "a reader on an empty file: 66");
	ok(stat(empty, &sb) == 0 && sb.st_size == 0, "leaves it empty");
	is_int(open_db(&d, empty, -1, 0), 0, "a writer makes an empty file a store");
	db_close(d);

	is_int(open_db(&d, ":memory:", -1, 0), EXIT_USAGE, "':memory:' is not a path: 64");
	is_int(open_db(&d, "file:x.db?mode=ro", -1, 0), EXIT_USAGE, "a URI is not a path: 64");
	ok(stat(":memory:", &sb) != 0 && stat("file:x.db?mode=ro", &sb) != 0,
	   "and no file is left behind");
	free(p);
	free(f);
	free(missing);
	free(empty);
}

static void test_busy(void)
{
	char *p = path_of("busy.db");
	struct db *w, *d0, *d1;
	sqlite3_stmt *s1, *s2;

	is_int(open_db(&w, p, -1, 0), 0, "a writer");
	is_int(open_db(&d0, p, 0, 0), 0, "another, --busy-timeout 0");
	is_int(open_db(&d1, p, 5000, 0), 0, "another, 5 s");
	is_int(db_begin(w), SQLITE_OK, "the first takes the lock");
	is_int(db_begin(d0) & 0xff, SQLITE_BUSY, "busy 0: BEGIN IMMEDIATE fails at once");
	is_int(db_exit_status(sqlite3_extended_errcode(d0->h)), EXIT_LOCKED, "which is 75");
	db_busy_wait(d1, 0);
	is_int(db_begin(d1) & 0xff, SQLITE_BUSY, "db_busy_wait(d, 0): fails at once");
	db_busy_wait(d1, 1);
	is_query(p, "SELECT count(*) FROM log", "4", "a reader reads under the lock");
	is_int(db_commit(w), SQLITE_OK, "the first commits");
	is_int(db_begin(d0), SQLITE_OK, "then busy 0 gets the lock");
	is_int(db_rollback(d0), SQLITE_OK, "and gives it back");
	{
		static const char q1[] = "SELECT 1", q2[] = "SELECT 1";
		s1 = db_stmt(w, q1);
		s2 = db_stmt(w, q2);
		ok(s1 && s2 && s1 != s2, "db_stmt keys on the pointer, not the text");
		ok(db_stmt(w, q1) == s1, "and prepares a statement once");
	}
	ok(db_stmt(w, "SELECT nonsense FROM") == NULL, "a bad statement is NULL");
	is_int(db_failed(w), 0, "no store error yet");
	ok(db_exec(w, "INSERT INTO no_such_table VALUES (1)") != SQLITE_OK, "a statement fails");
	is_int(db_fail(w, "insert"), EXIT_SOFTWARE_ERR, "db_fail: 70");
	is_int(db_failed(w), EXIT_SOFTWARE_ERR, "db_failed says so afterwards");
	db_begin(w);
	db_begin(d0);
	db_fail(d0, "begin");
	is_int(db_failed(d0), EXIT_LOCKED, "a lock is 75");
	db_fail(w, "again");
	is_int(db_failed(w), EXIT_SOFTWARE_ERR, "the first failure is kept");
	db_rollback(w);
	db_close(w);
	db_close(d0);
	db_close(d1);
	free(p);
}

static void cleanup(void)
{
	static const char *const names[] = {
		"new.db", "old.db", "newer.db", "foreign.db", "empty.db", "busy.db",
	};
	static const char *const ext[] = { "", "-wal", "-shm" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		for (size_t j = 0; j < ARRAY_SIZE(ext); j++) {
			char name[64];
			char *p;
			snprintf(name, sizeof name, "%s%s", names[i], ext[j]);
			p = path_of(name);
			unlink(p);
			free(p);
		}
	ok(rmdir(dir) == 0, "nothing else was left in the folder");
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	msg_quiet = 1;
	db_schema_register(&a_schema);
	db_schema_register(&b_schema);
	test_create();
	test_migrate_old();
	test_refused();
	test_busy();
	cleanup();
	return tap_done();
}
