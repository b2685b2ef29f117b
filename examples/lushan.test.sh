#!/bin/sh
# The example data reproduces the bureau's 2023 figures through case-stat, and
# the committed export is what the seeded generator writes.
. "$(dirname "$0")/tap.sh"
make -s build/genlushan >/dev/null 2>&1 && build/genlushan > "$t/gen.csv"
check "the generator writes the committed export" 'cmp -s "$t/gen.csv" examples/lushan/lushan-2023.csv'
bin/case-import -q -D "$t/s.db" examples/lushan/lushan-2023.csv > /dev/null
check "the export imports whole" '[ "$(sqlite3 "$t/s.db" "SELECT count(*) FROM cases")" -eq 8347 ]'
want='鲁山县数字化城管系统平台共受理各类案件 8347 件，结案 8130 件，结案率为 97.4%。其中街面秩序类 6975 件、突发事件 30 件、施工管理类 56 件、市容环境类 822 件、部件 464 件。'
got=$(bin/case-stat -D "$t/s.db" --year 2023 --template examples/lushan/report.tmpl)
check "the template prints the report's paragraph" '[ "$got" = "$want" ]'
rate=$(bin/case-stat -D "$t/s.db" --year 2023 -f json | sed 's/.*"closure_rate":{"value":\([0-9.]*\),"numerator":\([0-9]*\),"denominator":\([0-9]*\).*/\1 \2 \3/')
check "closure rate 8130 / 8347 in JSON" '[ "$rate" = "0.974 8130 8347" ]'
sql=$(sqlite3 "$t/s.db" "SELECT group_concat(category || ':' || c, ' ') FROM (SELECT category, count(*) c FROM cases GROUP BY 1 ORDER BY 2 DESC)")
ours=$(bin/case-stat -D "$t/s.db" --year 2023 by category -f csv | tail -n +2 | awk -F, '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $1, $2 }')
check "by category equals a straight SQL count" '[ "$sql" = "$ours" ]'
check "the 464 component cases are all hazard covers, grates, boxes and poles" \
	'[ "$(sqlite3 "$t/s.db" "SELECT count(*) FROM cases WHERE kind = '"'component'"' AND class_code IN ('"'0101','0102','0103','0104','0105','0106','0107','0108','0114','0115'"')")" -eq 464 ]'
echo "1..$n"
