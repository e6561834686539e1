# shellcheck shell=bash
# What the tests of debian/tests share (sourced). They run on the installed
# packages: nothing here reads the build tree.

tests=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${AUTOPKGTEST_TMP:-$(mktemp -d)}
export AUTOPKGTEST_TMP=$work  # the same directory inside private-corosync

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Runs CMD... in private namespaces beside a quorate single-node corosync
# (tests/private-corosync); both go away when CMD ends.
in_private_corosync() {  # CMD...
	unshare --net --mount --pid --fork --mount-proc --kill-child bash "$tests/private-corosync" "$@"
}

# PROGRAM must load SONAME from PACKAGE (an installed package of ours).
loads_from() {  # PROGRAM SONAME PACKAGE
	local loaded owner
	loaded=$(ldd "$1" | awk -v l="$2" '$1 == l { print $3 }')
	[ -n "$loaded" ] || fail "$1 does not load $2"
	owner=$(dpkg -S "$(readlink -f "$loaded")") || fail "no package owns $(readlink -f "$loaded")"
	[ "${owner%%:*}" = "$3" ] || fail "$1 loads $2 from $owner, not from $3"
	echo "$1 loads $2 from $3 ($(readlink -f "$loaded"))"
}

# A directory whose SONAME links lead to the library files of Debian's
# libvotequorum8, libquorum5, libcmap4 and libcorosync-common4 (whose own
# links are diverted to LINK.corosync while ours are installed): with
# LD_LIBRARY_PATH set to it, a program runs on Debian's libraries.
debian_libraries() {
	local dir=$work/debian-libs spec package link real
	mkdir -p "$dir"
	for spec in libvotequorum8:libvotequorum.so.8 libquorum5:libquorum.so.5 libcmap4:libcmap.so.4 \
		libcorosync-common4:libcorosync_common.so.4; do
		package=${spec%%:*} link=${spec#*:}
		real=$(dpkg -L "$package" | grep -E "/${link//./\\.}\\.[0-9]+\\.[0-9]+\$") ||
			fail "Debian's $package has no $link.x.y"
		[ -f "$real" ] || fail "$real (Debian's $package) is missing"
		ln -sf "$real" "$dir/$link"
	done
	echo "$dir"
}

# corosync-quorumtool -s, on Debian's libraries (reference) or on ours,
# without the Date line.
quorumtool_status() {  # debian|ours
	local out
	if [ "$1" = debian ]; then
		out=$(LD_LIBRARY_PATH=$(debian_libraries) corosync-quorumtool -s)
	else
		out=$(corosync-quorumtool -s)
	fi
	grep -v -E '^Date:' <<<"$out"
}

# The value of FIELD ("Expected votes", ...) in corosync-quorumtool -s's
# output on stdin.
field() {  # FIELD
	sed -n -E "s/^$1: +([^ ]+) *\$/\\1/p"
}
