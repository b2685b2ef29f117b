#include "common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "paths.h"

static void push(struct paths_ent **arr, size_t *n, size_t *cap,
		 const char *what, const char *path)
{
	if (!path)
		return;
	XGROW(*arr, *n + 1, *cap);
	(*arr)[*n].what = what;
	(*arr)[*n].path = strcmp(path, "-") == 0 ? NULL : path;
	(*n)++;
}

void paths_input(struct paths *pa, const char *what, const char *path)
{
	push(&pa->in, &pa->nin, &pa->incap, what, path);
}

void paths_operands(struct paths *pa, int argc, char **argv, int first)
{
	if (first >= argc)
		paths_input(pa, NULL, "-");
	for (int i = first; i < argc; i++)
		paths_input(pa, NULL, argv[i]);
}

void paths_output(struct paths *pa, const char *what, const char *path)
{
	push(&pa->out, &pa->nout, &pa->outcap, what, path);
}

void paths_free(struct paths *pa)
{
	free(pa->in);
	free(pa->out);
	memset(pa, 0, sizeof *pa);
}

/* A regular file's identity; 0 when it is not one (or does not exist). */
static int file_id(const struct paths_ent *e, int stdfd, struct stat *sb)
{
	int r = e->path ? stat(e->path, sb) : fstat(stdfd, sb);
	return r == 0 && S_ISREG(sb->st_mode);
}

static int same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* "--rejects 'm.csv'", "the input 'm.csv'", "the standard output" */
static void describe(char *buf, size_t n, const struct paths_ent *e, int input)
{
	if (!e->path)
		snprintf(buf, n, "the standard %s", input ? "input" : "output");
	else if (!e->what)
		snprintf(buf, n, "the %s '%s'", input ? "input" : "output", e->path);
	else
		snprintf(buf, n, "%s '%s'", e->what, e->path);
}

static int refuse(const struct paths_ent *out, const struct paths_ent *other,
		  int other_is_input)
{
	char a[512], b[512];

	describe(a, sizeof a, out, 0);
	describe(b, sizeof b, other, other_is_input);
	if (other_is_input)
		msg_err("%s is %s: refusing to overwrite it", a, b);
	else
		msg_err("%s and %s are one file: give each output its own", b, a);
	return EXIT_USAGE;
}

int paths_check(const struct paths *pa)
{
	struct stat so, si;

	for (size_t i = 0; i < pa->nout; i++) {
		if (!file_id(&pa->out[i], STDOUT_FILENO, &so))
			continue;
		for (size_t j = 0; j < pa->nin; j++)
			if (file_id(&pa->in[j], STDIN_FILENO, &si) && same(&so, &si))
				return refuse(&pa->out[i], &pa->in[j], 1);
		for (size_t j = 0; j < i; j++)
			if (file_id(&pa->out[j], STDOUT_FILENO, &si) && same(&so, &si))
				return refuse(&pa->out[i], &pa->out[j], 0);
	}
	return 0;
}
