# hotline.bench.sh - hotline-sync's cases for tests/bench/bench.sh (sourced).
#
# An export of HOTLINE_ROWS (default 100,000) tickets from the example's
# generator (examples/lushan/genhotline.c -n), synced into a fresh store
# ("first"), then synced again unchanged ("resync": the cron job's usual
# run, which must print nothing), against sqlite3 .import of the same file
# into an empty table.  The re-sync is to take no longer than the import.

HOTLINE_ROWS=${HOTLINE_ROWS:-100000}
ALL_CASES="$ALL_CASES hotline_sync"
RATIOS="$RATIOS hotline_ratios"

hotline_data() {
	gen=build/genhotline
	hcsv=$B/hotline-$HOTLINE_ROWS.csv
	if [ ! -x "$gen" ] || [ -n "$(find examples/lushan/genhotline.c tests/bench/rnd.h tests/bench/phrases.h -newer "$gen")" ]; then
		echo "building $gen"
		$CC -O2 -Itests/bench -o "$gen" examples/lushan/genhotline.c || die "cannot build $gen"
	fi
	hstamp=$B/hotline-$HOTLINE_ROWS.stamp
	hwant="rows=$HOTLINE_ROWS gen=$(cat examples/lushan/genhotline.c tests/bench/rnd.h tests/bench/phrases.h | cksum)"
	if [ -f "$hcsv" ] && [ -f "$hstamp" ] && [ "$(cat "$hstamp")" = "$hwant" ]; then
		echo "reusing $hcsv"
	else
		echo "generating $HOTLINE_ROWS tickets"
		"$gen" -n "$HOTLINE_ROWS" > "$hcsv" || die "genhotline failed"
		printf '%s\n' "$hwant" > "$hstamp"
	fi
}

bench_hotline_sync() {
	hotline_data
	hdb=$B/hotline.db
	hbytes=$(fsize "$hcsv")
	prepare() { fresh_db "$hdb"; }
	timed "hotline-sync first" "$hbytes" "$HOTLINE_ROWS" \
		bin/hotline-sync -q --no-progress -D "$hdb" --at 2024-01-01 "$hcsv"
	n=$(sqlite3 "$hdb" 'SELECT count(*) FROM tickets' 2>/dev/null)
	echo "hotline-sync tickets in store: ${n:-?} (expected $HOTLINE_ROWS)"
	# the store the last first sync left: every ticket is there, unchanged
	prepare() { :; }
	timed "hotline-sync resync" "$hbytes" "$HOTLINE_ROWS" \
		bin/hotline-sync --no-progress -D "$hdb" --at 2024-01-01 "$hcsv"
	printed=$(bin/hotline-sync --no-progress -D "$hdb" --at 2024-01-01 "$hcsv" 2>&1 | wc -c | tr -d ' ')
	echo "hotline-sync re-sync printed $printed bytes (expected 0)"
	prepare() { fresh_db "$B/hotline-sq.db"; }
	timed "sqlite3 .import tkt" "$hbytes" "$HOTLINE_ROWS" \
		sqlite3 "$B/hotline-sq.db" -cmd '.mode csv' ".import $hcsv tickets"
	prepare() { :; }
}

hotline_ratios() {
	ratio "hotline-sync re-sync / sqlite3 .import (target <= 1.0)" "hotline-sync resync" "sqlite3 .import tkt" 2
	ratio "hotline-sync first sync / sqlite3 .import" "hotline-sync first" "sqlite3 .import tkt" 2
}
