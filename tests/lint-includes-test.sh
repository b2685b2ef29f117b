#!/bin/sh
# The include lint must fail on each kind of wrong-way include: planted, one
# at a time, in a copy of lib/ and cmd/.  Prints TAP.
TOP=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
bad=0
check() { # check WANT(0|1) DESCRIPTION
	n=$((n + 1))
	sh "$TOP/tests/lint-includes.sh" "$tmp/tree" >/dev/null 2>&1
	got=$?
	if { [ "$1" = 0 ] && [ "$got" = 0 ]; } || { [ "$1" = 1 ] && [ "$got" != 0 ]; }; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2 (lint exit $got)"
		bad=$((bad + 1))
	fi
}
fresh() {
	rm -rf "$tmp/tree"
	mkdir -p "$tmp/tree"
	cp -R "$TOP/lib" "$TOP/cmd" "$tmp/tree/"
}
plant() { # plant FILE LINE
	printf '%s\n' "$2" >>"$tmp/tree/$1"
}
fresh
check 0 "the tree as it is passes"
fresh; plant lib/msg.c '#include "case/route.h"'
check 1 "the core including a domain header fails"
fresh; plant lib/out.h '#include "flood/flood.h"'
check 1 "a core header including a domain header fails"
fresh; plant lib/flood/schema.c '#include "case/case.h"'
check 1 "a domain including another domain's header fails"
fresh; plant lib/case/stat.c '#include "route.h"'
check 1 "a domain header named without its folder fails"
fresh; plant cmd/case-stat.c '#include "nowhere.h"'
check 1 "cmd/ including what is neither lib/ nor cmd/ fails"
echo "1..$n"
[ "$bad" = 0 ]
