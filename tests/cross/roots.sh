#!/bin/bash
# roots.sh ARCH
#
# Prints the directory of a Debian 12 root of ARCH (s390x or i386) that holds
# what the cross tiers need: corosync 3.1.7 and Debian's libvotequorum8 of
# that architecture (the reference for conformance and the ABI), the -dev
# packages the cross build uses as its sysroot, and the header-only test
# dependencies. Made once per machine with mmdebstrap from the suite's main
# component on the mirror this machine's apt sources name, and cached under
# $VQ_CACHE/roots/ (VQ_CACHE: default /var/cache/votequorum-tests), keyed by
# architecture and package list (a changed list makes a new root); later
# calls print the cached directory. First makes ARCH's programs run here
# (binfmt.sh ensure: natively, or through qemu). Any failure exits non-zero
# with one line saying why: the callers fail the run. Needs root.
set -euo pipefail
shopt -s inherit_errexit

arch=${1:?usage: roots.sh s390x|i386}
case $arch in
s390x | i386) ;;
*) echo "roots.sh: unsupported architecture $arch" >&2; exit 2 ;;
esac

# ARCH's programs must run here (natively, or through qemu registered with
# binfmt_misc): mmdebstrap runs the root's maintainer scripts, and the
# tests its programs.
"$(dirname "$0")/binfmt.sh" ensure "$arch" >&2
# What the root holds. corosync, libvotequorum8 and libquorum5: the daemon,
# Debian's tools and the reference libraries; the -dev packages: the sysroot
# of the cross build and the reference headers of the layout check;
# catch2, nlohmann-json3-dev, libcpp-httplib-dev, libcfg-dev, libcmap-dev:
# the tests' and votequorum-monitor's build dependencies;
# iproute2, procps: what the tests call inside the root.
packages=(corosync libvotequorum8 libvotequorum-dev libquorum5 libquorum-dev libcorosync-common-dev libqb-dev libqb100
	libstdc++6 libc6-dev catch2 nlohmann-json3-dev libcpp-httplib-dev libcfg-dev libcmap-dev iproute2 procps util-linux)
# The suite corosync 3.1.7 is in; the tests need no other (no updates, no
# security suite: an index of one of those caught mid-sync must not stop
# the run).
suite=bookworm
# The mirror is the machine's own: the one its apt sources name for that
# suite's main component (as apt itself parsed them).
# shellcheck disable=SC2016  # apt expands $(...) in its format
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null |
	awk -v s="$suite" '$2 == s && $3 == "main" { print $1; exit }')
if [ -z "$mirror" ]; then
	echo "roots.sh: no apt source of this machine serves $suite main (apt-get indextargets; run apt-get update?)" >&2
	exit 1
fi
key=$(printf '%s\n' "$arch" "$suite main" "${packages[@]}" | sha256sum | cut -c1-12)
cache=${VQ_CACHE:-/var/cache/votequorum-tests}/roots
root=$cache/$suite-$arch-$key
if [ -f "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock-$arch"
flock 9
if [ ! -f "$root/.complete" ]; then
	echo "roots.sh: making the Debian 12 $arch root (once per machine) in $root" >&2
	start=$SECONDS
	include=$(IFS=,; echo "${packages[*]}")
	# A transient failure (a mirror mid-sync, a dropped connection) is
	# retried: apt retries each download, and the whole root is tried up
	# to three times, a minute apart at most.
	made=""
	for attempt in 1 2 3; do
		# A root half made (by an interrupted run, or the last attempt) is
		# removed, unless something is still mounted inside it (never
		# delete through a mount).
		if grep -F " $root.tmp/" /proc/self/mountinfo >/dev/null; then
			echo "roots.sh: FAIL: mounts are left under $root.tmp; unmount them first" >&2
			exit 1
		fi
		rm -rf "$root.tmp"
		if mmdebstrap --quiet --variant=apt --architectures="$arch" --include="$include" \
			--aptopt='Acquire::Retries "5"' "$suite" "$root.tmp" "deb $mirror $suite main" >&2; then
			made=1
			break
		fi
		echo "roots.sh: mmdebstrap failed for $arch (attempt $attempt of 3, from $mirror $suite)" >&2
		[ "$attempt" = 3 ] || sleep $((attempt * 30))
	done
	if [ -z "$made" ]; then
		echo "roots.sh: FAIL: the $arch root could not be made from $mirror $suite main (3 attempts; what the last made is left in $root.tmp)" >&2
		exit 1
	fi
	rm -rf "$root"
	mv "$root.tmp" "$root"
	echo "$((SECONDS - start))" > "$root/.seconds"
	# Which run made it (tests/run.sh sets VQ_RUN_ID): see cache_rebuild.sh.
	echo "${VQ_RUN_ID:-}" > "$root/.made-by"
	touch "$root/.complete"
	echo "roots.sh: the $arch root took $((SECONDS - start)) s" >&2
fi
echo "$root"
