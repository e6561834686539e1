#!/bin/bash
# Kills corosync (every corosync this PID namespace shows) and waits until it
# is gone. A zombie counts as gone (its reaper may be slow to collect it), but
# only once every thread has exited: the leader turns zombie first, and the
# daemon's sockets stay open until its last thread is done.
gone() {  # PID
	[ -e "/proc/$1" ] || return 0
	local t
	for t in /proc/"$1"/task/*/stat; do
		[ "$(awk '{print $3}' "$t" 2>/dev/null)" = Z ] || [ ! -e "$t" ] || return 1
	done
	return 0
}
for pid in $(pgrep -x corosync); do
	kill -KILL "$pid" 2>/dev/null || true
	until gone "$pid"; do
		sleep 0.01
	done
done
