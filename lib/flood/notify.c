/*
 * notify.c - the --exec hook (see notify.h).
 */
#include "common.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "flood/notify.h"
#include "msg.h"

struct flood_hook {
	char **argv;
	size_t argc;
	char *text;
};

int flood_hook_parse(struct flood_hook **out, const char *cmd)
{
	struct flood_hook *h = xcalloc(1, sizeof *h);
	size_t cap = 0;
	const char *p = cmd;

	h->text = xstrdup(cmd);
	for (;;) {
		struct buf w = BUF_INIT;
		int any = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (*p && *p != ' ' && *p != '\t') {
			char q = *p;
			any = 1;
			if (q == '\'' || q == '"') {
				const char *e = strchr(p + 1, q);
				if (!e) {
					msg_err("--exec '%s': unbalanced %c", cmd, q);
					buf_free(&w);
					flood_hook_free(h);
					return -1;
				}
				buf_add(&w, p + 1, (size_t)(e - p - 1));
				p = e + 1;
			} else {
				buf_addc(&w, *p++);
			}
		}
		XGROW(h->argv, h->argc + 2, cap);
		h->argv[h->argc++] = any ? xstrdup(buf_str(&w)) : xstrdup("");
		h->argv[h->argc] = NULL;
		buf_free(&w);
	}
	if (!h->argc) {
		msg_err("--exec: empty command");
		flood_hook_free(h);
		return -1;
	}
	*out = h;
	return 0;
}

void flood_hook_free(struct flood_hook *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->argc; i++)
		free(h->argv[i]);
	free(h->argv);
	free(h->text);
	free(h);
}

static void child(const struct flood_hook *h, char *const *env, int in)
{
	if (dup2(in, 0) < 0)
		_exit(126);
	close(in);
	for (size_t i = 0; env[i]; i++) {
		char *eq = strchr(env[i], '=');
		if (eq) {
			*eq = '\0';
			setenv(env[i], eq + 1, 1);
		}
	}
	signal(SIGPIPE, SIG_DFL);
	execvp(h->argv[0], h->argv);
	_exit(127);
}

int flood_hook_run(const struct flood_hook *h, char *const *env, const char *message)
{
	int fd[2], status;
	pid_t pid;
	size_t n = strlen(message), off = 0;

	fflush(stdout);
	fflush(stderr);
	if (pipe(fd) < 0) {
		msg_err("--exec: cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		msg_err("--exec: cannot fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		close(fd[1]);
		child(h, env, fd[0]);
	}
	close(fd[0]);
	while (off < n) {
		ssize_t w = write(fd[1], message + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;  /* the hook does not read its input: its business */
		off += (size_t)w;
	}
	if (off == n && write(fd[1], "\n", 1) < 0)
		off = 0;
	close(fd[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			msg_err("--exec: wait: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		msg_err("--exec: cannot run '%s'", h->argv[0]);
	else if (WIFEXITED(status))
		msg_err("--exec: '%s' exited with status %d", h->argv[0], WEXITSTATUS(status));
	else
		msg_err("--exec: '%s' was killed by signal %d", h->argv[0],
			WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return -1;
}
