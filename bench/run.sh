#!/bin/bash
# The benchmark: ours against Debian's libvotequorum8, libquorum5 and
# libcmap4 (and the bare libqb client), A B A B in one run, against a private corosync
# pinned to CPU 0, with the client on CPU 0 ("same") and on CPU 1
# ("different").
#   bench/run.sh           full run (about 7 minutes)
#   bench/run.sh --short   a few iterations of each, to keep it working (CI)
#   bench/run.sh --build   only build what it runs (tests/run.sh does this early)
# Prints a table of medians and ratios for each library, and writes them
# with the raw results and a latency plot to build-bench/bench-results/.
set -euo pipefail
shopt -s inherit_errexit
top=$(cd "$(dirname "$0")/.." && pwd)
build=${VQ_BENCH_BUILD:-$top/build-bench}
out=$build/bench-results

if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	"$top/tests/setup.sh"
	command -v gnuplot >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null; }
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" -j"$(nproc)" --target votequorum quorum cmap vq_bench q_bench c_bench qb_getinfo qb_dispatch fake_votequorum >/dev/null
	[ "${1:-}" != --build ] || exit 0
	rm -rf "$out"
	mkdir -p "$out"
	exec "$top/tests/support/private-corosync.sh" --no-start env VQ_BENCH_BUILD="$build" "$0" "$@"
fi

short=0
[ "${1:-}" = --short ] && short=1
if [ $short = 1 ]; then
	pairs=1 drain_pairs=1 n_getinfo=500 n_notify=20 n_initfin=10 n_handles=10 n_threads=2000 n_counted=500
	n_dumps=2 dump_keys=1000 n_track=500
else
	pairs=5 drain_pairs=11 n_getinfo=20000 n_notify=2000 n_initfin=300 n_handles=1000 n_threads=100000 n_counted=4000
	n_dumps=20 dump_keys=10000 n_track=10000
fi
# Backlogs and bursts: one size that fits the 256 KiB event ring, one past it.
# A drain that fits the ring takes a few milliseconds: each process repeats
# it (VQ_BENCH_ROUNDS) and reports the rate over all rounds; and the drains
# run in more pairs than the rest (drain_pairs), since a shared machine's
# noise moves a short drain by more than the libraries differ.
backlogs="2000 20000"
# libquorum's backlogs, MODEL:TRACKSTARTS: each trackstart with
# CS_TRACK_CURRENT queues one notification in model V0 and two (node list,
# quorum) in V1, so 2,000 and 20,000 notifications in each model. Each
# trackstart is a round trip, so the short run keeps one backlog past the
# ring (6,000 notifications in V1) and small ones.
q_backlogs="v0:2000 v1:1000 v0:20000 v1:10000"
[ $short = 1 ] && q_backlogs="v0:200 v1:100 v1:3000"
bursts="burst2k:2000 burst100k:100000"
rounds_for() {  # N: rounds per process for a drain of N notifications
	if [ $short = 1 ] || [ "$1" -gt 10000 ]; then echo 1; else echo 10; fi
}
# Within a pair the two libraries take turns going first (A B, then B A),
# so that neither always runs right after the other.
pair_order() {  # PAIR
	if [ $(($1 % 2)) = 1 ]; then echo "reference ours"; else echo "ours reference"; fi
}
ulimit -n 16384
bench=$build/bench/vq_bench qbench=$build/bench/q_bench cbench=$build/bench/c_bench bare=$build/bench/qb_getinfo bare_dispatch=$build/bench/qb_dispatch
fake=$build/tests/conformance/fake_votequorum
ours=$build
results=$out/results.txt
: > "$results"

record() {  # LIB PLACEMENT PAIR COMMAND...: one result line, labelled
	local lib=$1 placement=$2 pair=$3 result
	shift 3
	result=$("$@")  # a benchmark that fails stops the run (errexit holds here)
	echo "$lib $placement $pair $result" >> "$results"
}
lib_env() { [ "$1" = ours ] && echo "$ours" || echo ""; }

for placement in same different; do
	vq_restart_corosync
	taskset -pc 0 "$(pgrep -x corosync)" >/dev/null
	cpu=0
	[ $placement = different ] && cpu=1
	for pair in $(seq 1 $pairs); do
		for lib in reference ours; do
			LD_LIBRARY_PATH=$(lib_env "$lib")
			export LD_LIBRARY_PATH
			record $lib $placement $pair taskset -c $cpu "$bench" getinfo $n_getinfo "$out/lat-getinfo-$lib-$placement.txt"
			record $lib $placement $pair taskset -c $cpu "$bench" notify $n_notify
			record $lib $placement $pair taskset -c $cpu "$bench" initfin $n_initfin
			record $lib $placement $pair taskset -c $cpu "$qbench" getquorate $n_getinfo
			record $lib $placement $pair taskset -c $cpu "$qbench" initfin $n_initfin
			record $lib $placement $pair taskset -c $cpu "$cbench" get $n_getinfo
			record $lib $placement $pair taskset -c $cpu "$cbench" initfin $n_initfin
		done
		unset LD_LIBRARY_PATH
		record bare $placement $pair taskset -c $cpu "$bare" $n_getinfo "$out/lat-getinfo-bare-$placement.txt"
		record bare $placement $pair taskset -c $cpu "$bare" --quorum $n_getinfo
	done
done

vq_restart_corosync
for lib in reference ours; do
	LD_LIBRARY_PATH=$(lib_env "$lib")
	export LD_LIBRARY_PATH
	record $lib any 1 "$bench" memory 1
	record $lib any 1 "$bench" memory $n_handles
	record $lib any 1 "$bench" memory $n_handles churn
	record $lib any 1 "$bench" stack
	record $lib any 1 "$cbench" stack
done
# libcmap: full dumps as corosync-cmapctl makes them (iterate, then get each
# key), of the daemon's own keys and with dump_keys more, each pair in turn.
taskset -pc 0 "$(pgrep -x corosync)" >/dev/null
for pair in $(seq 1 $pairs); do
	for lib in $(pair_order "$pair"); do
		LD_LIBRARY_PATH=$(lib_env "$lib")
		export LD_LIBRARY_PATH
		record $lib different $pair taskset -c 1 "$cbench" dump $n_dumps
		record $lib different $pair taskset -c 1 "$cbench" dump 1 $dump_keys
	done
	unset LD_LIBRARY_PATH
done
# A backlog corosync queued for a handle that was not dispatching, drained;
# the bare libqb loop drains the same.
taskset -pc 0 "$(pgrep -x corosync)" >/dev/null
for pair in $(seq 1 $drain_pairs); do
	for n in $backlogs; do
		export VQ_BENCH_ROUNDS
		VQ_BENCH_ROUNDS=$(rounds_for "$n")
		for lib in $(pair_order "$pair"); do
			LD_LIBRARY_PATH=$(lib_env "$lib")
			export LD_LIBRARY_PATH
			record $lib different $pair taskset -c 1 "$bench" backlog "$n" all
			record $lib different $pair taskset -c 1 "$bench" backlog "$n" one
		done
		unset LD_LIBRARY_PATH
		record bare different $pair taskset -c 1 "$bare_dispatch" backlog "$n" all
		record bare different $pair taskset -c 1 "$bare_dispatch" backlog "$n" one
		unset VQ_BENCH_ROUNDS
	done
	# libquorum: the current state asked for again and again by a handle
	# that does not dispatch meanwhile, then drained.
	for q in $q_backlogs; do
		model=${q%%:*} n=${q#*:}
		export VQ_BENCH_ROUNDS
		notifications=$n
		[ "$model" = v1 ] && notifications=$((2 * n))
		VQ_BENCH_ROUNDS=$(rounds_for $notifications)
		for lib in $(pair_order "$pair"); do
			LD_LIBRARY_PATH=$(lib_env "$lib")
			export LD_LIBRARY_PATH
			record $lib different $pair taskset -c 1 "$qbench" backlog "$n" all "$model"
			record $lib different $pair taskset -c 1 "$qbench" backlog "$n" one "$model"
		done
		unset LD_LIBRARY_PATH
		record bare different $pair taskset -c 1 "$bare_dispatch" quorum-backlog "$n" all "$model"
		record bare different $pair taskset -c 1 "$bare_dispatch" quorum-backlog "$n" one "$model"
		unset VQ_BENCH_ROUNDS
	done
	# libcmap: a prefix track's changes, made by a second handle while the
	# tracking one does not dispatch, then drained.
	for lib in $(pair_order "$pair"); do
		LD_LIBRARY_PATH=$(lib_env "$lib")
		export LD_LIBRARY_PATH
		record $lib different $pair taskset -c 1 "$cbench" track $n_track all
		record $lib different $pair taskset -c 1 "$cbench" track $n_track one
	done
	unset LD_LIBRARY_PATH
done

# COMMAND under callgrind, counting inside FUNCTIONS (comma-separated) into
# FILE; COMMAND's output on stdout.
callgrind_in() {  # FILE FUNCTIONS COMMAND...
	local file=$1 fn
	local -a toggles=()
	for fn in ${2//,/ }; do toggles+=("--toggle-collect=$fn"); done
	shift 2
	valgrind --tool=callgrind "${toggles[@]}" --callgrind-out-file="$file" "$@" 2>/dev/null
}
callgrind_total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }  # FILE
# Instructions per notification, counted by callgrind (a count: the
# machine's noise does not move it): inside votequorum_dispatch or
# quorum_dispatch, libqb included, for each library; inside
# qb_ipcc_event_recv for the bare loop.
count_instructions() {  # LIB WHAT FUNCTION COMMAND...
	local lib=$1 what=$2 fn=$3 file total drained
	shift 3
	file=$(mktemp)
	drained=$(callgrind_in "$file" "$fn" "$@" | sed -n 's/.*"n":\([0-9]*\).*/\1/p')
	total=$(callgrind_total "$file")
	rm -f "$file"
	[ -n "$drained" ] && [ -n "$total" ]
	echo "$lib any 1 {\"workload\":\"instructions_$what\",\"n\":$drained,\"per_notification\":$(awk -v t="$total" -v n="$drained" 'BEGIN { printf "%.1f", t / n }')}" >> "$results"
}
for lib in reference ours; do
	LD_LIBRARY_PATH=$(lib_env "$lib") count_instructions $lib backlog votequorum_dispatch "$bench" backlog $n_counted all
done
count_instructions bare backlog qb_ipcc_event_recv "$bare_dispatch" backlog $n_counted all
# libquorum: a backlog of n_counted notifications in each model.
for model in v0 v1; do
	n=$n_counted
	[ $model = v1 ] && n=$((n_counted / 2))
	for lib in reference ours; do
		LD_LIBRARY_PATH=$(lib_env "$lib") count_instructions $lib quorum_$model quorum_dispatch "$qbench" backlog $n all $model
	done
	count_instructions bare quorum_$model qb_ipcc_event_recv "$bare_dispatch" quorum-backlog $n all $model
done
# libcmap: a backlog of n_counted track notifications.
for lib in reference ours; do
	LD_LIBRARY_PATH=$(lib_env "$lib") count_instructions $lib cmap_track cmap_dispatch "$cbench" track $n_counted all
done
# Instructions per call of the round trips, counted the same way: inside
# the calls named (libqb included), divided by the calls made, less the
# wait for the reply. That wait (glibc's sem_timedwait, under libqb's
# receive) runs a slow path only when the reply is not there yet, which
# depends on how busy the machine is: with it counted, ours measured 1,208
# and 1,308 instructions per getinfo in two runs of the same build. libqb's
# arithmetic of the wait's deadline (qb_timespec_add_ms, and its
# sem_getvalue) depends on the clock too, 4 instructions a call. Less all
# of it, a count does not move from run to run (64 instructions in 1,500
# calls).
count_call_instructions() {  # LIB WHAT CALLS FUNCTIONS(comma-separated) COMMAND...
	local lib=$1 what=$2 calls=$3 fns=$4 file total wait
	shift 4
	file=$(mktemp)
	callgrind_in "$file" "$fns" "$@" > /dev/null
	total=$(callgrind_total "$file")
	wait=$(callgrind_annotate --inclusive=yes "$file" |
		awk '$0 ~ /:(sem_(timed|clock)?wait|sem_getvalue|qb_timespec_add_ms)(@|[[:space:]])/ { gsub(",", "", $1); s += $1 } END { print s + 0 }')
	rm -f "$file"
	[ -n "$total" ] && [ "$total" -gt 0 ] && [ "$wait" -lt "$total" ]
	echo "$lib any 1 {\"workload\":\"instructions_call_$what\",\"n\":$calls,\"per_call\":$(awk -v t="$((total - wait))" -v n="$calls" 'BEGIN { printf "%.1f", t / n }')}" >> "$results"
}
for lib in reference ours; do
	LD_LIBRARY_PATH=$(lib_env "$lib")
	export LD_LIBRARY_PATH
	# getinfo and get: 1,000 untimed calls before the timed ones.
	count_call_instructions $lib getinfo $((n_counted + 1000)) votequorum_getinfo "$bench" getinfo $n_counted
	count_call_instructions $lib vq_initfin $n_initfin votequorum_initialize,votequorum_finalize "$bench" initfin $n_initfin
	count_call_instructions $lib getquorate $((n_counted + 1000)) quorum_getquorate "$qbench" getquorate $n_counted
	count_call_instructions $lib cmap_get $((n_counted + 1000)) cmap_get "$cbench" get $n_counted
	count_call_instructions $lib cmap_initfin $n_initfin cmap_initialize,cmap_finalize "$cbench" initfin $n_initfin
	count_call_instructions $lib cmap_dump $n_dumps cmap_iter_init,cmap_iter_next,cmap_iter_finalize,cmap_get "$cbench" dump $n_dumps
done
unset LD_LIBRARY_PATH
export LD_LIBRARY_PATH=$ours
for t in 1 2 4 8; do
	record ours any 1 "$bench" threads $t $n_threads
done
unset LD_LIBRARY_PATH

# Dispatch throughput: the fake server sends a burst per trackstart.
vq_stop_corosync
fake_start() {  # SCRIPT: the fake server, in the background, ready
	coproc server { exec "$fake" "$1"; }
	read -r ready <&"${server[0]}"
	[ "$ready" = ready ]
}
fake_stop() {
	# shellcheck disable=SC2154  # set by coproc
	kill "$server_PID"
	wait "$server_PID" || true
}
for burst in $bursts; do
	script=${burst%%:*} n=${burst#*:}
	fake_start "$script"
	export VQ_BENCH_ROUNDS
	VQ_BENCH_ROUNDS=$(rounds_for "$n")
	for pair in $(seq 1 $drain_pairs); do
		for lib in $(pair_order "$pair"); do
			LD_LIBRARY_PATH=$(lib_env "$lib")
			export LD_LIBRARY_PATH
			record $lib any $pair "$bench" drain "$n" all
			record $lib any $pair "$bench" drain "$n" one
		done
		unset LD_LIBRARY_PATH
		record bare any $pair "$bare_dispatch" drain "$n" all
		record bare any $pair "$bare_dispatch" drain "$n" one
	done
	unset VQ_BENCH_ROUNDS
	fake_stop
done
fake_start members4k
for pair in $(seq 1 $drain_pairs); do
	for lib in $(pair_order "$pair"); do
		LD_LIBRARY_PATH=$(lib_env "$lib") VQ_BENCH_ROUNDS=$(rounds_for 4000) record $lib any "$pair" "$bench" drain 4000 all members
	done
done
for lib in reference ours; do
	LD_LIBRARY_PATH=$(lib_env "$lib") count_instructions $lib members votequorum_dispatch "$bench" drain 4000 all
done
count_instructions bare members qb_ipcc_event_recv "$bare_dispatch" drain 4000 all
fake_stop

# Ours must not allocate per notification: any allocation inside
# votequorum_dispatch, quorum_dispatch or cmap_dispatch fails the run.
if grep -E '^ours .*"allocs_per_notification":' "$results" | grep -Ev '"allocs_per_notification":0\.0000[,}]'; then
	echo "bench: ours allocated inside a dispatch (lines above)" >&2
	exit 1
fi

# The core and the services' shape cost nothing at run time: for each
# instruction count (a count, which the machine's noise does not move), ours
# must be at most the reference's, in the short run (CI) as in the full one.
if ! awk '
	$1 == "ours" || $1 == "reference" {
		if (match($0, /"workload":"instructions_[a-z0-9_]+"/) == 0) next
		w = substr($0, RSTART + 12, RLENGTH - 13)
		match($0, /"per_(notification|call)":[0-9.]+/)
		count[$1, w] = substr($0, RSTART, RLENGTH); sub(/.*:/, "", count[$1, w]); count[$1, w] += 0
		seen[w] = 1
	}
	END {
		bad = 0
		for (w in seen) {
			if (!((("ours", w) in count) && (("reference", w) in count))) { print "bench: " w ": a count is missing"; bad = 1; continue }
			if (count["ours", w] > count["reference", w]) {
				printf "bench: %s: ours takes %.1f instructions per %s, the reference %.1f\n", w, count["ours", w], w ~ /^instructions_call_/ ? "call" : "notification", count["reference", w]
				bad = 1
			}
		}
		if (length(seen) < 10) { print "bench: only " length(seen) " instruction counts"; bad = 1 }
		exit bad
	}' "$results" >&2; then
	echo "bench: ours costs more instructions per notification or per call than the reference (lines above)" >&2
	exit 1
fi

# The tables (votequorum's, then libquorum's): per workload and placement,
# the median over pairs of each side and the median of the per-pair ratios
# ours / reference (and ours / bare).
awk -v out="$out/table.md" '
function val(line, key,   m) { return match(line, "\"" key "\":[0-9.]+") ? substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3) + 0 : "" }
function median(list,   n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(key, lib, pair, v) { if (v == "") return; vals[key, lib] = vals[key, lib] " " v; byp[key, lib, pair] = v; keys[key] = 1; pairs[key, pair] = 1 }
{
	lib = $1; place = $2; pair = $3; line = $0
	w = val(line, "workload") ; match(line, /"workload":"[a-z0-9_]+"/); w = substr(line, RSTART + 12, RLENGTH - 13)
	rounds = val(line, "rounds") > 1 ? " (" val(line, "rounds") " rounds a process)" : ""
	if (w == "getinfo" || w == "getinfo_bare_libqb") {
		add("getinfo calls/s (" place " CPU)", lib, pair, val(line, "per_s"))
		add("getinfo p50 us (" place " CPU)", lib, pair, val(line, "p50_us"))
		add("getinfo p99 us (" place " CPU)", lib, pair, val(line, "p99_us"))
	} else if (w == "notify") {
		add("notification latency p50 us (" place " CPU)", lib, pair, val(line, "p50_us"))
		add("notification latency p99 us (" place " CPU)", lib, pair, val(line, "p99_us"))
	} else if (w == "initfin") {
		add("initialize+finalize pairs/s (" place " CPU)", lib, pair, val(line, "per_s"))
	} else if (w ~ /^drain_/) {
		add("dispatch throughput, burst of " val(line, "n") rounds " (fake server), " substr(w, 7) ": notifications/s", lib, pair, val(line, "per_s"))
		add("allocations per notification, burst of " val(line, "n") ", " substr(w, 7), lib, pair, val(line, "allocs_per_notification"))
	} else if (w ~ /^members_/) {
		add("dispatch throughput, quorum/nodelist burst of " val(line, "n") rounds " (fake server), " substr(w, 9) ": notifications/s", lib, pair, val(line, "per_s"))
		add("allocations per notification, quorum/nodelist burst of " val(line, "n") ", " substr(w, 9), lib, pair, val(line, "allocs_per_notification"))
	} else if (w ~ /^backlog_/) {
		add("dispatch throughput, backlog of " val(line, "n") rounds " from corosync, " substr(w, 9) ": notifications/s", lib, pair, val(line, "per_s"))
		add("allocations per notification, backlog of " val(line, "n") ", " substr(w, 9), lib, pair, val(line, "allocs_per_notification"))
	} else if (w ~ /^instructions_call_/) {
		c = substr(w, 19)
		label = c == "getinfo" ? "instructions per votequorum_getinfo (callgrind)" : \
			c == "vq_initfin" ? "instructions per initialize+finalize pair (callgrind)" : \
			c == "getquorate" ? "libquorum: instructions per quorum_getquorate (callgrind)" : \
			c == "cmap_get" ? "libcmap: instructions per cmap_get (callgrind)" : \
			c == "cmap_initfin" ? "libcmap: instructions per initialize+finalize pair (callgrind)" : \
			"libcmap: instructions per full dump of the daemon'"'"'s keys (callgrind)"
		add(label, lib, pair, val(line, "per_call"))
	} else if (w == "instructions_cmap_track") {
		add("libcmap: instructions per notification (callgrind), track backlog of " val(line, "n"), lib, pair, val(line, "per_notification"))
	} else if (w == "cmap_get") {
		add("libcmap: cmap_get calls/s (" place " CPU)", lib, pair, val(line, "per_s"))
		add("libcmap: cmap_get p50 us (" place " CPU)", lib, pair, val(line, "p50_us"))
		add("libcmap: cmap_get p99 us (" place " CPU)", lib, pair, val(line, "p99_us"))
	} else if (w == "cmap_initfin") {
		add("libcmap: initialize+finalize pairs/s (" place " CPU)", lib, pair, val(line, "per_s"))
	} else if (w == "cmap_dump") {
		d = val(line, "extra") + 0 ? "the daemon'"'"'s keys and " val(line, "extra") " more" : "the daemon'"'"'s keys"
		add("libcmap: full dump of " d " (iterate, then get each): keys in it", lib, pair, val(line, "keys"))
		add("libcmap: full dump of " d ": dumps/s", lib, pair, val(line, "per_s"))
		add("libcmap: full dump of " d ": keys/s", lib, pair, val(line, "keys_per_s"))
	} else if (w ~ /^cmap_track_/) {
		add("libcmap: dispatch throughput, " val(line, "n") " track notifications from corosync, " substr(w, 12) ": notifications/s", lib, pair, val(line, "per_s"))
		add("libcmap: allocations per notification, " val(line, "n") " track notifications, " substr(w, 12), lib, pair, val(line, "allocs_per_notification"))
	} else if (w == "cmap_stack") {
		add("libcmap: dispatch peak stack bytes (one track notification)", lib, pair, val(line, "dispatch_stack_bytes"))
	} else if (w ~ /^instructions_quorum_v[01]$/) {
		add("libquorum: instructions per notification (callgrind), " toupper(substr(w, 21)) " backlog of " val(line, "n"), lib, pair, val(line, "per_notification"))
	} else if (w ~ /^instructions_/) {
		add("instructions per notification (callgrind), " (w == "instructions_backlog" ? "expected-votes backlog of " : "quorum/nodelist burst of ") val(line, "n"), lib, pair, val(line, "per_notification"))
	} else if (w == "quorum_getquorate" || w == "getquorate_bare_libqb") {
		add("libquorum: getquorate calls/s (" place " CPU)", lib, pair, val(line, "per_s"))
		add("libquorum: getquorate p50 us (" place " CPU)", lib, pair, val(line, "p50_us"))
		add("libquorum: getquorate p99 us (" place " CPU)", lib, pair, val(line, "p99_us"))
	} else if (w == "quorum_initfin") {
		add("libquorum: initialize+finalize pairs/s (" place " CPU)", lib, pair, val(line, "per_s"))
	} else if (w ~ /^quorum_backlog_v[01]_/) {
		m = toupper(substr(w, 16, 2)); mode = substr(w, 19)
		add("libquorum: dispatch throughput, " m " backlog of " val(line, "n") rounds " from corosync, " mode ": notifications/s", lib, pair, val(line, "per_s"))
		add("libquorum: allocations per notification, " m " backlog of " val(line, "n") ", " mode, lib, pair, val(line, "allocs_per_notification"))
	} else if (w == "memory") {
		h = "memory per handle, " val(line, "handles") " open" (val(line, "churn") ? " after a close" : "")
		add(h ": RSS KiB", lib, pair, val(line, "rss_kib_per_handle"))
		add(h ": anonymous KiB", lib, pair, val(line, "anon_kib_per_handle"))
		add(h ": /dev/shm KiB", lib, pair, val(line, "shm_kib_per_handle"))
		add(h ": RAM (anonymous + /dev/shm) KiB", lib, pair, val(line, "ram_kib_per_handle"))
	} else if (w == "stack") {
		add("dispatch peak stack bytes", lib, pair, val(line, "dispatch_stack_bytes"))
	} else if (w == "threads") {
		add("getinfo calls/s, " val(line, "threads") " threads on one handle", lib, pair, val(line, "per_s"))
	}
}
function header() { printf "| measure | reference | ours | ours / reference | bare libqb | ours / bare |\n|---|---|---|---|---|---|\n" > out }
END {
	printf "libvotequorum.so.8 against Debian'"'"'s libvotequorum8:\n\n" > out
	header()
	# votequorum'"'"'s rows first ("1"), then libquorum'"'"'s ("2"), then
	# libcmap'"'"'s ("3"), each sorted.
	n = 0; for (k in keys) order[++n] = (k ~ /^libquorum: / ? "2" : k ~ /^libcmap: / ? "3" : "1") k
	for (i = 2; i <= n; i++) { t = order[i]; for (j = i - 1; j >= 1 && order[j] > t; j--) order[j + 1] = order[j]; order[j + 1] = t }
	for (i = 1; i <= n; i++) {
		k = substr(order[i], 2)
		if (order[i] ~ /^2/ && !quorum_table) {
			quorum_table = 1
			printf "\nlibquorum.so.5 against Debian'"'"'s libquorum5:\n\n" > out
			header()
		}
		if (order[i] ~ /^3/ && !cmap_table) {
			cmap_table = 1
			printf "\nlibcmap.so.4 against Debian'"'"'s libcmap4:\n\n" > out
			header()
		}
		row = k
		sub(/^lib(quorum|cmap): /, "", row)
		r = vals[k, "reference"] != "" ? median(vals[k, "reference"]) : ""
		o = vals[k, "ours"] != "" ? median(vals[k, "ours"]) : ""; b = vals[k, "bare"] != "" ? median(vals[k, "bare"]) : ""
		ratios = ""; bratios = ""
		for (p = 1; p <= 50; p++) if ((k, p) in pairs) {
			if (byp[k, "reference", p] != "" && byp[k, "ours", p] != "" && byp[k, "reference", p] + 0 != 0) ratios = ratios " " byp[k, "ours", p] / byp[k, "reference", p]
			if (byp[k, "bare", p] != "" && byp[k, "ours", p] != "" && byp[k, "bare", p] + 0 != 0) bratios = bratios " " byp[k, "ours", p] / byp[k, "bare", p]
		}
		printf "| %s | %s | %s | %s | %s | %s |\n", row, r, o, ratios == "" ? "" : sprintf("%.2f", median(ratios)), b, bratios == "" ? "" : sprintf("%.2f", median(bratios)) > out
	}
}' "$results"
cat "$out/table.md"

if command -v gnuplot >/dev/null; then
	gnuplot <<PLOT
set terminal png size 900,540
set output "$out/getinfo-latency.png"
set title "getinfo round trip, corosync and client on the same CPU (last pair)"
set xlabel "latency (microseconds)"
set ylabel "fraction of calls at or below"
set logscale x
set xrange [3:300]
set key bottom right
set grid
plot "< sort -n $out/lat-getinfo-reference-same.txt | awk '{print \$1, NR/$n_getinfo}'" using 1:2 with lines lw 2 title "Debian libvotequorum8", \
     "< sort -n $out/lat-getinfo-ours-same.txt | awk '{print \$1, NR/$n_getinfo}'" using 1:2 with lines lw 2 title "ours", \
     "< sort -n $out/lat-getinfo-bare-same.txt | awk '{print \$1, NR/$n_getinfo}'" using 1:2 with lines lw 2 dt 2 title "bare libqb client"
PLOT
	echo "plot: $out/getinfo-latency.png"
fi
