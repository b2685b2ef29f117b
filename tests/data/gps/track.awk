# track.awk - fixes for gps-audit's tests from a plan, one line a fix:
#   PLATE TIME NORTH_M EAST_M [SPEED_KMH]
# TIME is HH:MM:SS on 2023-11-27, or YYYY-MM-DDTHH:MM:SS;
# metres from 33.73 N 112.91 E (on route R1 of routes.geojson, which runs
# north along 112.91 E); blank lines and # comments skipped.
BEGIN { print "plate,at,lat,lon,speed_kmh" }
/^#/ || NF == 0 { next }
{
	lat = 33.73 + $3 / 110922.6
	lon = 112.91 + $4 / 92675.5
	at = $2 ~ /T/ ? $2 : "2023-11-27T" $2
	sub(/T/, " ", at)
	printf "%s,%s,%.7f,%.7f,%s\n", $1, at, lat, lon, (NF > 4 ? $5 : "")
}
