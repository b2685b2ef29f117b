#!/bin/sh
# torture.sh - the hostile run (issue 9): what a user who means harm, or a
# bad day, does to the tools, by category:
#   crash        kill -9 at points through a write: the store passes
#                integrity_check and holds the whole file or none of it
#   concurrency  writers and readers at once on one store: no lock failure,
#                nothing lost or counted twice
#   input        bad input: a message with the place, the documented exit
#                status, the store exactly as it was; and good input that
#                is merely awkward (multi-byte characters across every
#                buffer boundary, GB18030, BOM, CRLF, a 10 MB field) lands
#   output       full disk, closed pipe, unwritable or self-destroying -o
#   regex        patterns that would run for ever stop at their limits
#   other        locale, TSV round trip, special store names, foreign
#                databases, newer stores, locks
#
#   sh tests/torture.sh            the short run (make check)
#   TORTURE=full sh tests/torture.sh   the full run (make torture)
#
# Prints TAP (one line a check, "# category: name" in the text) and ends
# with a table: category, tried, clean, failing.  Exit 1 when any failed.
# Run from the project root after make; bin/ must hold the tools.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 70
PATH=$TOP/bin:$PATH
LC_ALL=C.UTF-8
TZ=UTC
export PATH LC_ALL TZ
unset CITYOPS_DB CITYOPS_CONFIG
MODE=${TORTURE:-short}
SHARED=$(cd "$TOP/.." && pwd)/shared/data/external
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
RES=$T/results
: >"$RES"
n=0

# result CATEGORY NAME ok|fail [DETAIL]
result() {
	n=$((n + 1))
	printf '%s\t%s\n' "$1" "$3" >>"$RES"
	if [ "$3" = ok ]; then
		echo "ok $n - $1: $2"
	else
		echo "not ok $n - $1: $2${4:+ ($4)}"
	fi
}

full() { [ "$MODE" = full ]; }

# The store as text, for "exactly as it was": schema and every row, but not
# the batches table's times (a refused run writes none anyway).
snapshot() {
	if [ -f "$1" ]; then
		sqlite3 "$1" .dump 2>/dev/null | grep -v "^INSERT INTO meta" | cksum
	else
		echo none
	fi
}

# A store holding a few cases, copied fresh for each check.
sqlite_store() {
	rm -f "$T/base.db"*
	printf 'id,reported_at,state,lon,lat,kind,big_class\nB1,2023-05-01 08:00,已立案,112.91,33.74,事件,街面秩序类\nB2,2023-05-01 09:00,已结案,112.92,33.75,事件,市容环境类\n' >"$T/base.csv"
	case-import -q -D "$T/base.db" "$T/base.csv" >/dev/null
}

# expect CATEGORY NAME WANT_STATUS MSG_ERE CMD...: the command's exit status
# and the first line of its stderr (an ERE; "" for no check), with the store
# $T/s.db unchanged unless WANT_STATUS is 0 or KEEP_STORE=any (a failed
# print after a commit, a run that refuses one case of several).
expect() {
	cat=$1 name=$2 want=$3 ere=$4
	shift 4
	before=$(snapshot "$T/s.db")
	( cd "$T" && "$@" ) >"$T/out" 2>"$T/err" </dev/null
	got=$?
	after=$(snapshot "$T/s.db")
	why=
	[ "$got" = "$want" ] || why="exit $got, want $want"
	if [ -n "$ere" ] && ! head -n 1 "$T/err" | grep -Eq -- "$ere"; then
		why="${why:+$why; }stderr: $(head -n 1 "$T/err" | cut -c1-100)"
	fi
	if [ "$want" != 0 ] && [ "${KEEP_STORE:-}" != any ] && [ "$before" != "$after" ]; then
		why="${why:+$why; }the store changed"
	fi
	if grep -q 'AddressSanitizer\|runtime error' "$T/err"; then
		why="${why:+$why; }sanitizer report"
	fi
	if [ -z "$why" ]; then result "$cat" "$name" ok; else result "$cat" "$name" fail "$why"; fi
}

# ---- crash --------------------------------------------------------------

# Kill an import when its WAL (or journal) has grown past k of `points`
# steps of a size it reaches; the store must pass integrity_check and hold
# all of the file or none of it.
crash_import() {
	rows=$1 points=$2
	awk -v n="$rows" 'BEGIN { print "id,reported_at,description,street,lon,lat"
		for (i = 0; i < n; i++) printf "K%07d,2023-%02d-%02d 08:00:00,\"井盖破损, 第%d号\",琴台街道,112.%06d,33.%06d\n", i, i % 12 + 1, i % 28 + 1, i, i % 999999, (i * 7) % 999999 }' >"$T/crash.csv"
	# the WAL a whole load writes, to spread the kills over it
	rm -f "$T/c.db"*
	case-import -q -D "$T/c.db" "$T/crash.csv" >/dev/null 2>&1
	total=$(($(stat -c %s "$T/c.db") + 0))
	k=1
	while [ $k -le "$points" ]; do
		rm -f "$T/c.db"*
		[ $((k % 3)) = 0 ] && sqlite_store && cp "$T/base.db" "$T/c.db"
		existing=$(sqlite3 "$T/c.db" "SELECT count(*) FROM cases" 2>/dev/null || echo 0)
		case-import -q -D "$T/c.db" "$T/crash.csv" >/dev/null 2>&1 &
		pid=$!
		target=$((total * k / (points + 1)))
		while kill -0 $pid 2>/dev/null; do
			sz=0
			for f in "$T/c.db-wal" "$T/c.db-journal"; do
				[ -f "$f" ] && sz=$(($(stat -c %s "$f") + sz))
			done
			[ "$sz" -ge "$target" ] && break
			sleep 0.01
		done
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		ic=$(sqlite3 "$T/c.db" "PRAGMA integrity_check" 2>&1)
		cnt=$(sqlite3 "$T/c.db" "SELECT count(*) FROM cases" 2>/dev/null || echo 0)
		ev=$(sqlite3 "$T/c.db" "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id)" 2>/dev/null || echo 0)
		if [ "$ic" = ok ] && { [ "$cnt" = "$existing" ] || [ "$cnt" = $((existing + rows)) ]; } && [ "$ev" = 0 ]; then
			result crash "kill -9 of a $rows-row import at $k/$((points + 1)) of its writes" ok
		else
			result crash "kill -9 of a $rows-row import at $k/$((points + 1)) of its writes" fail "integrity '$ic', $cnt cases (had $existing), $ev without events"
		fi
		k=$((k + 1))
	done
}

# Kill a hotline sync and a flood-check in the middle: all or nothing.
crash_others() {
	awk 'BEGIN { print "工单编号,受理时间,诉求类型,办理状态,来电人,来电号码"
		for (i = 0; i < 60000; i++) printf "T%06d,2023-05-%02d 09:00:00,投诉,办理中,张三,13812345678\n", i, i % 28 + 1 }' >"$T/tickets.csv"
	for k in 1 2 3; do
		rm -f "$T/h.db"*
		hotline-sync -q -D "$T/h.db" --at 2023-06-01 "$T/tickets.csv" >/dev/null 2>&1 &
		pid=$!
		while kill -0 $pid 2>/dev/null && [ "$(stat -c %s "$T/h.db-wal" 2>/dev/null || echo 0)" -lt $((k * 1000000)) ]; do sleep 0.01; done
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		ic=$(sqlite3 "$T/h.db" "PRAGMA integrity_check" 2>&1)
		cnt=$(sqlite3 "$T/h.db" "SELECT count(*) FROM tickets" 2>/dev/null || echo 0)
		if [ "$ic" = ok ] && { [ "$cnt" = 0 ] || [ "$cnt" = 60000 ]; }; then
			result crash "kill -9 of hotline-sync, point $k" ok
		else
			result crash "kill -9 of hotline-sync, point $k" fail "integrity '$ic', $cnt tickets"
		fi
	done
}

# ---- concurrency --------------------------------------------------------

concurrency() {
	rounds=$1 rows=$2
	for f in a b; do
		awk -v n="$rows" -v p="$f" 'BEGIN { print "id,reported_at,kind,big_class,description"
			for (i = 0; i < n; i++) printf "%s%06d,2023-%02d-%02d 08:00:00,事件,街面秩序类,占道经营\n", p, i, i % 12 + 1, i % 28 + 1 }' >"$T/$f.csv"
	done
	printf 'priority,name,kind,class,text,street,unit,limit,action\n10,all,event,,,,城管执法大队一中队,4wh,dispatch\n' >"$T/r.csv"
	printf 'code,name\nZD1,城管执法大队一中队\n' >"$T/u.csv"
	r=1
	while [ $r -le "$rounds" ]; do
		rm -f "$T/cc.db"*
		case-import -q -D "$T/cc.db" /dev/null >/dev/null 2>&1
		fails=0
		case-import -q -D "$T/cc.db" "$T/a.csv" >/dev/null 2>"$T/e1" & p1=$!
		case-import -q -D "$T/cc.db" "$T/b.csv" >/dev/null 2>"$T/e2" & p2=$!
		case-route -q -D "$T/cc.db" --rules "$T/r.csv" --units "$T/u.csv" --pending --at '2024-01-02 09:00' >/dev/null 2>"$T/e3" & p3=$!
		( i=0; while [ $i -lt 5 ]; do case-stat -D "$T/cc.db" --year 2023 -f csv >/dev/null || exit 1; i=$((i + 1)); done ) 2>"$T/e4" & p4=$!
		for p in $p1 $p2 $p3 $p4; do wait $p || fails=$((fails + 1)); done
		cnt=$(sqlite3 "$T/cc.db" "SELECT count(*) FROM cases")
		if [ $fails = 0 ] && [ "$cnt" = $((rows * 2)) ]; then
			result concurrency "round $r: two imports, a --pending route and case-stat at once" ok
		else
			result concurrency "round $r: two imports, a --pending route and case-stat at once" fail "$fails failed, $cnt cases: $(cat "$T"/e[1-4] | head -n 2 | tr '\n' ' ')"
		fi
		r=$((r + 1))
	done
}

# ---- input --------------------------------------------------------------

# bad_inputs: each file under $T/bad/ with its expected status and a line
# number the message must name.
bad_inputs() {
	d=$T/bad
	mkdir -p "$d"
	printf 'id,reported_at\nA1,"2023-01-01\n' >"$d/quote.csv"; echo "65 quote.csv:2:" >"$d/quote.csv.want"
	printf 'id,reported_at\nA1,2023-01-01,x\n' >"$d/ragged.csv"; echo "65 ragged.csv:2:" >"$d/ragged.csv.want"
	printf 'id,reported_at\nA1,2023-01-01\nA2,\377\376\n' >"$d/utf8.csv"; echo "65 utf8.csv:3:" >"$d/utf8.csv.want"
	printf 'id,reported_at\nA1,2023-01-01\nA\0002,2023-01-02\n' >"$d/nul.csv"; echo "65 nul.csv:3:" >"$d/nul.csv.want"
	printf 'id,reported_at\nA1,2023-02-30\n' >"$d/date.csv"; echo "65 date.csv:2:" >"$d/date.csv.want"
	printf 'id,reported_at,lon,lat\nA1,2023-01-01,190,33\n' >"$d/coord.csv"; echo "65 coord.csv:2:" >"$d/coord.csv.want"
	printf 'id,reported_at\nA1,2999-01-01\n' >"$d/future.csv"; echo "65 future.csv:2:" >"$d/future.csv.want"
	printf 'x,y\n1,2\n' >"$d/nocol.csv"; echo "65 nocol.csv:1:" >"$d/nocol.csv.want"
	printf 'id,reported_at\n' >"$d/empty.csv"; echo "0" >"$d/empty.csv.want"
	: >"$d/zero.jsonl"; echo "0" >"$d/zero.jsonl.want"
	printf ' ' >"$d/space.json"; echo "65 space.json" >"$d/space.json.want"
	printf '\357\273\277' >"$d/bom.json"; echo "65 bom.json" >"$d/bom.json.want"
	printf '[{"id":"A1","reported_at":"2023-01-01"},]' >"$d/comma.json"; echo "65 comma.json" >"$d/comma.json.want"
	printf '{"id":"A1","id":"A2","reported_at":"2023-01-01"}\n' >"$d/dupkey.jsonl"; echo "65 dupkey.jsonl" >"$d/dupkey.jsonl.want"
	printf '{"id":"A\\u0000B","reported_at":"2023-01-01"}\n' >"$d/nulesc.jsonl"; echo "65 nulesc.jsonl" >"$d/nulesc.jsonl.want"
	printf 'id,reported_at\nA1,2023-01-01\n' | gzip -c | head -c 30 >"$d/cut.csv.gz"; echo "65 cut.csv.gz" >"$d/cut.csv.gz.want"
	{ printf 'id,reported_at\nA1,2023-01-01\n' | gzip -c; printf GARBAGE; } >"$d/tail.csv.gz"; echo "65 tail.csv.gz" >"$d/tail.csv.gz.want"
	mkdir -p "$d/dir.csv"; echo "66 dir.csv" >"$d/dir.csv.want"
	echo "66 missing.csv" >"$d/missing.csv.want"
	if [ -d "$SHARED/JSONTestSuite" ]; then
		for f in "$SHARED"/JSONTestSuite/test_parsing/n_*.json; do
			[ -f "$f" ] || continue
			full || case ${f##*/} in n_structure_*|n_string_*) ;; *) continue ;; esac
			b=js_${f##*/}
			cp "$f" "$d/$b"
			echo "65 $b" >"$d/$b.want"
		done
	fi
	for w in "$d"/*.want; do
		f=${w%.want}
		b=${f##*/}
		set -- $(cat "$w")
		st=$1
		place=${2:-}
		ere="^case-import: "
		[ -n "$place" ] && ere="^case-import: ([^ ]*/)?$(printf '%s' "$place" | sed 's/[.[\*^$()+?{|]/\\&/g')"
		[ "$st" = 66 ] && ere="^case-import: .*$place"
		[ "$st" = 0 ] && ere=""
		sqlite_store
		cp "$T/base.db" "$T/s.db"
		expect input "case-import of $b: exit $st${place:+, names $place}" "$st" "$ere" case-import -q -D s.db "$f"
		rm -f "$T/s.db"*
	done
}

# Awkward but good: every one lands whole.
good_inputs() {
	d=$T/good
	mkdir -p "$d"
	# 1-, 2-, 3- and 4-byte characters across every offset near the 4096
	# bytes the reader sniffs, in CSV and in one-line JSON
	step=1
	full || step=3
	off=4080
	while [ $off -le 4100 ]; do
		pad=$(awk -v n=$((off - 40)) 'BEGIN { while (n-- > 0) printf "a" }')
		printf 'id,reported_at,description\nG1,2023-01-01,%s中é😀x\n' "$pad" >"$d/b$off.csv"
		printf '{"id":"G1","reported_at":"2023-01-01","description":"%s中é😀x"}\n' "$pad" >"$d/b$off.json"
		for f in "$d/b$off.csv" "$d/b$off.json"; do
			rm -f "$T/s.db"*
			expect input "a character across byte $off of $(basename "$f")" 0 "" case-import -q -D s.db "$f"
		done
		off=$((off + step))
	done
	# a field of 100,000 中 (300 KB, across the reader's chunks)
	awk 'BEGIN { printf "id,reported_at,description\nG2,2023-01-01,"; for (i = 0; i < 100000; i++) printf "中"; print "" }' >"$d/long.csv"
	rm -f "$T/s.db"*
	expect input "a field of 100,000 中" 0 "" case-import -q -D s.db "$d/long.csv"
	[ "$(sqlite3 "$T/s.db" "SELECT length(description) FROM cases")" = 100000 ] &&
		result input "  ... stored whole" ok || result input "  ... stored whole" fail
	# GB18030 with a BOM-less Chinese header, CRLF line ends, a UTF-8 BOM
	printf '案件编号,上报时间,问题描述\r\nG3,2023-01-01,井盖破损\r\n' | iconv -f UTF-8 -t GB18030 >"$d/gb.csv"
	rm -f "$T/s.db"*
	expect input "GB18030 with CRLF" 0 "" case-import -q -D s.db "$d/gb.csv"
	printf '\357\273\277id,reported_at\nG4,2023-01-01\n' >"$d/bom.csv"
	rm -f "$T/s.db"*
	expect input "a UTF-8 BOM" 0 "" case-import -q -D s.db "$d/bom.csv"
	# what the tools write as TSV reads back the same
	printf 'id,reported_at,description\n"x\ty",2023-01-01,"a\\b\nc"\n' >"$d/tab.csv"
	rm -f "$T/s.db"*
	( cd "$T" && case-import -q -D s.db -f tsv "$d/tab.csv" | case-stat -D s.db -i tsv -f csv ) >"$T/out" 2>"$T/err"
	if grep -q '^received,受理,1,' "$T/out"; then
		result input "TSV out of case-import reads back in case-stat (an id with a tab)" ok
	else
		result input "TSV out of case-import reads back in case-stat (an id with a tab)" fail "$(head -c 200 "$T/err")"
	fi
}

# ---- output -------------------------------------------------------------

# Every tool's output far larger than the pipe, into | head -1: exit 0 and
# nothing on stderr, every run (issue 8).  30,000 rows, 3 runs each; full:
# 100,000 rows, 20 runs each.
closed_pipes() {
	rows=30000 runs=3
	full && rows=100000 runs=20
	( cd "$T" || exit 1
	awk -v n=$rows 'BEGIN { print "id,reported_at,street,state,due_at"; for (i = 0; i < n; i++) {
		t = 1577836800 + i * 600; printf "P%06d,%s,S%06d,dispatched,%s\n", i,
		strftime("%Y-%m-%d %H:%M:%S", t, 1), i, strftime("%Y-%m-%d %H:%M:%S", t + 86400, 1) } }' >pp.csv
	awk -v n=$rows 'BEGIN { print "工单编号,受理时间,诉求类型,办理状态"; for (i = 0; i < n; i++)
		printf "T%06d,%s,投诉,办理中\n", i, strftime("%Y-%m-%d %H:%M:%S", 1672531200 + i * 60, 1) }' >pt.csv
	awk -v n=$rows 'BEGIN { print "station,at,level_cm"; for (i = 0; i < n; i++)
		printf "FX01,%s,%d\n", strftime("%Y-%m-%d %H:%M:%S", 1688169600 + i * 60, 1), (i % 2) * 60 }' >pr.csv
	printf 'id,name,blue_cm,yellow_cm,jump_cm_per_min\nFX01,甲,15,25,1000\n' >pst.csv
	awk -v n=$rows 'BEGIN { print "plate,at,lat,lon,speed_kmh"; for (i = 0; i < n; i++)
		printf "豫D10001,%s,%.7f,112.9100000,30\n", strftime("%Y-%m-%d %H:%M:%S", 1701043200 + i * 10, 1),
		33.73 + (i % 1000) * 0.0001 }' >pg.csv
	case-import -q -D pq.db pp.csv >/dev/null ) || { result output "closed pipe: the inputs" fail; return; }
	G=$TOP/tests/data/gps
	for tool in "case-import -q -D p.db pp.csv" \
		"case-route -D pq.db --overdue --at 2030-01-01 -f csv" \
		"case-stat -D pq.db by street -f csv" \
		"hotline-sync -q -D p.db --at 2023-06-01 pt.csv" \
		"flood-check -q -D p.db --stations pst.csv --min-duration 1 --at 2023-09-10 pr.csv" \
		"gps-audit -q -D p.db --vehicles $G/vehicles.csv --routes $G/routes.geojson --zones $G/zones.geojson --at 2023-12-31 --show-fixes -f csv pg.csv"; do
		# the status of a whole run (gps-audit's 1: it found episodes)
		rm -f "$T/p.db" "$T/p.db-wal" "$T/p.db-shm"
		lines=$(cd "$T" && { sh -c "$tool" 2>/dev/null; echo $? >pcode; } | wc -l)
		want=$(cat "$T/pcode")
		i=0 bad=0
		while [ $i -lt $runs ]; do
			rm -f "$T/p.db" "$T/p.db-wal" "$T/p.db-shm"
			( cd "$T" && { sh -c "$tool" 2>perr; echo $? >pcode; } | head -n 1 >/dev/null )
			[ "$(cat "$T/pcode")" = "$want" ] && [ ! -s "$T/perr" ] || bad=$((bad + 1))
			i=$((i + 1))
		done
		set -- $tool
		what="$1 | head -1 on $((lines - 1)) rows, $runs runs: exit $want as unpiped, and silence"
		if [ $bad = 0 ] && [ "$lines" -gt "$rows" ] && [ "$want" -le 1 ]; then
			result output "$what" ok
		else
			result output "$what" fail "$bad runs not clean, $lines lines"
		fi
	done
}

outputs() {
	sqlite_store
	cp "$T/base.db" "$T/s.db"
	printf 'id,reported_at\nO1,2023-01-01\n' >"$T/o.csv"
	printf '工单编号,受理时间,诉求类型,办理状态\nT1,2023-05-01 09:00,投诉,办理中\n' >"$T/t.csv"
	for tool in "case-import -q -D s.db o.csv" "case-stat -D s.db --year 2023" \
		"case-route -D s.db --overdue --at 2030-01-01" "hotline-sync -q -D s.db --at 2023-06-01 t.csv"; do
		set -- $tool
		KEEP_STORE=any expect output "$1 >/dev/full: 74 with a message" 74 "write error" sh -c "$tool >/dev/full"
		cp "$T/base.db" "$T/s.db"
		KEEP_STORE=any expect output "$1 -o a missing folder: 73" 73 "cannot create" sh -c "$tool -o /nonexistent/x.csv"
		cp "$T/base.db" "$T/s.db"
	done
	closed_pipes
	# an output that is an input is refused before anything is written
	cp "$T/o.csv" "$T/m.csv"
	sum=$(cksum <"$T/m.csv")
	rm -f "$T/s.db"*
	expect output "--rejects naming the input: 64" 64 "" case-import -k -D s.db --rejects m.csv m.csv
	[ "$(cksum <"$T/m.csv")" = "$sum" ] && result output "  ... the input is intact" ok || result output "  ... the input is intact" fail
	expect output "-o naming the input: 64" 64 "" case-import -D s.db -o m.csv m.csv
	[ "$(cksum <"$T/m.csv")" = "$sum" ] && result output "  ... the input is intact" ok || result output "  ... the input is intact" fail
	rm -f "$T/s.db"*
	expect output "-o x.csv.gz writes gzip" 0 "" case-import -q -D s.db -o x.csv.gz o.csv
	gzip -t "$T/x.csv.gz" 2>/dev/null && result output "  ... gzip -t passes" ok || result output "  ... gzip -t passes" fail
}

# ---- regex --------------------------------------------------------------

regexes() {
	printf 'code,name\nZD1,城管执法大队一中队\n' >"$T/u.csv"
	long=$(awk 'BEGIN { for (i = 0; i < 30000; i++) printf "a"; printf "!" }')
	printf 'id,reported_at,kind,description\nX1,2023-01-01,事件,%s\n' "$long" >"$T/x.csv"
	for pat in '(a+)+$' '(a|aa)+$' '(a*)*$' '^(([a-z])+.)+[A-Z]([a-z])+$' '(.*a){20}' '(?:a|a)*$'; do
		printf 'priority,name,kind,class,text,street,unit,limit,action\n1,evil,event,,"%s",,城管执法大队一中队,4wh,dispatch\n' "$pat" >"$T/rx.csv"
		rm -f "$T/s.db"*
		case-import -q -D "$T/s.db" "$T/x.csv" >/dev/null
		start=$(date +%s)
		KEEP_STORE=any expect regex "pattern $pat on 30 KB stops at its limit" 65 "match limit" \
			timeout 60 case-route -D s.db --rules rx.csv --units u.csv --at '2023-01-02 09:00' X1
		[ $(($(date +%s) - start)) -lt 30 ] && [ "$(sqlite3 "$T/s.db" "SELECT state FROM cases WHERE id = 'X1'")" = registered ] &&
			result regex "  ... within seconds, the case left as it was" ok ||
			result regex "  ... within seconds, the case left as it was" fail
	done
	printf 'priority,name,kind,class,text,street,unit,limit,action\n1,bad,event,,"(unclosed",,城管执法大队一中队,4wh,dispatch\n' >"$T/rb.csv"
	expect regex "a pattern that does not compile: --check-rules 78 with its line" 78 "rb.csv:2:" \
		case-route --check-rules --rules rb.csv --units u.csv
}

# ---- other --------------------------------------------------------------

others() {
	printf 'id,reported_at,lon,lat\nL1,2023-01-01,112.91,33.74\n' >"$T/l.csv"
	rm -f "$T/s.db"*
	expect other "-D :memory: is refused" 64 "is not a path" case-import -q -D :memory: l.csv
	expect other "-D file:x.db?mode=ro is refused" 64 "is not a path" case-import -q -D 'file:x.db?mode=ro' l.csv
	[ ! -e "$T/:memory:" ] && [ ! -e "$T/file:x.db?mode=ro" ] && result other "  ... and leaves no file" ok || result other "  ... and leaves no file" fail
	rm -f "$T/s.db"*
	sqlite3 "$T/s.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
	expect other "a foreign SQLite database is refused, untouched" 78 "not a cityops store" case-import -q -D s.db l.csv
	rm -f "$T/s.db"*
	case-import -q -D "$T/s.db" "$T/l.csv" >/dev/null
	sqlite3 "$T/s.db" "PRAGMA user_version = 99"
	expect other "a store from a newer version is refused" 78 "newer" case-stat -D s.db
	rm -f "$T/s.db"*
	expect other "a reading run on a missing store is 66" 66 "no such store" case-stat -D s.db --year 2023
	[ ! -e "$T/s.db" ] && result other "  ... and makes none" ok || result other "  ... and makes none" fail
	rm -f "$T/s.db"*
	case-import -q -D "$T/s.db" "$T/l.csv" >/dev/null
	mkfifo "$T/hold"
	sqlite3 "$T/s.db" <"$T/hold" >/dev/null &
	exec 3>"$T/hold"
	printf '.timeout 60000\nBEGIN IMMEDIATE;\n' >&3
	i=0
	while sqlite3 "$T/s.db" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	start=$(date +%s)
	expect other "--busy-timeout 0 on a locked store: 75 at once" 75 "locked" case-import -q --busy-timeout 0 -D s.db l.csv
	[ $(($(date +%s) - start)) -lt 3 ] && result other "  ... at once" ok || result other "  ... at once" fail
	expect other "a reader is not blocked by a writer" 0 "" case-stat -D s.db --year 2023
	echo 'COMMIT;' >&3
	exec 3>&-
	wait
	# decimal-comma locales, made with localedef when the system lacks them
	mkdir -p "$T/loc"
	for loc in de_DE tr_TR; do
		locale -a 2>/dev/null | grep -qix "$loc.utf-\{0,1\}8" ||
			localedef -i $loc -f UTF-8 "$T/loc/$loc.UTF-8" 2>/dev/null
	done
	for loc in de_DE.UTF-8 tr_TR.UTF-8; do
		if [ "$(LOCPATH=$T/loc LC_ALL=$loc locale decimal_point 2>/dev/null)" != "," ]; then
			echo "# $loc: not available here (no locale, no localedef)"
			continue
		fi
		rm -f "$T/s.db"*
		( cd "$T" && LOCPATH=$T/loc LC_ALL=$loc case-import -q -D s.db l.csv >/dev/null &&
		  LOCPATH=$T/loc LC_ALL=$loc case-stat -D s.db --year 2023 -f json ) >"$T/out" 2>"$T/err"
		if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" 2>/dev/null &&
		   [ "$(sqlite3 "$T/s.db" "SELECT lon FROM cases")" = 112.91 ]; then
			result other "under $loc: coordinates read, JSON out parses" ok
		else
			result other "under $loc: coordinates read, JSON out parses" fail "$(head -c 100 "$T/err")"
		fi
	done
}

# ---- the run ------------------------------------------------------------

for t in case-import case-route case-stat hotline-sync; do
	[ -x "bin/$t" ] || { echo "torture: bin/$t is missing: run make first" >&2; exit 70; }
done
if full; then
	crash_import 300000 20
	crash_import 60000 20
	crash_others
	concurrency 28 50000
else
	crash_import 20000 4
	concurrency 2 3000
fi
bad_inputs
good_inputs
outputs
regexes
others
echo "1..$n"
echo "# $MODE run: category, tried, clean, failing"
awk -F '\t' '{ t[$1]++; if ($2 == "ok") c[$1]++; else f[$1]++; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
	END { printf "# %-12s %6s %6s %8s\n", "category", "tried", "clean", "failing"
	      for (i = 1; i <= k; i++) printf "# %-12s %6d %6d %8d\n", order[i], t[order[i]], c[order[i]], f[order[i]] }' "$RES"
! grep -q "	fail" "$RES"
