/*
 * notify.h - the --exec hook: a command run once per transition.
 *
 *   struct flood_hook *h;
 *   if (flood_hook_parse(&h, "notify-sms --to duty") < 0)   a message said why
 *   int rc = flood_hook_run(h, env, message);   0: the hook exited 0; else -1
 *                                               after a message on stderr
 *   flood_hook_free(h);
 *
 * The command is split into words at blanks, with '...' and "..." grouping
 * (no other shell syntax: no variables, globs, pipes or redirections), and
 * run with fork and execvp: no shell ever sees it, and nothing from the
 * data is ever part of it.  The data goes in the environment (env: NULL-
 * terminated "NAME=value" strings, added to the tool's own environment)
 * and the message, with a newline, on the hook's standard input.  A bureau
 * that wants a shell gives one itself: --exec 'sh -c "notify \"$FLOOD_NAME\""'.
 */
#ifndef CITYOPS_FLOOD_NOTIFY_H
#define CITYOPS_FLOOD_NOTIFY_H

struct flood_hook;

int flood_hook_parse(struct flood_hook **out, const char *cmd);
int flood_hook_run(const struct flood_hook *h, char *const *env, const char *message);
void flood_hook_free(struct flood_hook *h);

#endif
