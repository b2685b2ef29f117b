# Sourced by examples/*.test.sh: run from the project root in a scratch folder
# $t (removed at exit), and check "NAME" 'SHELL TEST' prints one TAP line;
# the script ends with: echo "1..$n".  The exit status of the command just
# before check is $last inside the test ($? there would be check's own).
set -u
cd "$(dirname "$0")/.." || exit 70
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
check() { last=$?; n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
