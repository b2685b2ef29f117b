# Sourced by CLI tests that need another writer on the store.
#
#   hold_lock DB [SQL]   a sqlite3 process runs SQL (committed), then takes
#                        DB's write lock and keeps it; returns once the lock
#                        is really held (a probe that does not wait fails)
#   release_lock         it rolls back and ends
#   wait_for FILE TEXT PID
#                        until FILE holds TEXT, or process PID has ended
#                        (at most 120 s): a condition, not a sleep

hold_lock() {
	rm -f hold.fifo
	mkfifo hold.fifo
	sqlite3 "$1" < hold.fifo > /dev/null 2>&1 &
	hold_pid=$!
	exec 9> hold.fifo
	# wait for the probe below, should it hold the lock at that moment
	printf '.timeout 60000\n' >&9
	[ -z "${2:-}" ] || printf '%s\n' "$2" >&9
	printf 'BEGIN IMMEDIATE;\n' >&9
	hold_i=0
	while sqlite3 "$1" 'BEGIN IMMEDIATE; ROLLBACK;' 2> /dev/null; do
		hold_i=$((hold_i + 1))
		[ $hold_i -lt 2400 ] || { echo "hold_lock: no lock on $1" >&2; return 1; }
		sleep 0.05
	done
}

release_lock() {
	printf 'ROLLBACK;\n' >&9
	exec 9>&-
	wait $hold_pid
	rm -f hold.fifo
}

wait_for() {
	wait_i=0
	while ! grep -q "$2" "$1" 2> /dev/null && kill -0 "$3" 2> /dev/null; do
		wait_i=$((wait_i + 1))
		[ $wait_i -lt 2400 ] || return 1
		sleep 0.05
	done
}
