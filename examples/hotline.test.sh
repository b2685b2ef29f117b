#!/bin/sh
# The example 12345 export reproduces the bureau's 2023 hotline figures
# through hotline-sync and case-stat hotline, and the committed export is
# what the seeded generator writes.
. "$(dirname "$0")/tap.sh"
make -s build/genhotline >/dev/null 2>&1 && build/genhotline > "$t/gen.csv"
check "the generator writes the committed export" 'cmp -s "$t/gen.csv" examples/lushan/hotline-2023.csv'
bin/hotline-sync -q -D "$t/s.db" --at 2024-01-01 examples/lushan/hotline-2023.csv > /dev/null
check "the export syncs whole: 1022 tickets" '[ "$(sqlite3 "$t/s.db" "SELECT count(*) FROM tickets")" -eq 1022 ]'
check "callers and numbers are stored masked" \
	'[ "$(sqlite3 "$t/s.db" "SELECT count(*) FROM tickets WHERE phone GLOB '"'*[0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'"'")" -eq 0 ]'
want='我单位受理“12345”各项求助和投诉 1022 件，已办理 1012 件，办理中 10 件，超时处理 0 件，处办完成率达到 100.0%。群众满意率达到 96.8%。其中噪音扰民 294 件、市容秩序 385 件、施工管理 165 件、市容环境 89 件、市政设施 89 件。'
got=$(bin/case-stat -D "$t/s.db" --year 2023 --at 2024-01-01 --template examples/lushan/hotline.tmpl)
check "the template prints the report's 12345 paragraph" '[ "$got" = "$want" ]'
json=$(bin/case-stat -D "$t/s.db" --year 2023 --at 2024-01-01 hotline -f json)
check "1022 received, 1012 done, 10 in progress, 0 overdue" \
	'case $json in "{\"received\":1022,\"done\":1012,\"handling\":10,\"overdue\":0,"*) true ;; *) false ;; esac'
check "on time 100 % over the tickets due" \
	'case $json in *"\"ontime_rate\":{\"value\":1,"*) true ;; *) false ;; esac'
sat=$(printf '%s' "$json" | sed 's/.*"satisfaction_rate":{"value":\([0-9.]*\),.*/\1/')
check "satisfaction at least 95 %" 'awk -v s="$sat" "BEGIN { exit !(s >= 0.95) }"'
sql=$(sqlite3 "$t/s.db" "SELECT group_concat(category || ':' || c, ' ') FROM (SELECT category, count(*) c FROM tickets GROUP BY 1 ORDER BY 2 DESC, 1)")
ours=$(bin/case-stat -D "$t/s.db" --year 2023 --at 2024-01-01 hotline by category -f csv | tail -n +2 | awk -F, '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $1, $2 }')
check "by category equals a straight SQL count" '[ "$sql" = "$ours" ]'
check "the same export again changes and prints nothing" \
	'[ -z "$(bin/hotline-sync -D "$t/s.db" --at 2024-01-01 examples/lushan/hotline-2023.csv 2>&1)" ]'
echo "1..$n"
