#!/bin/sh
# make deps: install the Debian packages that building and testing need.
# As root it runs apt-get; otherwise it prints the command to run.
pkgs="build-essential pkg-config libsqlite3-dev libcsv-dev libpcre2-dev zlib1g-dev libxlsxwriter-dev sqlite3 mandoc python3 locales"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all installed"
	exit 0
fi
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
	echo "deps: missing$missing; run:"
	echo "  sudo apt-get update && sudo apt-get install -y$missing"
	exit 1
fi
