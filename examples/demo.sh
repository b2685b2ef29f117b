#!/bin/sh
# make demo: import the example export into a fresh store and show what landed.
set -eu
cd "$(dirname "$0")/.."
db=build/demo.db
mkdir -p build
rm -f "$db" "$db-wal" "$db-shm"
echo "== case-import -D $db examples/cases-sample.csv | head -5"
bin/case-import -D "$db" examples/cases-sample.csv | head -5
echo
echo "== what landed (sqlite3 $db, view v_monthly)"
sqlite3 -column -header "$db" \
	"SELECT category AS 类别, sum(received) AS 受理, sum(closed) AS 结案
	 FROM v_monthly GROUP BY category ORDER BY 2 DESC"
echo
echo "== likely duplicates flagged"
sqlite3 "$db" "SELECT count(*) FROM cases WHERE duplicate_of IS NOT NULL"
