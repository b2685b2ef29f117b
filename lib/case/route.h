/*
 * route.h - case-route's work: rules, owners and units (DESIGN §6), dispatch,
 * workflow events with the legal moves of DESIGN §5, and overdue cases.
 *
 *   struct router *rt;
 *   st = router_load(&rt, &ropts);   0, or 66/78 after messages naming each
 *                                    bad line ("rules.csv:7: unknown unit 'x'")
 *   router_check(rt)                 0 when every rule line was good, else 78
 *
 *   struct route_run *run = route_begin(db, rt, &opts, out, &st);
 *   route_case(run, id)               dispatch one case at opts.at
 *   route_pending(run)                every registered case without a unit
 *   route_events(run, path)           apply a file of workflow events
 *   route_overdue(run)                list open cases past due_at
 *   st = route_end(run)               commit (or roll back: dry run, bad
 *                                     rows), write what was done to out;
 *                                     an exit code
 *
 * --explain writes a row per rule tried (id, priority, rule, place, result,
 * reason) instead of routing: "no" with the reason for each rule before the
 * one that matches, then "yes" with what it would do.
 *
 * Rules are tried in priority order (then file order); the first whose kind,
 * class (code, code prefix "01*", or small/big class name), street and
 * PCRE2 text pattern (over description, a newline, and address) all match
 * wins.  Patterns are compiled once with JIT; every match runs under a match
 * and depth limit, so no pattern can hang the tool: a case on which a pattern
 * hits the limit is reported and left as it was.  A pattern is not run on a
 * case whose text lacks the literal text that every match of it contains.
 */
#ifndef CITYOPS_ROUTE_H
#define CITYOPS_ROUTE_H

#include "calendar.h"
#include "db.h"
#include "encoding.h"
#include "out.h"
#include "rec.h"
#include "rejects.h"
#include "case/taxonomy.h"

struct router_opts {
	const char *rules;         /* paths; NULL: none */
	const char *units;         /* NULL: rules and owners may name any unit,
				    * taken as given (case-route requires one) */
	const char *owners;
	const struct taxonomy *tax;
	uint32_t match_limit;
};

struct router;
int router_load(struct router **out, const struct router_opts *o);
int router_check(const struct router *rt);
void router_free(struct router *rt);

enum route_mode { ROUTE_DISPATCH, ROUTE_EXPLAIN, ROUTE_EVENTS, ROUTE_OVERDUE };

struct route_opts {
	enum route_mode mode;
	int64_t at;                /* Unix seconds */
	const struct calendar *cal;
	const struct taxonomy *tax;
	struct calendar_limit default_limit;
	int keep_going;
	int dry_run;
	struct rejects *rejects;   /* bad event rows go here (NULL: nowhere) */
	enum rec_fmt events_format; /* of the --events file */
	enum encoding events_encoding;
};

struct route_run;
struct route_run *route_begin(struct db *d, const struct router *rt,
			      const struct route_opts *o, struct out *out,
			      int *status);
int route_case(struct route_run *r, const char *id);
int route_pending(struct route_run *r);
int route_events(struct route_run *r, const char *path);
int route_overdue(struct route_run *r);
int route_end(struct route_run *r);

/*
 * The first rule that places a record that is not a case (yet), such as a
 * 12345 ticket, without the store: the rule's name, with its unit (NULL
 * when it has none) in *unit; NULL when no rule matches, or when a pattern
 * hit the match limit (*limit_hit set).  kind is TAXONOMY_COMPONENT, TAXONOMY_EVENT
 * or TAXONOMY_ANY (unknown); the strings may be NULL.
 */
struct route_subject {
	int kind;
	const char *class_code, *big_class, *small_class, *street;
	const char *description, *address;
};
const char *router_first_match(const struct router *rt,
			       const struct route_subject *s, const char **unit,
			       int *limit_hit);

#endif
