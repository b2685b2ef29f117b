#!/bin/sh
# bench.sh - `make bench`: time cityops tools side by side with their peers.
#
#   ROWS=1000000 sh tests/bench/bench.sh     (from the project root, after make)
#
# Generates ROWS synthetic cases (tests/bench/gencases.c) as CSV and JSON Lines
# in build/bench/ (kept for the next run while ROWS and the generator are the
# same), then times each case below with /usr/bin/time, twice (a pair of
# tools compared, three times each, in turn), into a fresh database, and
# keeps the best time.  Prints a table and the ratios.
#
# Environment: ROWS (default 1000000), SEED (default 1), CC (default cc),
# BENCH_CASES (a space-separated subset of the cases, in order; default all),
# IMPORT_ROWS (default "300000 ROWS": the sizes case-import and sqlite3's
# .import are compared at, into a new store and into one that already holds
# a year of as many cases).
#
# To add a case (say case-route or case-stat over the imported store), write a
# function bench_NAME that calls `timed LABEL INPUT_BYTES ROWS CMD...` (and
# whatever checks it wants), and add NAME to ALL_CASES.  A tool of its own
# keeps its cases in tests/bench/TOOL.bench.sh, which this script sources: it
# adds its names to ALL_CASES, defines its bench_NAME functions, and may add
# a function to RATIOS that prints its ratios (with `ratio`) at the end.

set -u

cd "$(dirname "$0")/../.." || exit 1

ROWS=${ROWS:-1000000}
SEED=${SEED:-1}
CC=${CC:-cc}
B=build/bench
GEN=$B/gencases
CSV=$B/cases-$ROWS.csv
JSONL=$B/cases-$ROWS.jsonl
CIDB=$B/ci.db
SQDB=$B/sq.db
RESULTS=$B/results.tsv
TIMEF=$B/time.out
LOG=$B/last.log

ALL_CASES="case_import_csv case_import_jsonl sqlite3_import case_import_year sqlite3_import_year mlr_csv_to_json case_route case_stat"
RATIOS=
for f in tests/bench/*.bench.sh; do
	[ -f "$f" ] && . "./$f"
done
CASES=${BENCH_CASES:-$ALL_CASES}
RUNS=2
# the pairs timed in turn (case-import and sqlite3 .import): on this kind
# of machine one run in three or four of either is slowed by the disk, and
# their ratio is what the targets are about; a pair of about a second
# (300,000 rows) gets five, as a short command wants more runs
VS_RUNS=3

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}

case $ROWS in
'' | *[!0-9]*) die "ROWS='$ROWS': expected a number of rows" ;;
esac

[ -x bin/case-import ] || die "bin/case-import is missing: run make first"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is not installed"
mkdir -p "$B" || exit 1

# GNU time gives elapsed seconds and peak RSS; without it, elapsed only.
HAVE_TIME=0
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o "$TIMEF" true 2>/dev/null; then
	HAVE_TIME=1
else
	echo "bench: /usr/bin/time (GNU) not found: peak memory not measured"
fi

# ---- data ------------------------------------------------------------------

IMPORT_ROWS=${IMPORT_ROWS:-300000 $ROWS}
for n in $IMPORT_ROWS; do
	case $n in
	'' | *[!0-9]*) die "IMPORT_ROWS='$IMPORT_ROWS': expected numbers of rows" ;;
	esac
done
IMPORT_ROWS=$(printf '%s\n' $IMPORT_ROWS | sort -n -u | tr '\n' ' ')

if [ ! -x "$GEN" ] || [ -n "$(find tests/bench/gencases.c tests/bench/rnd.h tests/bench/phrases.h -newer "$GEN")" ]; then
	echo "building $GEN"
	$CC -O2 -o "$GEN" tests/bench/gencases.c || die "cannot build $GEN"
fi

# gen_csv N YEAR: the CSV of N cases of YEAR ($B/cases-N.csv for 2023), made
# once for this generator and SEED; prints its name
gen_csv() {
	f=$B/cases-$1.csv
	[ "$2" = 2023 ] || f=$B/cases-$1-$2.csv
	w="rows=$1 seed=$SEED year=$2 gen=$(cat tests/bench/gencases.c tests/bench/rnd.h tests/bench/phrases.h | cksum)"
	if [ ! -f "$f" ] || [ ! -f "$f.stamp" ] || [ "$(cat "$f.stamp")" != "$w" ]; then
		echo "generating $1 cases of $2" >&2
		"$GEN" -n "$1" -s "$SEED" -y "$2" -f csv > "$f" || die "gencases failed"
		printf '%s\n' "$w" > "$f.stamp"
	fi
	printf '%s\n' "$f"
}

# the data of this ROWS and SEED, from this generator
gen_csv "$ROWS" 2023 > /dev/null
STAMP=$JSONL.stamp
want="rows=$ROWS seed=$SEED gen=$(cat tests/bench/gencases.c tests/bench/rnd.h tests/bench/phrases.h | cksum)"
if [ -f "$JSONL" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
	echo "reusing $CSV and $JSONL"
else
	rm -f "$STAMP"
	echo "generating $ROWS cases as JSON Lines"
	"$GEN" -n "$ROWS" -s "$SEED" -f jsonl > "$JSONL" || die "gencases failed"
	printf '%s\n' "$want" > "$STAMP"
fi

fsize() {
	wc -c < "$1" | tr -d ' '
}
CSV_BYTES=$(fsize "$CSV")
JSONL_BYTES=$(fsize "$JSONL")
awk -v c="$CSV_BYTES" -v j="$JSONL_BYTES" -v cf="$CSV" -v jf="$JSONL" 'BEGIN {
	printf "%-32s %10.1f MB\n%-32s %10.1f MB\n", cf, c / 1048576, jf, j / 1048576 }'

# ---- timing ----------------------------------------------------------------

fresh_db() {
	rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1-load"
}

now_s() {
	date +%s.%N 2>/dev/null
}

# run_once LABEL CMD... : one run of CMD (stdout to /dev/null) after
# `prepare` (a function the case sets) and a sync: no run waits on the disk
# for what ran before it (the data just generated, the last run's store; a
# tool's fsync waits for other files' dirty pages on ext4); sets secs and mem
prepare() { :; }
run_once() {
	label=$1
	shift
	prepare
	sync
	if [ $HAVE_TIME = 1 ]; then
		/usr/bin/time -f '%e %M' -o "$TIMEF" "$@" > /dev/null 2> "$LOG"
		rc=$?
		read -r secs mem < "$TIMEF" || secs=
		# GNU time notes a failing command on the file's first line
		case $secs in
		Command*) secs=$(tail -n 1 "$TIMEF" | cut -d' ' -f1)
			  mem=$(tail -n 1 "$TIMEF" | cut -d' ' -f2) ;;
		esac
	else
		t0=$(now_s)
		"$@" > /dev/null 2> "$LOG"
		rc=$?
		t1=$(now_s)
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
		mem=
	fi
	if [ $rc -ne 0 ]; then
		echo "bench: $label: exit status $rc" >&2
		sed 's/^/    /' "$LOG" | head -n 20 >&2
	fi
}

# less SECS BEST: is SECS a better time than BEST (none yet)?
less() {
	[ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

# timed LABEL BYTES ROWS CMD... : run CMD RUNS times, each after `prepare`,
# keep the best time.
timed() {
	tlabel=$1 bytes=$2 nrows=$3
	shift 3
	best='' bestmem=''
	i=0
	while [ $i -lt $RUNS ]; do
		i=$((i + 1))
		run_once "$tlabel" "$@"
		if less "$secs" "$best"; then
			best=$secs
			bestmem=$mem
		fi
	done
	printf '%s\t%s\t%s\t%s\t%s\n' "$tlabel" "$best" "${bestmem:--}" "$bytes" "$nrows" >> "$RESULTS"
}

# timed_vs LABEL_A LABEL_B BYTES ROWS: run the functions run_a and run_b
# (each calling run_once, after its prepare_a / prepare_b) in turn, VS_RUNS
# times each (two more under 1,000,000 rows), and keep the best of each: two tools compared at the same
# moments, so that what else the machine does weighs on both alike.
timed_vs() {
	besta='' mema='' bestb='' memb=''
	i=0
	runs=$VS_RUNS
	[ "$4" -ge 1000000 ] || runs=$((VS_RUNS + 2))
	while [ $i -lt $runs ]; do
		i=$((i + 1))
		prepare() { prepare_a; }
		run_a
		if less "$secs" "$besta"; then besta=$secs mema=$mem; fi
		prepare() { prepare_b; }
		run_b
		if less "$secs" "$bestb"; then bestb=$secs memb=$mem; fi
	done
	prepare() { :; }
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$besta" "${mema:--}" "$3" "$4" >> "$RESULTS"
	printf '%s\t%s\t%s\t%s\t%s\n' "$2" "$bestb" "${memb:--}" "$3" "$4" >> "$RESULTS"
}

# the seconds or peak KiB of a label in the results
result() {
	awk -F '\t' -v l="$1" -v f="$2" '$1 == l { v = $f } END { print v }' "$RESULTS"
}

count_cases() {
	sqlite3 "$CIDB" 'select count(*) from cases' 2>/dev/null
}

check_store() {
	n=$(count_cases)
	echo "case-import rows in store: ${n:-?} ($1, expected $ROWS)"
	[ "${n:-}" = "$ROWS" ] || echo "WARNING: case-import stored ${n:-no} rows from $1, not $ROWS"
}

# ---- the cases -------------------------------------------------------------

# the label of an import at size n: the ROWS one is "case-import csv" and
# "sqlite3 .import", as the other cases and ratios name it
label_at() {
	if [ "$2" = "$ROWS" ]; then echo "$1"; else echo "$1 $2"; fi
}

selected() {
	case " $CASES " in *" $1 "*) return 0 ;; esac
	return 1
}

# case-import into a new store (no store file yet: the first load builds it
# in a side file, then puts it in place), against sqlite3's .import into a
# new database, run in turn (timed_vs); sqlite3_import alone times .import.
bench_case_import_csv() {
	for n in $IMPORT_ROWS; do
		f=$(gen_csv "$n" 2023)
		prepare_a() { fresh_db "$CIDB"; }
		run_a() { run_once case-import bin/case-import -q --no-progress -D "$CIDB" "$f"; }
		prepare_b() { fresh_db "$SQDB"; }
		run_b() { run_once sqlite3 sqlite3 "$SQDB" -cmd '.mode csv' ".import $f cases"; }
		if selected sqlite3_import; then
			timed_vs "$(label_at "case-import csv" "$n")" "$(label_at "sqlite3 .import" "$n")" \
				"$(fsize "$f")" "$n"
			check_sqlite3 "$SQDB" "$n" "sqlite3 .import"
		else
			prepare() { prepare_a; }
			timed "$(label_at "case-import csv" "$n")" "$(fsize "$f")" "$n" \
				bin/case-import -q --no-progress -D "$CIDB" "$f"
		fi
		[ "$n" = "$ROWS" ] || fresh_db "$CIDB"
	done
	check_store csv
}

# The same cases as JSON Lines, into a new store.
bench_case_import_jsonl() {
	prepare() { fresh_db "$CIDB"; }
	timed "case-import jsonl" "$JSONL_BYTES" "$ROWS" \
		bin/case-import -q --no-progress -D "$CIDB" "$JSONL"
	check_store jsonl
}

check_sqlite3() { # check_sqlite3 DB N LABEL
	c=$(sqlite3 "$1" 'select count(*) from cases' 2>/dev/null)
	[ "${c:-}" = "$2" ] || echo "WARNING: $3 stored ${c:-no} rows, not $2"
}

bench_sqlite3_import() {
	selected case_import_csv && return 0 # timed with it, in turn
	for n in $IMPORT_ROWS; do
		f=$(gen_csv "$n" 2023)
		prepare() { fresh_db "$SQDB"; }
		timed "$(label_at "sqlite3 .import" "$n")" "$(fsize "$f")" "$n" \
			sqlite3 "$SQDB" -cmd '.mode csv' ".import $f cases"
		check_sqlite3 "$SQDB" "$n" "sqlite3 .import"
	done
}

# Into a store that already holds a year: the 2022 cases, as many as the
# file of 2023 has, loaded once (kept in $B while the data is the same) and
# copied (and synced, so that no run pays for the copy) before each run.
# case-import writes through the WAL, with the store's indexes kept;
# .import appends to its table.
year_base() {
	base=$B/$1-year-$2.db
	y=$(gen_csv "$2" 2022)
	if [ ! -f "$base" ] || [ "$y" -nt "$base" ]; then
		fresh_db "$base"
		echo "loading a year of $2 cases into $base" >&2
		if [ "$1" = ci ]; then
			bin/case-import -q --no-progress -D "$base" "$y" > /dev/null
		else
			sqlite3 "$base" -cmd '.mode csv' ".import $y cases"
		fi || die "cannot build $base"
	fi
	# a store from an older build is migrated here, not in the timed runs
	[ "$1" = sq ] || bin/case-stat -D "$base" --year 2022 > /dev/null || die "cannot open $base"
	printf '%s\n' "$base"
}

bench_case_import_year() {
	for n in $IMPORT_ROWS; do
		f=$(gen_csv "$n" 2023)
		cbase=$(year_base ci "$n")
		prepare_a() { fresh_db "$B/ci-year.db"; cp "$cbase" "$B/ci-year.db"; }
		run_a() { run_once case-import bin/case-import -q --no-progress -D "$B/ci-year.db" "$f"; }
		if selected sqlite3_import_year; then
			sbase=$(year_base sq "$n")
			prepare_b() { fresh_db "$B/sq-year.db"; cp "$sbase" "$B/sq-year.db"; }
			run_b() { run_once sqlite3 sqlite3 "$B/sq-year.db" -cmd '.mode csv' ".import --skip 1 $f cases"; }
			timed_vs "$(label_at "case-import +year" "$n")" "$(label_at "sqlite3 +year" "$n")" \
				"$(fsize "$f")" "$n"
			check_sqlite3 "$B/sq-year.db" $((2 * n)) "sqlite3 +year"
		else
			prepare() { prepare_a; }
			timed "$(label_at "case-import +year" "$n")" "$(fsize "$f")" "$n" \
				bin/case-import -q --no-progress -D "$B/ci-year.db" "$f"
		fi
		c=$(sqlite3 "$B/ci-year.db" 'select count(*) from cases' 2>/dev/null)
		[ "${c:-}" = $((2 * n)) ] || echo "WARNING: case-import +year holds ${c:-no} cases, not $((2 * n))"
	done
	fresh_db "$B/ci-year.db"
	fresh_db "$B/sq-year.db"
}

bench_sqlite3_import_year() {
	selected case_import_year && return 0 # timed with it, in turn
	for n in $IMPORT_ROWS; do
		f=$(gen_csv "$n" 2023)
		sbase=$(year_base sq "$n")
		prepare() { fresh_db "$B/sq-year.db"; cp "$sbase" "$B/sq-year.db"; }
		timed "$(label_at "sqlite3 +year" "$n")" "$(fsize "$f")" "$n" \
			sqlite3 "$B/sq-year.db" -cmd '.mode csv' ".import --skip 1 $f cases"
		check_sqlite3 "$B/sq-year.db" $((2 * n)) "sqlite3 +year"
	done
	fresh_db "$B/sq-year.db"
}

bench_mlr_csv_to_json() {
	if ! command -v mlr >/dev/null 2>&1; then
		echo "mlr: not installed, skipped"
		return 0
	fi
	prepare() { :; }
	timed "mlr csv->json" "$CSV_BYTES" "$ROWS" \
		mlr --icsv --ojson cat "$CSV"
}

# case-route: ROUTE_ROWS (100,000) registered cases through 200 regex rules;
# every case tries all 199 patterns that do not match before the last one.
ROUTE_ROWS=${ROUTE_ROWS:-100000}
bench_case_route() {
	base=$B/route-base-$ROUTE_ROWS.db
	rules=$B/rules-200.csv
	awk 'BEGIN {
		print "priority,name,kind,class,text,street,unit,limit,action"
		split("人民路 向阳路 鲁平大道 振兴路 墨公路 钢厂路 滍阳路 和平路", road, " ")
		for (i = 1; i < 200; i++)
			printf "%d,rule%d,event,,\"%s.{0,20}第%d号(井盖|箅子|灯杆)(缺失|破损)\",,城管执法大队%s中队,,dispatch\n", i, i, road[i % 8 + 1], i, (i % 2 ? "一" : "二")
		print "200,catch-all,,,.,,县住建局,2wd,dispatch"
	}' > "$rules"
	units=$B/units-200.csv
	printf 'code,name\nZF1,城管执法大队一中队\nZF2,城管执法大队二中队\nZJJ,县住建局\n' > "$units"
	if [ ! -f "$base" ]; then
		awk -v n="$ROUTE_ROWS" 'BEGIN {
			print "案件编号,问题类型,小类,问题描述,问题地址,所属街道,上报时间,案件状态"
			split("机动车乱停放 店外经营 暴露垃圾 占道经营 非法小广告 道路不洁", cls, " ")
			split("琴台街道 汇源街道 鲁阳街道 露峰街道", st, " ")
			for (i = 1; i <= n; i++)
				printf "RT%07d,事件,%s,人民路与向阳路交叉口附近发现%s问题，影响市容和通行，请尽快处理（第%d次上报）,鲁山县%s人民路%d号,%s,2023-11-%02d 09:%02d:00,已立案\n", i, cls[i % 6 + 1], cls[i % 6 + 1], i % 7, st[i % 4 + 1], i % 300, st[i % 4 + 1], i % 28 + 1, i % 60
		}' > "$B/route-cases.csv"
		rm -f "$base"
		bin/case-import -q -D "$base" "$B/route-cases.csv" > /dev/null || die "cannot build $base"
	fi
	# a store from an older build is migrated here, not in the timed runs
	bin/case-route -q -D "$base" --overdue > /dev/null || die "cannot open $base"
	prepare() { fresh_db "$B/route.db"; cp "$base" "$B/route.db"; }
	timed "case-route 200 rx" 0 "$ROUTE_ROWS" \
		bin/case-route -q -D "$B/route.db" --rules "$rules" --units "$units" --pending \
		--at '2023-12-01 09:00'
	n=$(sqlite3 "$B/route.db" "select count(*) from cases where state = 'dispatched'" 2>/dev/null)
	echo "case-route dispatched: ${n:-?} of $ROUTE_ROWS"
}

# case-stat over the store case-import made of the whole file, against the
# same query typed into the sqlite3 shell.  "warm": the months' facts are
# kept (stat_months), as after any earlier run; "cold": they were dropped,
# as by a write to every month, and this run reads the cases and keeps them;
# "--no-cache": counted from the cases table every time.
bench_case_stat() {
	[ "$(count_cases)" = "$ROWS" ] || {
		fresh_db "$CIDB"
		bin/case-import -q --no-progress -D "$CIDB" "$CSV" > /dev/null || die "cannot build $CIDB"
	}
	bin/case-stat -D "$CIDB" --year 2023 > /dev/null   # migrates an older store, keeps the facts
	prepare() { :; }
	timed "case-stat by m,c" 0 "$ROWS" \
		bin/case-stat -D "$CIDB" --year 2023 --at '2024-01-01' by month,category -f csv
	timed "sqlite3 by m,c" 0 "$ROWS" sqlite3 "$CIDB" \
		"SELECT reported_month, category, count(*), sum(state = 'closed'),
		 sum(state = 'closed' AND (due_at IS NULL OR closed_at <= due_at)),
		 sum(state IN ('reported','registered','dispatched','handling','handled') AND due_at < '2024-01-01')
		 FROM cases WHERE reported_month >= '2023-01' AND reported_month < '2024-01' GROUP BY 1, 2"
	timed "case-stat summary" 0 "$ROWS" \
		bin/case-stat -D "$CIDB" --year 2023 --at '2024-01-01' -f csv
	timed "sqlite3 summary" 0 "$ROWS" sqlite3 "$CIDB" \
		"SELECT count(*), sum(state = 'closed'), sum(self_disposed),
		 sum(state = 'closed' AND (due_at IS NULL OR closed_at <= due_at)),
		 sum(dispatched_at IS NOT NULL AND NOT self_disposed)
		 FROM cases WHERE reported_month >= '2023-01' AND reported_month < '2024-01';
		 SELECT avg((julianday(closed_at) - julianday(reported_at)) * 24) FROM cases
		 WHERE state = 'closed' AND reported_month >= '2023-01' AND reported_month < '2024-01'"
	timed "case-stat summary nc" 0 "$ROWS" \
		bin/case-stat -D "$CIDB" --year 2023 --at '2024-01-01' -f csv --no-cache
	prepare() { sqlite3 "$CIDB" 'DELETE FROM stat_months'; }
	timed "case-stat summary cold" 0 "$ROWS" \
		bin/case-stat -D "$CIDB" --year 2023 --at '2024-01-01' -f csv
	prepare() { :; }
}

# ---- run -------------------------------------------------------------------

: > "$RESULTS"
echo "rows: $ROWS, best of $RUNS runs each ($VS_RUNS for the pairs timed in turn, $((VS_RUNS + 2)) under 1,000,000 rows)"
for c in $CASES; do
	case " $ALL_CASES " in
	*" $c "*) ;;
	*) die "unknown case '$c' (cases: $ALL_CASES)" ;;
	esac
	echo "running $c ..."
	"bench_$c"
done

echo
awk -F '\t' 'BEGIN {
	printf "%-24s %9s %12s %9s %9s\n", "tool", "seconds", "rows/s", "MB/s", "peak MB"
	printf "%-24s %9s %12s %9s %9s\n", "----", "-------", "------", "----", "-------"
}
{
	s = $2 + 0
	rps = s > 0 ? sprintf("%.0f", $5 / s) : "-"
	mbs = s > 0 ? sprintf("%.1f", $4 / 1048576 / s) : "-"
	mem = $3 == "-" ? "-" : sprintf("%.1f", $3 / 1024)
	printf "%-24s %9.2f %12s %9s %9s\n", $1, s, rps, mbs, mem
}' "$RESULTS"
echo "(MB = 2^20 bytes; MB/s over the input file; peak MB = maximum resident set)"
echo

ratio() {
	a=$(result "$2" "$4")
	b=$(result "$3" "$4")
	[ -n "$a" ] && [ -n "$b" ] || return 0
	awk -v t="$1" -v a="$a" -v b="$b" 'BEGIN {
		if (a == "-" || b == "-" || b + 0 == 0) exit
		printf "%s = %.2f\n", t, a / b }'
}
for n in $IMPORT_ROWS; do
	ratio "case-import / sqlite3 .import, $n rows, new store" \
		"$(label_at "case-import csv" "$n")" "$(label_at "sqlite3 .import" "$n")" 2
	ratio "case-import / sqlite3 .import, $n rows, into a year" \
		"$(label_at "case-import +year" "$n")" "$(label_at "sqlite3 +year" "$n")" 2
done
ratio "case-import jsonl / csv" "case-import jsonl" "case-import csv" 2
ratio "case-import / sqlite3 .import (peak memory)" "case-import csv" "sqlite3 .import" 3
ratio "case-import into a year / sqlite3 (peak memory)" "case-import +year" "sqlite3 +year" 3
ratio "case-stat by month,category / sqlite3 shell" "case-stat by m,c" "sqlite3 by m,c" 2
ratio "case-stat summary / sqlite3 shell (which skips the medians)" "case-stat summary" "sqlite3 summary" 2
ratio "case-stat summary cold (builds the facts) / sqlite3 shell" "case-stat summary cold" "sqlite3 summary" 2
ratio "case-stat summary --no-cache / sqlite3 shell" "case-stat summary nc" "sqlite3 summary" 2
for r in $RATIOS; do
	"$r"
done
awk -F '\t' '$3 != "-" { printf "%s%s %.1f MB", sep, $1, $3 / 1024; sep = ", " }
	END { if (sep) printf "\n" }' "$RESULTS" | sed 's/^/memory: /'
