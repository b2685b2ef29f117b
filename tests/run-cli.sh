#!/bin/sh
# Golden CLI tests: tests/cli/<tool>/<NNNN-slug>/ holds
#   cmd        a shell script (sh), run in a fresh temporary folder
#   stdin      optional: its standard input
#   expout     expected standard output (absent: not compared)
#   experr     expected standard error (absent: not compared)
#   exitcode   expected exit status (absent: 0)
# The script sees $DATA (tests/data), $TOP (the project root) and
# $SHARED (../shared/data/external); bin/ is first on PATH.  A script that
# exits 77 is skipped; what it printed on stderr says why.
# UPDATE=1 rewrites the expected files from what the commands did.
# Prints TAP.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
DATA=$TOP/tests/data
SHARED=$(cd "$TOP/.." && pwd)/shared/data/external
PATH=$TOP/bin:$PATH
LC_ALL=C.UTF-8
TZ=UTC
export TOP DATA SHARED PATH LC_ALL TZ
unset CITYOPS_DB CITYOPS_CONFIG
n=0
fail=0
only=${1:-}
for dir in "$TOP"/tests/cli/*/*/; do
	[ -f "$dir/cmd" ] || continue
	name=${dir%/}
	name=${name#"$TOP"/tests/cli/}
	case $name in *"$only"*) ;; *) continue ;; esac
	n=$((n + 1))
	work=$(mktemp -d)
	if [ -f "$dir/stdin" ]; then
		(cd "$work" && sh "$dir/cmd" <"$dir/stdin" >"$work/.out" 2>"$work/.err")
	else
		(cd "$work" && sh "$dir/cmd" </dev/null >"$work/.out" 2>"$work/.err")
	fi
	code=$?
	want=0
	[ -f "$dir/exitcode" ] && want=$(cat "$dir/exitcode")
	if [ "$code" = 77 ] && [ "$want" != 77 ]; then
		echo "ok $n - $name # skip $(head -n 1 "$work/.err")"
		rm -rf "$work"
		continue
	fi
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$work/.out" "$dir/expout"
		if [ -s "$work/.err" ] || [ -f "$dir/experr" ]; then cp "$work/.err" "$dir/experr"; fi
		if [ "$code" != 0 ]; then echo "$code" >"$dir/exitcode"; else rm -f "$dir/exitcode"; fi
		want=$code
	fi
	bad=
	if [ -f "$dir/expout" ] && ! cmp -s "$dir/expout" "$work/.out"; then
		bad="stdout differs"
		diff -u "$dir/expout" "$work/.out" | sed 's/^/# /' | head -40
	fi
	if [ -f "$dir/experr" ] && ! cmp -s "$dir/experr" "$work/.err"; then
		bad="${bad:+$bad, }stderr differs"
		diff -u "$dir/experr" "$work/.err" | sed 's/^/# /' | head -40
	fi
	if [ "$code" != "$want" ]; then
		bad="${bad:+$bad, }exit $code, want $want"
		[ -f "$dir/experr" ] || sed 's/^/# stderr: /' "$work/.err" | head -10
	fi
	if [ -n "$bad" ]; then
		echo "not ok $n - $name: $bad"
		fail=$((fail + 1))
	else
		echo "ok $n - $name"
	fi
	rm -rf "$work"
done
echo "1..$n"
[ "$fail" = 0 ]
