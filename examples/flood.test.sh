#!/bin/sh
# flood-check on the storm of examples/lushan/ and on real water levels.
#
# The storm: the seeded generator writes the committed readings, their
# replay prints the committed messages, and --summary gives each station's
# maximum.  Real data (skipped without ../shared): the Bodensee lake level
# at Lindau and a USGS gage's RDB, with levels set near their peaks, give
# exactly the level transitions that an independent count (awk, below: the
# same ladder, hysteresis and two readings in a row, written again) finds.
. "$(dirname "$0")/tap.sh"
FC=bin/flood-check
L=examples/lushan

make -s build/genstorm >/dev/null 2>&1 && build/genstorm > "$t/storm.csv"
check "the generator writes the committed storm" 'cmp -s "$t/storm.csv" $L/storm-2023-07-20.csv'
$FC -q -D "$t/s.db" --stations $L/stations.csv --at '2023-07-20 20:00' -f csv \
	$L/storm-2023-07-20.csv > "$t/replay.csv"
check "the storm replay prints the expected messages" 'cmp -s "$t/replay.csv" $L/storm-2023-07-20.expected.csv'
check "the issue's orange message is among them" \
	'grep -q "向阳路城壕桥西侧 积水 27 cm（橙色预警，超过 25 cm 封闭线），10 分钟上涨 9 cm，请立即封闭交通并派员值守" "$t/replay.csv"'
$FC -q -D "$t/s.db" --stations $L/stations.csv --at '2023-07-20 14:00' -f csv \
	$L/storm-2023-07-20.csv > "$t/again.csv"
check "a second run prints nothing" '[ ! -s "$t/again.csv" ]'
awk -F, 'NR > 1 && (!($1 in m) || $3 + 0 > m[$1]) { m[$1] = $3 + 0 }
	END { for (s in m) printf "%s %.1f\n", s, m[s] }' $L/storm-2023-07-20.csv | sort > "$t/max.want"
$FC -D "$t/s.db" --stations $L/stations.csv --summary --from '2023-07-20 14:00' \
	--to '2023-07-20 20:00' -f csv | awk -F, 'NR > 1 { print $1, $5 }' | sort > "$t/max.got"
check "--summary gives each station's maximum" 'cmp -s "$t/max.want" "$t/max.got"'

# ---- real data --------------------------------------------------------------
E=../shared/data/external
if [ ! -d "$E/bodensee-water-level" ] || [ ! -d "$E/usgs-nwis" ]; then
	echo "ok $((n + 1)) - real water levels # skip ../shared/data/external is absent"
	n=$((n + 1))
	echo "1..$n"
	exit 0
fi

# ladder(thresholds, clear): level transitions of "time value" lines in time
# order, as "event level time"
ladder() {
	awk -v spec="$1" -v clear="$2" 'BEGIN {
		split(spec, thr, " "); split("blue yellow orange red", nm, " "); lev = 0 }
	{
		t = $1 " " $2; v = $3 + 0; conf = 0
		for (l = 1; l <= 4; l++)
			if (v >= thr[l]) { run[l]++; if (run[l] >= 2) conf = l } else run[l] = 0
		hold = 0
		for (l = 1; l <= lev; l++) if (v >= thr[l] - clear) hold = l
		nw = conf > hold ? conf : hold
		if (nw != lev) {
			ev = lev == 0 ? "opened" : nw > lev ? "escalated" : nw > 0 ? "deescalated" : "cleared"
			lv = nw ? nw : lev
			print ev, nm[lv], t
		}
		lev = nw
	}'
}
# the level transitions flood-check printed, in the same form
levels() {
	awk -F, '$3 ~ /^(opened|escalated|deescalated|cleared)$/ { print $3, $4, $6 }'
}

# Bodensee, Lindau: 35,117 quarter-hours, newest first, midnights date-only
printf 'id,name,kind,blue_cm,yellow_cm,orange_cm,red_cm,clear_cm,stale_min\n' > "$t/lake.csv"
printf 'lindau,Bodensee Pegel Lindau,river,420,430,440,448,3,525600\n' >> "$t/lake.csv"
$FC -q -D "$t/lake.db" --stations "$t/lake.csv" --station lindau \
	--map water_level_cm_lake=level_cm --at '2025-07-30' -f csv \
	"$E/bodensee-water-level/water_level.csv" | levels > "$t/lake.got"
tail -n +2 "$E/bodensee-water-level/water_level.csv" |
	awk -F, '{ d = $1; if (length(d) == 10) d = d " 00:00:00"; print d "," $3 }' |
	sort | tr ',' ' ' | ladder "420 430 440 448" 3 > "$t/lake.want"
check "Bodensee: the alerts are the independent count's ($(wc -l < "$t/lake.want") transitions)" \
	'[ -s "$t/lake.want" ] && cmp -s "$t/lake.want" "$t/lake.got"'
check "Bodensee: every reading stored once" \
	'[ "$(sqlite3 "$t/lake.db" "SELECT count(*) FROM readings")" -eq 35117 ]'

# USGS IV RDB, Baytown TX: specific conductance (00095), CST then CDT
printf 'id,name,kind,blue_cm,yellow_cm,orange_cm,red_cm,clear_cm,stale_min\n' > "$t/gage.csv"
printf '294643095035200,Lynchburg Res,river,340,355,365,375,5,525600\n' >> "$t/gage.csv"
$FC -q -D "$t/gage.db" --stations "$t/gage.csv" --parameter 00095 --at '2018-06-11' \
	-f csv "$E/usgs-nwis/nwis_iv_294643095035200_Lynchburg_Res_Baytown_TX.rdb" 2>/dev/null |
	levels | cut -d' ' -f1,2 > "$t/gage.got"
awk -F'\t' '$1 == "USGS" && $7 != "" { print $3, $7 }' \
	"$E/usgs-nwis/nwis_iv_294643095035200_Lynchburg_Res_Baytown_TX.rdb" |
	ladder "340 355 365 375" 5 | cut -d' ' -f1,2 > "$t/gage.want"
check "USGS IV: the alerts are the independent count's ($(wc -l < "$t/gage.want") transitions)" \
	'[ -s "$t/gage.want" ] && cmp -s "$t/gage.want" "$t/gage.got"'
gap=$(sqlite3 "$t/gage.db" "SELECT count(*) FROM (SELECT at, lag(at) OVER (ORDER BY at) AS p FROM readings) WHERE at BETWEEN '2018-03-11 14:00' AND '2018-03-11 18:00' AND (julianday(at) - julianday(p)) * 1440 > 15.5")
check "USGS IV: the DST jump (01:45 CST, 03:00 CDT) is no gap in the store" '[ "$gap" = 0 ]'

# USGS annual peaks: gage height in feet, stored in cm
printf 'id,name,kind,blue_cm,yellow_cm,orange_cm,red_cm,stale_min\n05567500,Mackinaw R,river,580,590,595,600,525600\n' > "$t/peak.csv"
$FC -q -D "$t/peak.db" --stations "$t/peak.csv" --min-duration 1 --at '2025-01-01' \
	"$E/usgs-nwis/nwis_peak_05567500_mackinaw_congerville.rdb" > /dev/null 2>&1
check "USGS peaks: 20.21 ft is 616.0 cm" \
	'[ "$(sqlite3 "$t/peak.db" "SELECT printf(\"%.1f\", max(level_cm)) FROM readings")" = 616.0 ]'
echo "1..$n"
