#!/bin/sh
# gps-audit on the example day of 鲁山's trucks (examples/lushan/genfixes.c):
# the planted violations are found, each once, and nothing else; the day
# split by plate into four parts and audited with --stream, as Hadoop
# Streaming's reducers would, gives the same episodes as one run.
. "$(dirname "$0")/tap.sh"
L=examples/lushan
day=$L/fixes-2023-11-27.csv
cfg="--vehicles $L/vehicles.csv --routes $L/routes.geojson --zones $L/zones.geojson"
mkdir -p "$t/gen"
make -s build/genfixes >/dev/null 2>&1 && build/genfixes -d "$t/gen" > "$t/gen/fixes.csv"
check "the generator writes the committed day and configuration" \
	'cmp -s "$t/gen/fixes.csv" $day && for f in vehicles.csv routes.geojson zones.geojson planted.csv; do cmp -s "$t/gen/$f" $L/$f || exit 1; done'

bin/gps-audit -q -D "$t/s.db" $cfg --at 2023-11-28 -f csv $day > "$t/eps.csv"
rc=$?
check "the audit exits 1: it found violations" '[ $rc -eq 1 ]'
check "the episodes are the expected report" 'cmp -s "$t/eps.csv" $L/violations-2023-11-27.csv'
# each planted violation: one episode of its plate and kind starting in its window
awk -F, 'NR == FNR { if (FNR > 1) { key[FNR] = $1 "," $2; from[FNR] = $3; to[FNR] = $4; n = FNR } next }
	FNR > 1 { s = substr($4, 12, 8); hit = 0
		for (i = 2; i <= n; i++) if (key[i] == $1 "," $3 && s >= from[i] && s <= to[i]) { got[i]++; hit = 1 }
		if (!hit) { print "unplanted: " $0; bad = 1 } }
	END { for (i = 2; i <= n; i++) if (got[i] != 1) { print "planted " key[i] " found " got[i] + 0 " times"; bad = 1 }
		exit bad }' $L/planted.csv "$t/eps.csv" > "$t/planted.out"
check "the planted violations are found, each once, and nothing else" '[ $? -eq 0 ]'
sed 's/^/# /' "$t/planted.out"
check "the noise is dropped: 0/0, a duplicate, a jump" \
	'bin/gps-audit -D "$t/n.db" $cfg --at 2023-11-28 $day 2>&1 >/dev/null | grep -q "dropped: 1 0/0, 1 duplicate time, 1 implied speed"'

bin/gps-audit -q -D "$t/s.db" $cfg --at 2023-11-28 $day > /dev/null
check "auditing the day again adds nothing" \
	'[ "$(sqlite3 "$t/s.db" "SELECT count(*) FROM violations; SELECT rows_inserted || \",\" || rows_updated FROM batches ORDER BY id DESC LIMIT 1" | tr "\n" " ")" = "7 0,0 " ]'

# Hadoop Streaming: the mapper drops the header, the shuffle sends each
# plate to one of 4 reducers and groups it
tail -n +2 $day | awk -F, -v d="$t" '{ h = 0; for (i = 1; i <= length($1); i++) h = h * 31 + index("0123456789ABDFH", substr($1, i, 1)); print > (d "/part" (h % 4)) }'
: > "$t/stream.csv"
ok=0
for p in 0 1 2 3; do
	touch "$t/part$p"
	sort -s -t, -k1,1 "$t/part$p" | bin/gps-audit -q --stream $cfg --at 2023-11-28 -f csv >> "$t/stream.csv" || ok=1
done
check "--stream on 4 plate partitions exits 0" '[ $ok -eq 0 ]'
check "the union of the partitions equals the single run" \
	'[ "$(sort "$t/stream.csv" | cksum)" = "$(tail -n +2 "$t/eps.csv" | sort | cksum)" ]'
check "the partitions held more than one plate each" \
	'[ "$(cat "$t"/part* | wc -l)" -gt 5000 ] && [ -s "$t/part0" ] && [ -s "$t/part1" ]'

# the routes are drawn in GCJ-02: read as WGS-84 they lie hundreds of metres off
sed 's/"gcj02"/"wgs84"/g' $L/routes.geojson > "$t/wgs.geojson"
off=$(bin/gps-audit -q -D "$t/w.db" --vehicles $L/vehicles.csv --routes "$t/wgs.geojson" --at 2023-11-28 $day | grep -c off_route)
check "without the GCJ-02 conversion every truck on a route is off it ($off episodes)" '[ "$off" -ge 5 ]'
bin/gps-audit -q -D "$t/s.db" $cfg --at 2023-11-28 --summary -f csv $day > "$t/sum.csv"
check "the summary: 7 trucks and 2 company totals" \
	'[ "$(grep -c "^total," "$t/sum.csv")" -eq 2 ] && [ "$(wc -l < "$t/sum.csv")" -eq 10 ]'
echo "1..$n"
