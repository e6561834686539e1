#!/bin/bash
# Kills corosync (every corosync this PID namespace shows) and waits until it
# is gone. A zombie counts as gone (its reaper may be slow to collect it), but
# only once every thread has exited: the leader turns zombie first, and the
# daemon's sockets stay open until its last thread is done.
gone() {  # PID
	[ -e "/proc/$1" ] || return 0
	local t line state
	for t in /proc/"$1"/task/*/stat; do
		# The state is the word after the name's closing parenthesis; read
		# by the shell itself (an awk a thread a round was the cost here).
		line="" state=""
		read -r line 2>/dev/null < "$t" || true
		state=${line##*) }
		state=${state%% *}
		[ "$state" = Z ] || [ ! -e "$t" ] || return 1
	done
	return 0
}
for pid in $(pgrep -x corosync); do
	kill -KILL "$pid" 2>/dev/null || true
	until gone "$pid"; do
		sleep 0.01
	done
done
