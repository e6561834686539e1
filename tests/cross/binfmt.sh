#!/bin/bash
# binfmt.sh ensure ARCH
#     Makes this machine run ARCH's programs (s390x or i386) and prints one
#     line saying how: natively, or through qemu-user registered with
#     binfmt_misc (mounted first where it is not). Whether an i386 program
#     runs natively depends on the machine, not on the kernel's
#     configuration, so it is found out by running one (arch-test's helper,
#     with emulators kept out). Where it does not, the qemu entry is
#     registered here: Debian's qemu-user-static ships no i386 entry for an
#     amd64 host, so this script writes it. s390x always runs through
#     Debian's qemu-s390x entry.
#
# binfmt.sh how ARCH
#     Prints "native" or "qemu": how ARCH's programs run here now.
#
# binfmt.sh private ARCH CMD [ARGS...]
#     The fallback, exercised wherever this runs: CMD runs in a user
#     namespace of its own whose binfmt_misc instance starts empty (Linux
#     6.7 and later: an instance per user namespace), the ARCH entry is
#     registered there by the same code as above, and CMD's ARCH programs
#     then run through qemu even on a machine that runs them natively. The
#     rest of the machine never sees that entry.
#
# binfmt.sh runs-through-qemu ARCH ROOT
#     Checks that an ARCH program of ROOT (a Debian root, roots.sh) runs as
#     qemu here: the process's executable, as the kernel sees it, is qemu.
#
# Any failure exits non-zero with one line on stderr. Needs root.
set -euo pipefail
shopt -s inherit_errexit

binfmt=/proc/sys/fs/binfmt_misc
# The i386 entry: an ELF of class 32, little-endian, type EXEC or DYN,
# machine EM_386 (3). The interpreter is opened at registration (flag F),
# so it need not exist inside the roots it runs programs of.
i386_magic='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'
i386_mask='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
i386_qemu=/usr/bin/qemu-i386-static

die() {
	echo "binfmt.sh: $*" >&2
	exit 1
}

# The binfmt_misc registration line of ARCH's qemu entry.
entry() {  # ARCH
	case $1 in
	s390x)
		local conf=/usr/lib/binfmt.d/qemu-s390x.conf
		[ -f "$conf" ] || die "$conf missing (package qemu-user-static)"
		cat "$conf"
		;;
	i386)
		[ -x "$i386_qemu" ] || die "$i386_qemu missing (package qemu-user-static)"
		printf ':qemu-i386:M::%s:%s:%s:F\n' "$i386_magic" "$i386_mask" "$i386_qemu"
		;;
	*) die "unsupported architecture $1" ;;
	esac
}

mount_binfmt() {
	[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt" || die "cannot mount binfmt_misc on $binfmt"
}

# Registers ARCH's qemu entry in the binfmt_misc instance mounted at
# $binfmt unless it is there; either way it must be enabled, with flag F.
# Prints "registered now" or "found registered".
register() {  # ARCH
	local arch=$1 name=qemu-$1 how="found registered"
	if [ ! -e "$binfmt/$name" ]; then
		entry "$arch" > "$binfmt/register" || die "registering $name with binfmt_misc failed"
		how="registered now"
	fi
	if ! grep -qx enabled "$binfmt/$name" || ! grep -qE '^flags: [A-Z]*F' "$binfmt/$name"; then
		die "$name is registered but disabled or without flag F: $(tr '\n' ' ' < "$binfmt/$name")"
	fi
	echo "$how"
}

# True when ARCH's programs run here without an emulator.
runs_natively() {  # ARCH
	local helper=/usr/lib/arch-test/$1
	[ -x "$helper" ] || die "$helper missing (package arch-test)"
	# arch-test -n runs its helper program with qemu and wine kept out.
	arch-test -n "$1" >/dev/null 2>&1
}

cmd=${1:?usage: binfmt.sh ensure ARCH | how ARCH | private ARCH CMD... | runs-through-qemu ARCH ROOT}
arch=${2:?usage: binfmt.sh $cmd ARCH ...}
shift 2
case $arch in s390x | i386) ;; *) die "unsupported architecture $arch" ;; esac

case $cmd in
how)
	if [ "$arch" = i386 ] && runs_natively i386; then echo native; else echo qemu; fi
	;;
ensure)
	# One caller at a time mounts and registers (the roots are made side
	# by side).
	exec 8>/run/votequorum-tests-binfmt.lock
	flock 8
	if [ "$arch" = i386 ] && runs_natively i386; then
		echo "i386: runs natively (a 32-bit x86 program ran here)"
		exit 0
	fi
	mount_binfmt
	how=$(register "$arch")
	qemu=$(sed -n 's/^interpreter //p' "$binfmt/qemu-$arch")
	why=""
	[ "$arch" = i386 ] && why="; this machine runs no 32-bit x86 program natively"
	echo "$arch: runs through qemu-user ($qemu, binfmt_misc entry qemu-$arch $how$why)"
	;;
private)
	[ $# -gt 0 ] || die "private $arch: no command"
	# The inner shell is this script again: it mounts the namespace's own
	# binfmt_misc instance and registers the entry there.
	exec unshare --user --map-root-user --mount --propagation private -- "$0" private-inside "$arch" "$@"
	;;
private-inside)
	mount -t binfmt_misc binfmt_misc "$binfmt" || die "no binfmt_misc instance of its own in a user namespace (Linux 6.7 or later needed)"
	if [ -e "$binfmt/qemu-$arch" ]; then
		die "the private binfmt_misc instance already holds qemu-$arch: it is not the namespace's own"
	fi
	how=$(register "$arch")
	[ "$how" = "registered now" ] || die "qemu-$arch was not registered in the private instance"
	exec "$@"
	;;
runs-through-qemu)
	root=${1:?usage: binfmt.sh runs-through-qemu ARCH ROOT}
	[ -x "$root/usr/bin/sleep" ] || die "$root/usr/bin/sleep missing"
	file -L "$root/usr/bin/sleep" | grep -E "ELF .*$(case $arch in s390x) echo 'IBM S/390' ;; i386) echo 'Intel 80386' ;; esac)" >/dev/null ||
		die "$root/usr/bin/sleep is not an $arch program"
	chroot "$root" /usr/bin/sleep 5 &
	pid=$!
	# The kernel's view, from outside the process (qemu answers a guest's
	# own question about /proc/self/exe with the guest program).
	exe=""
	for _ in $(seq 1 50); do
		exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
		case $exe in */usr/bin/sleep | "" | */usr/sbin/chroot) sleep 0.1 ;; *) break ;; esac
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	case $exe in
	*/qemu-"$arch"* | */"$arch"-binfmt-P) echo "$arch: a program of the root ran as $exe" ;;
	*) die "an $arch program of $root ran as ${exe:-nothing} here, not through qemu" ;;
	esac
	;;
*) die "unknown command $cmd" ;;
esac
