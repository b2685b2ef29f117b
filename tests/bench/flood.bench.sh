# flood.bench.sh - flood-check's cases for `make bench` (sourced by bench.sh).
#
# flood_year: one year of 1-minute readings at the 11 stations of
# examples/lushan/stations.csv (tests/bench/genreadings.c: 5,781,600 rows,
# ~160 MB of CSV, with some 48 cloudbursts) ingested and evaluated by
# flood-check into a fresh store, against `sqlite3 .import` of the same
# file into an empty table.  flood_cron: then 11 new readings (one per
# station, the minute after the year) against the store that holds the
# year, as cron would bring them (GNU time counts hundredths of a second:
# the ratio line gives the best of 5 more runs in milliseconds).  The year
# file is kept in build/bench/.

ALL_CASES="$ALL_CASES flood_year flood_cron"
RATIOS="$RATIOS flood_ratios"

FLOOD_CSV=$B/readings-year.csv
FLOOD_DB=$B/flood.db
FLOOD_ROWS=5781600

flood_data() {
	gen=$B/genreadings
	if [ ! -x "$gen" ] || [ -n "$(find tests/bench/genreadings.c tests/bench/storm.h tests/bench/rnd.h -newer "$gen")" ]; then
		$CC -O2 -Itests/bench -o "$gen" tests/bench/genreadings.c -lm || die "cannot build $gen"
	fi
	want="gen=$(cat tests/bench/genreadings.c tests/bench/storm.h tests/bench/rnd.h | cksum)"
	if [ ! -f "$FLOOD_CSV" ] || [ "$(cat "$FLOOD_CSV.stamp" 2>/dev/null)" != "$want" ]; then
		echo "generating a year of readings"
		"$gen" > "$FLOOD_CSV" || die "genreadings failed"
		printf '%s\n' "$want" > "$FLOOD_CSV.stamp"
	fi
	FLOOD_BYTES=$(fsize "$FLOOD_CSV")
}

bench_flood_year() {
	flood_data
	prepare() { fresh_db "$FLOOD_DB"; }
	timed "flood-check year" "$FLOOD_BYTES" "$FLOOD_ROWS" \
		bin/flood-check -q --no-progress -D "$FLOOD_DB" --stations examples/lushan/stations.csv \
		--at '2024-01-01 00:00' -f csv "$FLOOD_CSV"
	n=$(sqlite3 "$FLOOD_DB" 'SELECT count(*) FROM readings' 2>/dev/null)
	echo "flood-check readings in store: ${n:-?} (expected $FLOOD_ROWS)"
	[ "${n:-}" = "$FLOOD_ROWS" ] || echo "WARNING: flood-check stored ${n:-no} readings, not $FLOOD_ROWS"
	prepare() { fresh_db "$B/flood-sq.db"; }
	timed "sqlite3 .import rdg" "$FLOOD_BYTES" "$FLOOD_ROWS" \
		sqlite3 "$B/flood-sq.db" -cmd '.mode csv' ".import $FLOOD_CSV readings"
	prepare() { :; }
}

bench_flood_cron() {
	[ -f "$FLOOD_DB" ] || bench_flood_year
	awk 'BEGIN { print "station,at,level_cm"
		for (k = 1; k <= 11; k++) printf "FX%02d,2024-01-01 00:00:00,0.0\n", k }' > "$B/flood-cron.csv"
	prepare() {
		sqlite3 "$FLOOD_DB" "DELETE FROM readings WHERE at = '2024-01-01 00:00:00';
			UPDATE flood_state SET last_at = '2023-12-31 23:59:00'" 2>/dev/null
	}
	timed "flood-check cron" 0 11 \
		bin/flood-check -q --no-progress -D "$FLOOD_DB" --stations examples/lushan/stations.csv \
		--at '2024-01-01 00:00' "$B/flood-cron.csv"
	# GNU time gives hundredths: the best of 5 runs in milliseconds, by date
	FLOOD_CRON_MS=
	i=0
	while [ $i -lt 5 ]; do
		i=$((i + 1))
		prepare
		t0=$(date +%s%N)
		bin/flood-check -q --no-progress -D "$FLOOD_DB" --stations examples/lushan/stations.csv \
			--at '2024-01-01 00:00' "$B/flood-cron.csv" > /dev/null 2>&1
		t1=$(date +%s%N)
		FLOOD_CRON_MS=$(awk -v a="$t0" -v b="$t1" -v m="$FLOOD_CRON_MS" 'BEGIN {
			v = (b - a) / 1e6; if (m == "" || v < m) m = v; printf "%.1f", m }')
	done
	n=$(sqlite3 "$FLOOD_DB" "SELECT count(*) FROM readings WHERE at = '2024-01-01 00:00:00'" 2>/dev/null)
	echo "flood-check cron: ${n:-?} readings of 11 stored"
	prepare() { :; }
}

flood_ratios() {
	ratio "flood-check year / sqlite3 .import (target <= 1.0)" "flood-check year" "sqlite3 .import rdg" 2
	ratio "flood-check year / sqlite3 .import (peak memory)" "flood-check year" "sqlite3 .import rdg" 3
	s=$(result "flood-check cron" 2)
	[ -n "$s" ] && awk -v s="$s" -v ms="${FLOOD_CRON_MS:-}" 'BEGIN {
		if (ms == "") ms = s * 1000
		printf "flood-check cron run (11 readings, a year stored) = %.1f ms (target < 50)\n", ms }'
}
