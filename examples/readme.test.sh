#!/bin/sh
# The case-route and case-stat lines of README.md, run as written from the
# project root (bin/ on PATH, a fresh store in $CITYOPS_DB), in order: each
# exits 0.  Run the README, not a copy of it: a line that goes stale fails.
. "$(dirname "$0")/tap.sh"
PATH=$PWD/bin:$PATH
CITYOPS_DB=$t/s.db
export PATH CITYOPS_DB
unset CITYOPS_CONFIG
# the indented lines of the section, up to the next paragraph of text
awk '/^## case-route and case-stat in brief/ { on = 1; next }
     on && /^## / { exit }
     on && /^    [^ ]/ { sub(/^    /, ""); print; seen = 1; next }
     on && seen && /^[^ ]/ { exit }' README.md > "$t/lines"
check "README.md has case-route and case-stat examples" \
	'[ "$(grep -c "^case-route" "$t/lines")" -ge 4 ] && [ "$(grep -c "^case-stat" "$t/lines")" -ge 4 ]'
i=0
while IFS= read -r line; do
	i=$((i + 1))
	eval "$line" > "$t/out.$i" 2> "$t/err.$i" < /dev/null
	check "README: $line" '[ $last -eq 0 ] || { sed "s/^/# /" "$t/err.$i"; false; }'
done < "$t/lines"
check "the new cases are routed" '[ "$(grep -c "^LS2024" "$t/out.2")" -eq 8 ]'
check "the case the unit returned is routed again by --pending" \
	'grep -q "^LS2024000003,县公安局交警大队," "$t/out.6"'
check "the template prints the report's paragraph" \
	'grep -q "共受理各类案件 8347 件，结案 8130 件，结案率为 97.4%" "$t/out.$i"'
echo "1..$n"
