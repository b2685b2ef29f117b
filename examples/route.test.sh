#!/bin/sh
# The report's 464 safety-hazard component cases, routed by examples/lushan to
# the member units it names (telecom, housing and construction, water,
# public security, power); covers nobody owns are parked for coordination.
. "$(dirname "$0")/tap.sh"
awk 'BEGIN {
	print "案件编号,问题类型,小类编码,问题描述,问题地址,所属街道,上报时间,案件状态"
	# class, how many, a description
	split("0102:96:污水井盖破损 0103:88:雨水井盖缺失 0104:72:雨水箅子堵塞 0101:41:上水井盖松动 0105:33:电力井盖破损 0106:27:路灯井盖缺失 0108:19:信号灯电源井盖破损 0107:30:联通井盖破损 0107:12:中国移动井盖松动 0107:14:通信井盖缺失 0115:11:通讯交接箱门损坏 0114:9:通信立杆倾斜 0117:12:无主井盖缺失", spec, " ")
	id = 0
	for (s = 1; s in spec; s++) {
		split(spec[s], f, ":")
		for (i = 0; i < f[2]; i++) {
			id++
			printf "AQ%04d,部件,%s,%s,鲁山县人民路%d号,琴台街道,2023-%02d-%02d 09:00,已立案\n", id, f[1], f[3], id, id % 12 + 1, id % 28 + 1
		}
	}
}' > "$t/hazards.csv"
bin/case-import -q -D "$t/s.db" "$t/hazards.csv" > "$t/imported"
check "464 hazard cases import" '[ "$(tail -n +2 "$t/imported" | wc -l)" -eq 464 ]'
bin/case-route --check-rules --rules examples/lushan/rules.csv --units examples/lushan/units.csv \
	--owners examples/lushan/owners.csv
check "the example rules check clean" '[ $last -eq 0 ]'
bin/case-route -q -D "$t/s.db" --rules examples/lushan/rules.csv --units examples/lushan/units.csv \
	--owners examples/lushan/owners.csv --at '2023-12-29 09:00' < "$t/imported" > "$t/routed"
check "case-import | case-route routes all 464" '[ $last -eq 0 ] && [ "$(tail -n +2 "$t/routed" | wc -l)" -eq 464 ]'
q() { sqlite3 "$t/s.db" "$1"; }
check "sewage and rain covers and grates go to housing and construction" \
	'[ "$(q "SELECT count(*) FROM cases WHERE class_code IN (\"0102\",\"0103\",\"0104\") AND unit = \"县住建局\"")" -eq 256 ]'
check "power covers go to the power company" \
	'[ "$(q "SELECT count(*) FROM cases WHERE class_code = \"0105\" AND unit = \"县供电公司\"")" -eq 33 ]'
check "signal covers go to public security" \
	'[ "$(q "SELECT count(*) FROM cases WHERE class_code = \"0108\" AND unit = \"县公安局交警大队\"")" -eq 19 ]'
check "telecom covers split by operator from the description" \
	'[ "$(q "SELECT group_concat(unit || \":\" || c) FROM (SELECT unit, count(*) c FROM cases WHERE class_code = \"0107\" GROUP BY unit ORDER BY unit)")" = "中国电信鲁山分公司:14,中国移动鲁山分公司:12,中国联通鲁山分公司:30" ]'
check "covers nobody owns are parked" \
	'[ "$(q "SELECT count(*) FROM cases WHERE state = \"parked\"")" -eq 12 ]'
check "every dispatched case has a deadline" \
	'[ "$(q "SELECT count(*) FROM cases WHERE state = \"dispatched\" AND due_at IS NULL")" -eq 0 ]'
echo "1..$n"
