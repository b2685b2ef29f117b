#include "common.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "msg.h"
#include "case/firstload.h"

/* New stores' page size: index builds and checkpoints write fewer, larger
 * pages (issue 14: 8.4 s -> 4.8 s of index builds at 1,000,000 cases). */
#define FIRSTLOAD_PAGE_SIZE "16384"

struct firstload {
	char *store;
	char *side;               /* STORE-load */
	int fd;                   /* the side file, flock()ed while we build it */
};

static char *suffixed(const char *path, const char *suffix)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "%s%s", path, suffix);
	return buf_detach(&b);
}

/* Unlink the journal files SQLite may have left by the side file, and the
 * side file itself when all. */
static void side_unlink(const struct firstload *fl, int all)
{
	static const char *const ext[] = { "-wal", "-shm", "-journal", "" };

	for (size_t i = 0; i < ARRAY_SIZE(ext) - !all; i++) {
		char *p = suffixed(fl->side, ext[i]);
		unlink(p);
		free(p);
	}
}

static void firstload_free(struct firstload *fl)
{
	if (fl->fd >= 0)
		close(fl->fd);
	free(fl->store);
	free(fl->side);
	free(fl);
}

/* Take the side file's lock, waiting up to busy_ms; 0 or minus 75. */
static int side_lock(const struct firstload *fl, int busy_ms)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int waited = 0;

	while (flock(fl->fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			msg_err("cannot lock '%s': %s", fl->side, strerror(errno));
			return -EXIT_CANT_CREATE;
		}
		if (waited >= busy_ms) {
			msg_err("the store '%s' is being made by another run, past the busy "
				"timeout", fl->store);
			return -EXIT_LOCKED;
		}
		nanosleep(&pause, NULL);
		waited += 10;
	}
	return 0;
}

/* The side file, emptied, with 16 KiB pages, then opened as a store with
 * its schema, and its journal turned off.  0 or minus an exit code. */
static int side_open(const struct firstload *fl, int busy_ms, struct db **d)
{
	struct db_opts o = { fl->side, busy_ms, 0, 0 };
	sqlite3 *h = NULL;
	int rc, st;

	side_unlink(fl, 0);       /* a crashed load's journal files */
	if (ftruncate(fl->fd, 0) != 0 || fchmod(fl->fd, 0600) != 0) {
		msg_err("cannot create store '%s': %s", fl->side, strerror(errno));
		return -EXIT_CANT_CREATE;
	}
	/* the page size is fixed by the first write: before db_open() turns on
	 * WAL, which fixes it too */
	db_configure();
	rc = sqlite3_open_v2(fl->side, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "PRAGMA page_size = " FIRSTLOAD_PAGE_SIZE ";"
				  " PRAGMA user_version = 0", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		msg_err("cannot create store '%s': %s", fl->side,
			h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return -EXIT_CANT_CREATE;
	}
	sqlite3_close(h);
	if ((st = db_open(d, &o)) != 0)
		return -st;
	if (db_exec(*d, "PRAGMA journal_mode = OFF") != SQLITE_OK ||
	    db_exec(*d, "PRAGMA synchronous = OFF") != SQLITE_OK) {
		st = db_fail(*d, fl->side);
		db_close(*d);
		*d = NULL;
		return -st;
	}
	return 0;
}

int firstload_begin(const char *store, int busy_ms, struct db **d,
		    struct firstload **out)
{
	struct firstload *fl = xcalloc(1, sizeof *fl);
	struct stat sb;
	int st;

	*d = NULL;
	*out = NULL;
	fl->store = xstrdup(store);
	fl->side = suffixed(store, "-load");
	fl->fd = open(fl->side, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fl->fd < 0) {
		msg_err("cannot create store '%s': %s", fl->store, strerror(errno));
		firstload_free(fl);
		return -EXIT_CANT_CREATE;
	}
	if ((st = side_lock(fl, busy_ms)) != 0) {
		firstload_free(fl);
		return st;
	}
	if (stat(store, &sb) == 0 || errno != ENOENT) {
		/* made while we waited: the other run's side file is gone */
		unlink(fl->side);
		firstload_free(fl);
		return 0;
	}
	if ((st = side_open(fl, busy_ms, d)) != 0) {
		side_unlink(fl, 1);
		firstload_free(fl);
		return st;
	}
	*out = fl;
	return 1;
}

/* fsync the folder that holds path, so that a link in it lasts. */
static int sync_dir(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd, rc;

	if (!slash)
		snprintf(dir, strlen(dir) + 1, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int firstload_commit(struct firstload *fl, struct db **d)
{
	int st = 0;

	/* the file says WAL from now on, as every store does */
	if (db_exec(*d, "PRAGMA journal_mode = WAL") != SQLITE_OK) {
		st = db_fail(*d, fl->side);
		goto fail;
	}
	db_close(*d);
	*d = NULL;
	if (fsync(fl->fd) != 0) {
		msg_err("%s: %s", fl->side, strerror(errno));
		st = EXIT_IO_ERR;
		goto fail;
	}
	if (link(fl->side, fl->store) != 0) {
		if (errno == EEXIST) {
			firstload_abort(fl, d);
			return 1;
		}
		msg_err("cannot create store '%s': %s", fl->store, strerror(errno));
		st = EXIT_CANT_CREATE;
		goto fail;
	}
	unlink(fl->side);
	if (sync_dir(fl->store) != 0) {
		msg_err("%s: %s", fl->store, strerror(errno));
		st = EXIT_IO_ERR;
	}
	firstload_free(fl);
	return st;
fail:
	firstload_abort(fl, d);
	return st;
}

void firstload_abort(struct firstload *fl, struct db **d)
{
	db_close(*d);
	*d = NULL;
	side_unlink(fl, 1);
	firstload_free(fl);
}
