/* msg: the progress line, and which statuses stop a run over several files. */
#include "common.h"

#include <unistd.h>

#include "msg.h"
#include "tap.h"

/* What fn writes to stderr. */
static char *stderr_of(void (*fn)(void))
{
	static char got[256];
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	fclose(f);
	return got;
}

static void progress_lines(void)
{
	msg_progress("%s: %lld rows", "a-long-file-name.csv", 123456LL);
	msg_progress("%s: %lld rows", "b.csv", 7LL);
	msg_progress(NULL);
}

int main(void)
{
	prog_init("cityops-test");
	/* each line clears the last: a shorter one leaves nothing of it */
	is_str(stderr_of(progress_lines),
	       "\r\033[Kcityops-test: a-long-file-name.csv: 123456 rows"
	       "\r\033[Kcityops-test: b.csv: 7 rows"
	       "\r\033[K",
	       "progress lines clear the line before them, NULL clears it");

	ok(exit_store_trouble(EXIT_LOCKED) && exit_store_trouble(EXIT_IO_ERR) &&
	   exit_store_trouble(EXIT_SOFTWARE_ERR), "locked, I/O and software errors stop a run");
	ok(!exit_store_trouble(0) && !exit_store_trouble(EXIT_DATA_ERR) &&
	   !exit_store_trouble(EXIT_NO_INPUT) && !exit_store_trouble(EXIT_USAGE),
	   "a file's bad rows or absence do not");
	return tap_done();
}
