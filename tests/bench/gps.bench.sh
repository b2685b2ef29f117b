# gps.bench.sh - gps-audit's cases for tests/bench/bench.sh (sourced).
#
# GPS_FIXES (default 10,000,000) fixes of GPS_VEHICLES (1,000) trucks, a
# day's platform export of about 600 MB (tests/bench/gengps.c), kept in
# build/bench/gps/ for the next run while the counts and the generator are
# the same.  Cases:
#   gps_audit         gps-audit into a fresh store (episodes stored)
#   sqlite3_gps       sqlite3 .import of the same file into an empty table
# The ratio gps-audit / sqlite3 .import is the figure to keep under 0.4, with
# gps-audit's peak memory under 256 MB.

ALL_CASES="$ALL_CASES gps_audit sqlite3_gps"
RATIOS="$RATIOS gps_ratios"

GPS_FIXES=${GPS_FIXES:-10000000}
GPS_VEHICLES=${GPS_VEHICLES:-1000}
GPS_DIR=$B/gps
GPS_CSV=$GPS_DIR/fixes-$GPS_FIXES.csv

gps_data() {
	gen=$B/gengps
	mkdir -p "$GPS_DIR" || exit 1
	if [ ! -x "$gen" ] || [ -n "$(find tests/bench/gengps.c tests/bench/rnd.h tests/bench/genfile.h -newer "$gen")" ]; then
		echo "building $gen"
		$CC -O2 -o "$gen" tests/bench/gengps.c -lm || die "cannot build $gen"
	fi
	stamp=$GPS_DIR/fixes-$GPS_FIXES.stamp
	want="fixes=$GPS_FIXES vehicles=$GPS_VEHICLES seed=$SEED gen=$(cat tests/bench/gengps.c tests/bench/rnd.h tests/bench/genfile.h | cksum)"
	if [ -f "$GPS_CSV" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		echo "reusing $GPS_CSV"
	else
		rm -f "$stamp"
		echo "generating $GPS_FIXES fixes of $GPS_VEHICLES trucks"
		"$gen" -n "$GPS_FIXES" -v "$GPS_VEHICLES" -s "$SEED" -d "$GPS_DIR" > "$GPS_CSV" ||
			die "gengps failed"
		printf '%s\n' "$want" > "$stamp"
	fi
	GPS_BYTES=$(wc -c < "$GPS_CSV" | tr -d ' ')
}

bench_gps_audit() {
	gps_data
	prepare() { fresh_db "$B/gps.db"; }
	# exit 1 is "found episodes", not a failure
	timed "gps-audit" "$GPS_BYTES" "$GPS_FIXES" sh -c 'bin/gps-audit "$@"; [ $? -le 1 ]' gps-audit \
		-q --no-progress -D "$B/gps.db" --vehicles "$GPS_DIR/vehicles.csv" \
		--routes "$GPS_DIR/routes.geojson" --zones "$GPS_DIR/zones.geojson" \
		--at '2023-11-28' "$GPS_CSV"
	n=$(sqlite3 "$B/gps.db" 'select count(*) from violations' 2>/dev/null)
	echo "gps-audit episodes in store: ${n:-?}"
}

bench_sqlite3_gps() {
	gps_data
	prepare() { fresh_db "$B/gpsq.db"; }
	timed "sqlite3 .import gps" "$GPS_BYTES" "$GPS_FIXES" \
		sqlite3 "$B/gpsq.db" -cmd '.mode csv' ".import $GPS_CSV fixes"
}

gps_ratios() {
	ratio "gps-audit / sqlite3 .import (target <= 0.4)" "gps-audit" "sqlite3 .import gps" 2
	mem=$(result "gps-audit" 3)
	[ -n "$mem" ] && [ "$mem" != "-" ] &&
		awk -v m="$mem" 'BEGIN { printf "gps-audit peak memory = %.1f MB (target < 256)\n", m / 1024 }'
}
