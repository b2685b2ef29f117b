#!/bin/sh
# make demo: import the example 2023 export of 鲁山县 into a fresh store,
# route nothing (it is a year that is over), and print the report's paragraph.
set -eu
cd "$(dirname "$0")/.."
db=build/demo.db
mkdir -p build
rm -f "$db" "$db-wal" "$db-shm"
echo "== case-import -D $db examples/lushan/lushan-2023.csv | head -3"
bin/case-import -D "$db" examples/lushan/lushan-2023.csv | head -3
echo
echo "== case-stat -D $db --year 2023 by category -f table"
bin/case-stat -D "$db" --year 2023 --at '2024-01-01' by category -f table
echo
echo "== case-stat -D $db --year 2023 --template examples/lushan/report.tmpl"
bin/case-stat -D "$db" --year 2023 --at '2024-01-01' --template examples/lushan/report.tmpl
echo
echo "== hotline-sync -D $db --at 2024-01-01 examples/lushan/hotline-2023.csv | head -3"
bin/hotline-sync -D "$db" --at '2024-01-01' examples/lushan/hotline-2023.csv | head -3
echo
echo "== case-stat -D $db --year 2023 --template examples/lushan/hotline.tmpl"
bin/case-stat -D "$db" --year 2023 --at '2024-01-01' --template examples/lushan/hotline.tmpl
