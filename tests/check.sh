#!/bin/sh
# make check: unit tests, golden CLI tests, the examples, the docs lint.
# Every part prints TAP; this adds it up and ends with "N passed, N failed".
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 70
LC_ALL=C.UTF-8
TZ=UTC
export LC_ALL TZ
log=build/check.log
mkdir -p build
: >"$log"
run() {
	label=$1
	shift
	echo "# $label" >>"$log"
	"$@" >>"$log" 2>&1
	echo "# exit $?" >>"$log"
}
for t in build/tests/test_*; do
	[ -x "$t" ] || continue
	run "unit: $t" "$t"
done
run "cli" sh tests/run-cli.sh
for e in examples/*.test.sh; do
	[ -f "$e" ] || continue
	run "example: $e" sh "$e"
done
run "include lint" sh tests/lint-includes.sh
run "include lint self-test" sh tests/lint-includes-test.sh
run "torture, the short run" sh tests/torture.sh
run "docs lint" sh tests/lint-docs.sh
# Show what failed and what was skipped, then the count.
grep -iE '^not ok|^# (unit|cli|example|docs|include|torture)|# skip|^# +(got|want|---|\+\+\+|[-+@])' "$log" |
	grep -v '^# exit 0' | grep -iE '^not ok|# skip|^#  ' | head -200
passed=$(grep -cE '^ok ' "$log" | tr -d ' ')
skipped=$(grep -ciE '^ok .*# skip' "$log" | tr -d ' ')
failed=$(grep -cE '^not ok ' "$log" | tr -d ' ')
# a part that died without TAP counts as a failure
crashed=$(grep -E '^# exit [0-9]+' "$log" | grep -vc '^# exit 0$' | tr -d ' ')
if [ "$crashed" -gt "$failed" ]; then
	grep -B1 -E '^# exit [1-9]' "$log" | sed 's/^/! /'
	[ "$failed" = 0 ] && failed=$crashed
fi
passed=$((passed - skipped))
echo "(full log: $log)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
