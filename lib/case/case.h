/*
 * case.h - the case loop's one table of states, steps and legal moves
 * (DESIGN §5), and its part of the store's schema.
 *
 * States, in the order of the seven-step loop (the order is part of the
 * store: the month facts keep a state as this number):
 *
 *   case_states[CASE_CLOSED].name  "closed"     as stored
 *   case_states[CASE_CLOSED].zh    "已结案"     as reports and input say it
 *   case_states[s].open            still in the workflow (reported ... handled)
 *   case_state_parse("closed", 6)  CASE_CLOSED, or -1 (stored names only;
 *                                  import reads exports' words itself)
 *
 * Steps move a case from one state to another; a step is legal only from the
 * states in its `from` set ("dispatched -> handling" is a sign):
 *
 *   int k = case_step_parse("签收");           CASE_STEP_SIGN, or -1; the
 *                                              English name in any case, or
 *                                              the Chinese one
 *   case_step_legal(CASE_STEP_SIGN, CASE_DISPATCHED)   1
 *   case_steps[k].to                           the state it leads to
 *
 * CASE_STEP_REPORT makes a case (import); no state leads into it.
 *
 * Big-class names are compared without a trailing 类 ("街面秩序" is
 * "街面秩序类"): case_class_stem(s, n) is n less that 类.
 *
 * case_schema is the domain's schema for db_schema_register(); the tables are
 * cases, case_event_log and stat_months, with the views case_events (every
 * step: the imported ones read from the cases rows, and the log),
 * v_cases_zh and v_monthly.  CASE_STATE_OPEN_SQL is the WHERE of the open
 * cases that the partial index cases_open serves.  CASE_LAST_EVENT is the
 * time of a case's last event, as an expression over its cases row:
 * case_events is a view, and a view read in a correlated subquery is read
 * whole.  case_load_ddl() lists what a load drops first and makes again
 * after (the triggers that keep stat_months), as (DROP, CREATE) pairs,
 * NULL-terminated.
 */
#ifndef CITYOPS_CASE_H
#define CITYOPS_CASE_H

#include "db.h"

enum case_state {
	CASE_REPORTED, CASE_REGISTERED, CASE_DISPATCHED, CASE_HANDLING,
	CASE_HANDLED, CASE_CLOSED, CASE_PARKED, CASE_VOID, CASE_NSTATES
};

struct case_state_def {
	const char *name;
	const char *zh;
	int open;
};

extern const struct case_state_def case_states[CASE_NSTATES];
int case_state_parse(const char *s, size_t n);

enum case_step {
	CASE_STEP_REPORT, CASE_STEP_REGISTER, CASE_STEP_DISPATCH, CASE_STEP_SIGN,
	CASE_STEP_HANDLE, CASE_STEP_CLOSE, CASE_STEP_RETURN, CASE_STEP_POSTPONE,
	CASE_STEP_REWORK, CASE_STEP_PARK, CASE_STEP_VOID, CASE_STEP_SELF_DISPOSE,
	CASE_NSTEPS
};

struct case_step_def {
	const char *name;
	const char *zh;
	unsigned from;           /* a bit (1u << state) per state it leaves */
	enum case_state to;
};

extern const struct case_step_def case_steps[CASE_NSTEPS];
int case_step_parse(const char *s);
int case_step_legal(enum case_step k, enum case_state from);

size_t case_class_stem(const char *s, size_t n);

/* The cases still open, as a WHERE term: the condition of the partial
 * index cases_open, which a query uses only when it says exactly this (an
 * OR chain: an IN list would build a lookup table for every row the index
 * takes). */
#define CASE_STATE_OPEN_SQL                                                      \
	"(state = 'registered' OR state = 'dispatched' OR state = 'handling'"     \
	" OR state = 'handled')"

#define CASE_LAST_EVENT                                                          \
	"nullif(max(coalesce((SELECT max(at) FROM case_event_log"                \
	" WHERE case_id = cases.id), ''),"                                       \
	" iif(ev_steps & 1, coalesce(reported_at, ''), ''),"                     \
	" iif(ev_steps & 2, coalesce(registered_at, ''), ''),"                   \
	" iif(ev_steps & 4, coalesce(dispatched_at, ''), ''),"                   \
	" iif(ev_steps & 8, coalesce(handled_at, ''), ''),"                      \
	" iif(ev_steps & 16, coalesce(closed_at, ''), '')), '')"

extern const struct db_schema case_schema;
const char *const *case_load_ddl(void);

#endif
