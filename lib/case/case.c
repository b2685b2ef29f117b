#include "common.h"

#include <strings.h>

#include "case/case.h"

const struct case_state_def case_states[CASE_NSTATES] = {
	[CASE_REPORTED] = { "reported", "待受理", 1 },
	[CASE_REGISTERED] = { "registered", "已立案", 1 },
	[CASE_DISPATCHED] = { "dispatched", "已派遣", 1 },
	[CASE_HANDLING] = { "handling", "处置中", 1 },
	[CASE_HANDLED] = { "handled", "已处置", 1 },
	[CASE_CLOSED] = { "closed", "已结案", 0 },
	[CASE_PARKED] = { "parked", "缓办", 0 },
	[CASE_VOID] = { "void", "作废", 0 },
};

#define FROM(s) (1u << (s))

/* DESIGN §5's legal moves */
const struct case_step_def case_steps[CASE_NSTEPS] = {
	[CASE_STEP_REPORT] = { "report", "上报", 0, CASE_REPORTED },
	[CASE_STEP_REGISTER] = { "register", "立案", FROM(CASE_REPORTED), CASE_REGISTERED },
	[CASE_STEP_DISPATCH] = { "dispatch", "派遣",
		FROM(CASE_REGISTERED) | FROM(CASE_PARKED), CASE_DISPATCHED },
	[CASE_STEP_SIGN] = { "sign", "签收", FROM(CASE_DISPATCHED), CASE_HANDLING },
	[CASE_STEP_HANDLE] = { "handle", "处置", FROM(CASE_HANDLING), CASE_HANDLED },
	[CASE_STEP_CLOSE] = { "close", "结案", FROM(CASE_HANDLED), CASE_CLOSED },
	[CASE_STEP_RETURN] = { "return", "退回", FROM(CASE_DISPATCHED), CASE_REGISTERED },
	[CASE_STEP_POSTPONE] = { "postpone", "延期", FROM(CASE_DISPATCHED), CASE_DISPATCHED },
	[CASE_STEP_REWORK] = { "rework", "返工", FROM(CASE_HANDLED), CASE_DISPATCHED },
	[CASE_STEP_PARK] = { "park", "缓办", FROM(CASE_REGISTERED), CASE_PARKED },
	[CASE_STEP_VOID] = { "void", "作废",
		FROM(CASE_REPORTED) | FROM(CASE_REGISTERED), CASE_VOID },
	[CASE_STEP_SELF_DISPOSE] = { "self_dispose", "自行处置", FROM(CASE_REPORTED), CASE_CLOSED },
};

int case_state_parse(const char *s, size_t n)
{
	for (int i = 0; i < CASE_NSTATES; i++)
		if (strlen(case_states[i].name) == n && memcmp(case_states[i].name, s, n) == 0)
			return i;
	return -1;
}

int case_step_parse(const char *s)
{
	for (int i = 0; i < CASE_NSTEPS; i++)
		if (strcasecmp(s, case_steps[i].name) == 0 || strcmp(s, case_steps[i].zh) == 0)
			return i;
	return -1;
}

int case_step_legal(enum case_step k, enum case_state from)
{
	return (case_steps[k].from & FROM(from)) != 0;
}

size_t case_class_stem(const char *s, size_t n)
{
	static const char lei[] = "类";
	const size_t ln = sizeof lei - 1;

	if (n > ln && memcmp(s + n - ln, lei, ln) == 0)
		return n - ln;
	return n;
}
