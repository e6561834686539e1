#!/bin/bash
# Debian's corosync-cmapctl and corosync-cfgtool (which reads node names and
# addresses through libcmap, its libcfg staying the system's), and a C
# client of every kind of call (cmap_walk.c), each run on Debian's libcmap4
# and on ours against the same private corosync state, must print the same
# and exit the same, scenario by scenario. Each side must have loaded the
# library it names. With MAINLINE_PREFIX, the same with corosync's main line
# instead of Debian's (its daemon, its corosync-cmapctl and
# corosync-cfgtool, its libcmap, which tags every call COROSYNC_CMAP_1.0:
# the tools' references must bind to ours).
#   cmapctl_compare.sh OUR_LIBDIR CMAP_WALK [MAINLINE_PREFIX]
# (CMAP_WALK: cmap_walk built against our header, without a run path: the
# dynamic loader picks the library LD_LIBRARY_PATH points at, or Debian's.)
set -euo pipefail
shopt -s inherit_errexit
ourlib=$(cd "$1" && pwd)
walk=$(readlink -f "$2")
prefix=${3:+$(cd "$3" && pwd)}
here=$(cd "$(dirname "$0")" && pwd)
if [ "${VQ_IN_PRIVATE_NS:-}" != 1 ]; then
	VQ_COROSYNC_PREFIX=$prefix exec "$here/../support/private-corosync.sh" --no-start "$0" "$@"
fi
export VQ_WALK=$walk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The reference side: Debian's libcmap (no LD_LIBRARY_PATH), or the main
# line's, whose corosync-cmapctl then comes first on PATH.
reflib=
if [ -n "$prefix" ]; then
	reflib=$prefix/lib
	mkdir "$work/bin"
	ln -s "$prefix/sbin/corosync-cmapctl" "$work/bin/corosync-cmapctl"
	ln -s "$prefix/sbin/corosync-cfgtool" "$work/bin/corosync-cfgtool"
	export PATH=$work/bin:$PATH
fi

# name | changes state (1: fresh daemon before each run) | shell snippet.
# The track scenarios start a tracker, wait for its prompt (printed once
# the track is added), change keys from other processes, and wait for the
# tracker's lines before stopping it (its stdin, a sleep, is left to the
# namespace's end).
track() {  # OPTION KEY LINES: tracks KEY, makes 5 changes, waits for LINES lines
	printf '%s' "f=\$(mktemp); stdbuf -oL corosync-cmapctl $1 $2 < <(sleep 30) > \"\$f\" 2>&1 & p=\$!
vq_wait_lines \"\$f\" 1
corosync-cmapctl -s test.a u32 1; corosync-cmapctl -s test.a u32 2; corosync-cmapctl -s test.s str abc
corosync-cmapctl -d test.a; corosync-cmapctl -D test.
vq_wait_lines \"\$f\" $3; kill \$p; wait \$p || true; cat \"\$f\""
}
scenarios=(
	"one key|0|corosync-cmapctl -g totem.cluster_name"
	"no such key (error)|0|corosync-cmapctl -g no.such.key"
	"a prefix|0|corosync-cmapctl totem."
	"a prefix, binary values shown|0|corosync-cmapctl -b totem."
	"the nodelist|0|corosync-cmapctl nodelist"
	"the stats map, one key|0|corosync-cmapctl -m stats -g stats.ipcs.global.active"
	"the stats map, a prefix's names|0|corosync-cmapctl -m stats -b stats.srp. | sed 's/ (.*//'"
	"set and get every type|1|for t in i8 u8 i16 u16 i32 u32 i64 u64 flt dbl str; do corosync-cmapctl -s test.\$t \$t 12; echo rc=\$?; done; corosync-cmapctl test."
	"set a binary value|1|printf 'ab\\0c\\377' | corosync-cmapctl -s test.bin bin -; corosync-cmapctl -b -g test.bin; corosync-cmapctl -g test.bin"
	"load settings from a file|1|f=\$(mktemp); printf '%s\\n' 'test.a u32 1' 'test.b str x y' 'test.c u8 2' '^test.a' 'test.d.e i16 -3' 'test.d.f i16 4' '^^test.d.' > \$f; corosync-cmapctl -p \$f; echo rc=\$?; corosync-cmapctl test."
	"clear the stats|0|corosync-cmapctl -C all; echo rc=\$?; corosync-cmapctl -C nothing; echo rc=\$?"
	"set with a bad value (error)|1|corosync-cmapctl -s test.u8 u8 300; echo rc=\$?; corosync-cmapctl -s test.x u32 abc; echo rc=\$?"
	"set a read-only key (error)|1|corosync-cmapctl -s runtime.config.totem.token u32 1"
	"delete|1|corosync-cmapctl -s test.a u32 1; corosync-cmapctl -d test.a; echo rc=\$?; corosync-cmapctl -d test.a; echo rc=\$?; corosync-cmapctl -g test.a"
	"delete a prefix|1|corosync-cmapctl -s test.a u32 1; corosync-cmapctl -s test.b u32 2; corosync-cmapctl -D test.; echo rc=\$?; corosync-cmapctl test."
	"track a key, changes from other processes|1|$(track -t test.a 4)"
	"track a prefix, changes from other processes|1|$(track -T test. 6)"
	"every call of the API (cmap_walk)|1|\$VQ_WALK"
	"cfgtool: the links, brief, of one address|0|corosync-cfgtool -s; corosync-cfgtool -s -b; corosync-cfgtool -i 127.0.0.1 -s"
	"cfgtool: the nodes, a node's addresses, a missing node's (error)|0|corosync-cfgtool -n; corosync-cfgtool -a 1; corosync-cfgtool -a 9; echo rc=\$?"
	"cfgtool: reload the configuration, reopen the logs|1|corosync-cfgtool -R; echo rc=\$?; corosync-cfgtool -L; echo rc=\$?; corosync-cfgtool -s"
	"cfgtool: kill a missing node (error)|0|corosync-cfgtool -k 9"
	"cfgtool: shut corosync down, then the links (error)|1|corosync-cfgtool -H; echo rc=\$?; for _ in \$(seq 1 250); do pgrep -x corosync >/dev/null || break; sleep 0.02; done; corosync-cfgtool -s"
	"no daemon (error)|1|pkill -KILL -x corosync; sleep 0.2; corosync-cmapctl -g totem.cluster_name; corosync-cfgtool -s; \$VQ_WALK"
)

# shellcheck source=../support/compare.sh
source "$here/../support/compare.sh"

dirty=1
run_with() {  # LIBDIR FRESH SNIPPET OUTFILE
	if [ "$dirty" = 1 ] || [ "$2" = 1 ]; then
		vq_restart_corosync
		dirty=$2
	fi
	local status=0
	LD_LIBRARY_PATH=$1 bash -c "$3" > "$4" 2>&1 || status=$?
	echo "exit=$status" >> "$4"
}

# Which corosync client libraries a program loaded, as the dynamic loader
# reports them, whatever the program's exit status (the scenarios compare
# that).
loaded() {  # LIBDIR PROGRAM...
	local dir=$1 log
	shift
	log=$(LD_DEBUG=libs LD_LIBRARY_PATH=$dir "$@" 2>&1 >/dev/null) || true
	sed -nE 's/.*calling init: (.*\/lib(cmap|corosync_common|votequorum|quorum|cfg|cpg|sam)\.so\.[0-9.]+)$/\1/p' <<<"$log" | sort -u
}
vq_restart_corosync
dirty=0
# On our side, every corosync client library a program loads is ours (for
# corosync-cmapctl: libcmap and libcorosync_common, so it loads none of the
# system's), but corosync-cfgtool's libcfg, which must not be; on the
# reference side, none is.
for program in "$(command -v corosync-cmapctl)" "$(command -v corosync-cfgtool)" "$walk"; do
	args=(-g totem.cluster_name)
	[[ $program != */corosync-cfgtool ]] || args=(-s)
	ours=$(loaded "$ourlib" "$program" "${args[@]}")
	ours_all=$ours
	want="$ourlib/libcmap.so.4"
	[ "$program" = "$walk" ] || want=$(printf '%s\n' "$ourlib/libcmap.so.4" "$ourlib/libcorosync_common.so.4")
	if [[ $program == */corosync-cfgtool ]]; then
		if ! grep -E '/libcfg\.so\.7(\.[0-9.]+)?$' <<<"$ours" >/dev/null || grep -F -- "$ourlib/libcfg" <<<"$ours" >/dev/null; then
			printf 'FAIL: on our side %s loaded no libcfg of the system:\n%s\n' "$program" "$ours" >&2
			exit 1
		fi
		ours=$(grep -v -E '/libcfg\.so\.7(\.[0-9.]+)?$' <<<"$ours")
	fi
	if [ "$ours" != "$want" ]; then
		printf 'FAIL: on our side %s loaded:\n%s\n' "$program" "$ours" >&2
		exit 1
	fi
	theirs=$(loaded "$reflib" "$program" "${args[@]}")
	if [ -z "$theirs" ] || grep -F -- "$ourlib/" <<<"$theirs" >/dev/null; then
		printf "FAIL: on the reference side %s loaded:\n%s\n" "$program" "$theirs" >&2
		exit 1
	fi
	if [ -n "$prefix" ] && ! grep -x -F -- "$prefix/lib/libcmap.so.4" <<<"$theirs" >/dev/null; then
		printf "FAIL: on the main line's side %s loaded:\n%s\n" "$program" "$theirs" >&2
		exit 1
	fi
	echo "$(basename "$program"): ours loads $(paste -s -d ' ' <<<"$ours_all"), the reference $(paste -s -d ' ' <<<"$theirs")"
done
dirty=1

vq_compare_scenarios "corosync-cmapctl, corosync-cfgtool and cmap_walk" "$reflib" "$ourlib" "$work" "${scenarios[@]}"
