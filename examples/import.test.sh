#!/bin/sh
# The example export imports whole, twice without a change, and pipes.
. "$(dirname "$0")/tap.sh"
rows=$(bin/case-import -q -D "$t/s.db" examples/cases-sample.csv | tail -n +2 | wc -l)
check "the sample imports 600 cases" '[ "$rows" -eq 600 ]'
again=$(bin/case-import -D "$t/s.db" examples/cases-sample.csv 2>&1 >/dev/null)
check "a second import changes nothing" 'echo "$again" | grep -q "0 inserted, 0 updated, 600 unchanged"'
cats=$(sqlite3 "$t/s.db" "SELECT count(DISTINCT category) FROM cases")
check "the sample spans the report's categories" '[ "$cats" -eq 6 ]'
sh examples/demo.sh >"$t/demo.out" 2>&1
check "make demo runs" '[ $last -eq 0 ] && grep -q 街面秩序类 "$t/demo.out"'
echo "1..$n"
