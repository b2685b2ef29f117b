#!/bin/sh
# lint-includes.sh [ROOT] - includes run one way (DESIGN §4):
#   cmd/ -> lib/<domain>/ -> lib/
# The core (lib/*.c, lib/*.h) includes no header of a domain; a domain
# (lib/<domain>/) includes the core and itself, never another domain.  A
# domain header is named with its folder ("case/route.h"), so the rule can be
# read off the include line; a bare name that is not a core header is wrong
# too.  Prints TAP; exit 1 when a file breaks the rule.  ROOT defaults to the
# project root (a test plants a wrong include in a copy).
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 1
n=0
bad=0
for f in lib/*.c lib/*.h lib/*/*.c lib/*/*.h; do
	[ -f "$f" ] || continue
	case $f in
	lib/*/*) dom=${f#lib/}; dom=${dom%%/*} ;;
	*) dom= ;;
	esac
	# the quoted includes, "name" and "dir/name"
	probs=$(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
	while read -r inc; do
		case $inc in
		*/*)
			d=${inc%%/*}
			if [ -z "$dom" ]; then
				echo "the core includes the domain header '$inc'"
			elif [ "$d" != "$dom" ]; then
				echo "domain '$dom' includes another domain's header '$inc'"
			fi ;;
		*)
			[ -f "lib/$inc" ] || echo "'$inc' is not a core header (name a domain header with its folder)" ;;
		esac
	done)
	n=$((n + 1))
	if [ -n "$probs" ]; then
		echo "not ok $n - $f"
		echo "$probs" | sed 's/^/# /'
		bad=$((bad + 1))
	else
		echo "ok $n - $f"
	fi
done
for f in cmd/*.c cmd/*.h cmd/shared/*.c cmd/shared/*.h; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	probs=$(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
	while read -r inc; do
		[ -f "lib/$inc" ] || [ -f "cmd/$inc" ] || [ -f "$(dirname "$f")/$inc" ] ||
			echo "'$inc' is neither in lib/ nor in cmd/"
	done)
	if [ -n "$probs" ]; then
		echo "not ok $n - $f"
		echo "$probs" | sed 's/^/# /'
		bad=$((bad + 1))
	else
		echo "ok $n - $f"
	fi
done
echo "1..$n"
[ "$bad" = 0 ]
