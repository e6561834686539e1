#!/bin/bash
# check_deb.sh WORK_DIR
#
# The Debian packages, built by debian/ as a Debian maintainer builds them
# and checked as a reviewer would before an upload:
#   build         dpkg-buildpackage -us -uc -b on a copy of the tree
#                 (WORK_DIR/one), as on a clean Debian 12 with the build
#                 dependencies (tests/setup.sh: apt-get build-dep)
#   lintian       no error and no warning on the .changes (--fail-on
#                 error,warning; overrides only in debian/*.lintian-overrides)
#   blhc          nothing to report on the build log (every compiler and
#                 linker line with Debian's hardening flags)
#   symbols       each library's symbols file matches it at check level 4,
#                 and dpkg-gensymbols -c4 fails when a symbol appears or
#                 disappears (the build sets DPKG_GENSYMBOLS_CHECK_LEVEL=4)
#   fields        each package's relation to Debian's (Provides, Conflicts,
#                 Replaces, the diversion in preinst/postrm), Depends and
#                 files
#   install       dpkg -i / -r / -P in a throwaway root (install_in_root.sh):
#                 Debian's tools on ours, then Debian's libraries back
#   autopkgtest   debian/tests on the packages just built, with the null
#                 runner, in another throwaway root (autopkgtest_in_root.sh)
#   reproducible  a second build in another directory (WORK_DIR/second-build)
#                 gives byte-identical .debs, -dbgsym included (cmp)
# Needs root; changes nothing on the machine (each root is an overlay, in
# private namespaces).
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$1
rm -rf "$work"
mkdir -p "$work"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
arch=$(dpkg --print-architecture)
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
upstream=${version%-*}
lib=/usr/lib/$multiarch
packages=(libvotequorum8-cpp libquorum5-cpp libcmap4-cpp libcorosync-common4-cpp libvotequorum-cpp1
	libvotequorum-cpp-dev libquorum-cpp-dev libcmap-cpp-dev libvotequorum-cpp-api-dev votequorum-monitor)
t=$SECONDS
begin=$SECONDS
lap() {  # STEP
	printf 'time: %4d s  %s\n' $((SECONDS - t)) "$1"
	t=$SECONDS
}

fail=0
check() {  # DESCRIPTION COMMAND...
	if "${@:2}" >/dev/null 2>&1; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}
checks_passed() {  # STEP
	[ "$fail" = 0 ] || { echo "FAIL: $1" >&2; exit 1; }
}

# The tree's files as git lists them (tracked and untracked, not ignored),
# else all but the build directories and the cache.
copy_source() {  # DEST
	mkdir -p "$1"
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$top" && git ls-files -z --cached --others --exclude-standard |
			tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$1"
	else
		tar -C "$top" --exclude=./.git --exclude='./build*' --exclude=./.cache --exclude=./out -cf - . | tar -xf - -C "$1"
	fi
}
# dpkg-buildpackage -us -uc -b in WORK_DIR/NAME/votequorum-cpp, in a clean
# environment; the log is WORK_DIR/NAME/build.log, the packages beside it.
build() {  # NAME
	local dir=$work/$1
	copy_source "$dir/votequorum-cpp"
	if ! (cd "$dir/votequorum-cpp" && env -i PATH="$PATH" HOME="${HOME:-/root}" LC_ALL=C.UTF-8 \
		DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b) > "$dir/build.log" 2>&1; then
		tail -n 80 "$dir/build.log"
		echo "FAIL: dpkg-buildpackage in $dir/votequorum-cpp (log: $dir/build.log)" >&2
		exit 1
	fi
}
deb_of() {  # PACKAGE [BUILD]
	echo "$work/${2:-one}/${1}_${version}_$arch.deb"
}

build one
changes=$work/one/votequorum-cpp_${version}_$arch.changes
for package in "${packages[@]}"; do
	[ -f "$(deb_of "$package")" ] || { echo "FAIL: the build made no $(basename "$(deb_of "$package")")" >&2; exit 1; }
done
echo "build: $(find "$work/one" -maxdepth 1 -name '*.deb' | wc -l) .debs, debug symbols (-dbgsym) included"
lap "dpkg-buildpackage -us -uc -b"

# --- lintian -----------------------------------------------------------------
status=0
lintian --fail-on error,warning "$changes" > "$work/lintian.log" 2>&1 || status=$?
sed 's/^/lintian: /' "$work/lintian.log"
if [ "$status" != 0 ] || grep -E '^[EW]: ' "$work/lintian.log" >/dev/null; then
	echo "FAIL: lintian reports errors or warnings on $(basename "$changes") (exit status $status)" >&2
	exit 1
fi
# What lintian let pass is overridden in debian/*.lintian-overrides, each
# override with its reason in the comment above it.
overrides=$(cat "$top"/debian/*.lintian-overrides | grep -c -E '^[a-z]')
echo "ok: lintian --fail-on error,warning: no error, no warning ($overrides overrides in debian/*.lintian-overrides)"
lap lintian

# --- blhc --------------------------------------------------------------------
status=0
blhc --all "$work/one/build.log" > "$work/blhc.log" 2>&1 || status=$?
if [ "$status" != 0 ] || [ -s "$work/blhc.log" ]; then
	cat "$work/blhc.log"
	echo "FAIL: blhc --all reports the above on the build log (exit status $status)" >&2
	exit 1
fi
compiles=$(grep -c -E '(^|/)(c\+\+|g\+\+|gcc|cc)(-[0-9]+)? .* -c ' "$work/one/build.log" || true)
[ "$compiles" -gt 10 ] || { echo "FAIL: the build log shows only $compiles compiler lines (is the build verbose?)" >&2; exit 1; }
echo "ok: blhc --all: nothing on the build log ($compiles compiler lines)"
lap blhc

# --- symbols -----------------------------------------------------------------
check "debian/rules sets DPKG_GENSYMBOLS_CHECK_LEVEL=4" grep -E '^export DPKG_GENSYMBOLS_CHECK_LEVEL = 4$' "$top/debian/rules"
# dpkg-gensymbols at check level 4 on the library of PACKAGE's .deb, with
# SYMBOLS as the symbols file, for this package version (as dh_makeshlibs
# runs it: a symbol whose version is the package's own would not count as
# lost).
gensymbols() {  # PACKAGE SYMBOLS
	local x=$work/symbols/$1
	rm -rf "$x"
	mkdir -p "$x"
	dpkg-deb -x "$(deb_of "$1")" "$x"
	(cd "$top" && dpkg-gensymbols -c4 -p"$1" -v"$version" -P"$x" -I"$2" -O"$x.out" \
		-e"$(find "$x/usr/lib" -type f -name '*.so.*')")
}
for spec in libvotequorum8-cpp:COROSYNC_VOTEQUORUM_1.0 libquorum5-cpp:COROSYNC_QUORUM_1.0 libcmap4-cpp:COROSYNC_CMAP_1.0 \
	libcorosync-common4-cpp:Base libvotequorum-cpp1:Base; do
	package=${spec%%:*} node=${spec#*:}
	symbols=$top/debian/$package.symbols
	count=$(grep -c -E '^ ' "$symbols")
	check "$package: debian/$package.symbols ($count symbols) matches the library at check level 4" gensymbols "$package" "$symbols"
	# A symbol the library exports but the file lacks (one appeared).
	awk 'n == 0 && /^ / && !/^ [A-Z_0-9.]+@/ { n = 1; next } { print }' "$symbols" > "$work/symbols/$package.fewer"
	if gensymbols "$package" "$work/symbols/$package.fewer" >/dev/null 2>&1; then
		echo "FAIL: $package: dpkg-gensymbols -c4 passes with a symbol missing from the symbols file"; fail=1
	else
		echo "ok: $package: dpkg-gensymbols -c4 fails on a symbol that appeared"
	fi
	# A symbol in the file that the library does not export (one disappeared).
	{ cat "$symbols"; echo " vq_no_such_symbol@$node $upstream"; } > "$work/symbols/$package.more"
	if gensymbols "$package" "$work/symbols/$package.more" >/dev/null 2>&1; then
		echo "FAIL: $package: dpkg-gensymbols -c4 passes with a symbol the library lacks"; fail=1
	else
		echo "ok: $package: dpkg-gensymbols -c4 fails on a symbol that disappeared"
	fi
	check "$package: the .deb carries its symbols file" dpkg-deb -I "$(deb_of "$package")" symbols
done
checks_passed symbols
lap symbols

# --- fields and files --------------------------------------------------------
field_is() {  # DEB FIELD VALUE
	[ "$(dpkg-deb -f "$1" "$2")" = "$3" ]
}
has_depends() {  # DEB PATTERN...: each PATTERN (an ERE) matches one of the Depends
	local d p
	d=$(dpkg-deb -f "$1" Depends | sed 's/, /\n/g')
	for p in "${@:2}"; do
		grep -E "^($p)\$" <<<"$d" || return 1
	done
}
files_of() {  # DEB: its files and links under ./usr/lib, ./usr/include, ./usr/bin, ./lib, sorted
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ {print $6}' | grep -E '^\./(usr/(lib|include|bin)|lib)/' | sort
}
ships_only() {  # DEB FILE...: exactly these (under ./usr/lib, ./usr/include, ./usr/bin, ./lib)
	[ "$(files_of "$1" | tr '\n' ' ')" = "$(printf '%s\n' "${@:2}" | sort | tr '\n' ' ')" ]
}
diverts() {  # DEB PACKAGE LINK: preinst adds, postrm removes, the diversion of LINK, literally
	local script path=/usr/lib/$multiarch/$3
	for script in preinst:--add postrm:--remove; do
		dpkg-deb -I "$1" "${script%%:*}" > "$work/script" || return 1
		# Continuation lines joined, indentation dropped: the whole command.
		awk '{ sub(/^[ \t]+/, ""); if (sub(/\\$/, "")) { line = line $0; next } print line $0; line = "" }' "$work/script" |
			grep -Fx "dpkg-divert --package $2 ${script#*:} --rename --divert $path.corosync $path" || return 1
	done
}
sorts_after() {  # OURS DEBIANS: ldconfig points a SONAME link at the highest version
	[ "$1" != "$2" ] && [ "$(printf '%s\n' "$2" "$1" | sort -V | tail -n 1)" = "$1" ]
}
stripped() {  # DEB FILE
	rm -rf "$work/x"
	dpkg-deb -x "$1" "$work/x" && [ -f "$work/x/$2" ] && ! file -L "$work/x/$2" | grep -E ', not stripped$'
}
man3_count() {  # DEB PREFIX COUNT
	[ "$(dpkg-deb -c "$1" | grep -cE "/man3/$2[^/]+\\.3\\.gz\$")" = "$3" ]
}
# Each runtime package: the SONAME link it diverts, Debian's package of that
# link, the name of its -dev package (lib$name-cpp-dev; - for none: the
# link and .pc of libcorosync_common stay libcorosync-common-dev's), and the
# libraries its Depends must name (computed from the binary).
for spec in "libvotequorum8-cpp libvotequorum.so.8 libvotequorum8 votequorum libqb100,libc6,libstdc++6" \
	"libquorum5-cpp libquorum.so.5 libquorum5 quorum libqb100,libc6,libstdc++6" \
	"libcmap4-cpp libcmap.so.4 libcmap4 cmap libqb100,libc6,libstdc++6" \
	"libcorosync-common4-cpp libcorosync_common.so.4 libcorosync-common4 - libc6"; do
	read -r package link reference name needs <<<"$spec"
	deb=$(deb_of "$package")
	echo "--- $(basename "$deb")"; dpkg-deb -f "$deb"; echo "---"
	dpkg-query -W -f='${Status}' "$reference" | grep -E '^install ok installed$' >/dev/null ||
		{ echo "FAIL: $reference must be installed on this machine (tests/setup.sh)"; exit 1; }
	so=$(files_of "$deb" | grep -E "^\\./usr/lib/$multiarch/${link//./\\.}\\.[0-9]+\\.[0-9]+\$") || so=./none
	debian_so=$(basename "$(readlink -f "$lib/$link")")
	needs_re=()
	for need in ${needs//,/ }; do needs_re+=("${need//+/\\+}( .*)?"); done
	check "$package: Depends computed from the binary (${needs//,/, })" has_depends "$deb" "${needs_re[@]}"
	check "$package: Provides $reference (= $version)" field_is "$deb" Provides "$reference (= $version)"
	check "$package: no Conflicts, Replaces or Breaks (it is installed beside $reference)" \
		bash -c "[ -z \"\$(dpkg-deb -f '$deb' Conflicts Replaces Breaks)\" ]"
	check "$package: preinst/postrm divert $lib/$link for $package" diverts "$deb" "$package" "$link"
	check "$package: ships ${so#./} and its $link link only" ships_only "$deb" "./usr/lib/$multiarch/$link" "$so"
	check "$package: $(basename "$so") sorts after Debian's $debian_so (else ldconfig gives the link back)" \
		sorts_after "$(basename "$so")" "$debian_so"
	check "$package: the library is stripped" stripped "$deb" "${so#./}"
	check "$package: libc-bin's ldconfig trigger" bash -c "dpkg-deb -I '$deb' triggers | grep -Fx 'activate-noawait ldconfig'"
	[ "$name" != - ] || continue
	dev=$(deb_of "lib$name-cpp-dev")
	check "lib$name-cpp-dev: Provides, Conflicts, Replaces lib$name-dev" bash -c "
		[ \"\$(dpkg-deb -f '$dev' Provides)\" = 'lib$name-dev (= $version)' ] &&
		[ \"\$(dpkg-deb -f '$dev' Conflicts)\" = 'lib$name-dev' ] && [ \"\$(dpkg-deb -f '$dev' Replaces)\" = 'lib$name-dev' ]"
	check "lib$name-cpp-dev: Depends on $package (= $version) and libcorosync-common-dev (corotypes.h)" \
		has_depends "$dev" "${package//+/\\+} \\(= ${version//./\\.}\\)" libcorosync-common-dev libqb-dev
	check "lib$name-cpp-dev: ships $name.h, lib$name.so, lib$name.pc (not corotypes.h)" ships_only "$dev" \
		"./usr/include/corosync/$name.h" "./usr/lib/$multiarch/lib$name.so" "./usr/lib/$multiarch/pkgconfig/lib$name.pc"
	pages=$(find "$top/man" -name "${name}_*.3" | wc -l)
	check "lib$name-cpp-dev: ships the $pages ${name}_*.3 man pages of man/" man3_count "$dev" "${name}_" "$pages"
done
cpp=$(deb_of libvotequorum-cpp1)
api=$(deb_of libvotequorum-cpp-api-dev)
monitor=$(deb_of votequorum-monitor)
check "libvotequorum-cpp1: ships libvotequorum-cpp.so.1 only" ships_only "$cpp" \
	"./usr/lib/$multiarch/libvotequorum-cpp.so.1" "./usr/lib/$multiarch/libvotequorum-cpp.so.1.0.0"
check "libvotequorum-cpp-api-dev: Depends on the C++ library and the three C -dev packages (libcmap-cpp-dev: <corosync/cmap.h>)" \
	has_depends "$api" "libvotequorum-cpp1 \\(= ${version//./\\.}\\)" "libvotequorum-cpp-dev \\(= ${version//./\\.}\\)" \
	"libquorum-cpp-dev \\(= ${version//./\\.}\\)" "libcmap-cpp-dev \\(= ${version//./\\.}\\)"
check "libvotequorum-cpp-api-dev: no longer Depends on Debian's libcmap-dev" bash -c "
	! dpkg-deb -f '$api' Depends | sed 's/, /\\n/g' | grep -E '^libcmap-dev( |\$)'"
# What stays Debian's: libcorosync-common-dev's headers, link and .pc
# (debian/not-installed), in none of our packages.
shipped_by_none() {  # FILE...
	local package f
	for package in "${packages[@]}"; do
		for f in "$@"; do
			! dpkg-deb -c "$(deb_of "$package")" | awk '{print $6}' | grep -Fx "$f" >/dev/null || return 1
		done
	done
}
check "no package ships corotypes.h, libcorosync_common.so or libcorosync_common.pc (libcorosync-common-dev's)" \
	shipped_by_none ./usr/include/corosync/corotypes.h "./usr/lib/$multiarch/libcorosync_common.so" \
	"./usr/lib/$multiarch/pkgconfig/libcorosync_common.pc"
check "libvotequorum-cpp-api-dev: the C++ headers (corosync/client.hpp too), libvotequorum-cpp.so and the CMake package" bash -c "
	files=\$(dpkg-deb -c '$api' | awk '{print \$6}')
	for f in include/corosync/client.hpp include/votequorum/client.hpp include/quorum/client.hpp include/cmap/client.hpp \
		lib/$multiarch/libvotequorum-cpp.so \
		lib/$multiarch/cmake/votequorum/votequorumConfig.cmake lib/$multiarch/cmake/votequorum/votequorumTargets.cmake; do
		grep -Fx \"./usr/\$f\" <<<\"\$files\" >/dev/null || exit 1
	done"
check "votequorum-monitor: Depends on libvotequorum-cpp1 (its symbols file)" has_depends "$monitor" \
	"libvotequorum-cpp1 \\(>= ${upstream//./\\.}\\)"
check "votequorum-monitor: ships the program, its man page and its systemd unit" bash -c "
	files=\$(dpkg-deb -c '$monitor' | awk '{print \$6}')
	for f in ./usr/bin/votequorum-monitor ./usr/share/man/man8/votequorum-monitor.8.gz ./lib/systemd/system/votequorum-monitor.service; do
		grep -Fx \"\$f\" <<<\"\$files\" >/dev/null || exit 1
	done"
checks_passed "fields and files"
lap "fields and files"

# --- install, remove, purge in a throwaway root ------------------------------
share=$work/share-install
mkdir -p "$share/debs"
for package in "${packages[@]}"; do cp "$(deb_of "$package")" "$share/debs/"; done
cp "$top/tests/support/corosync.conf" "$here/install_in_root.sh" "$share/"
sed "s/provider: corosync_votequorum/&\n\tdevice {\n\t\tmodel: net\n\t\tvotes: 1\n\t\tnet {\n\t\t\ttls: off\n\t\t\thost: 127.0.0.1\n\t\t\talgorithm: ffsplit\n\t\t}\n\t}/" \
	"$top/tests/support/corosync.conf" > "$share/corosync-qdevice.conf"
"$here/throwaway_root.sh" "$work/root-install" "$share" bash /share/install_in_root.sh "$multiarch"
lap "install, remove, purge (throwaway root)"

# --- autopkgtest, null runner, in a throwaway root ---------------------------
share=$work/share-autopkgtest
mkdir -p "$share/debs"
for package in "${packages[@]}"; do cp "$(deb_of "$package")" "$share/debs/"; done
copy_source "$share/src"
cp "$here/autopkgtest_in_root.sh" "$share/"
status=0
"$here/throwaway_root.sh" "$work/root-autopkgtest" "$share" bash /share/autopkgtest_in_root.sh > "$work/autopkgtest.log" 2>&1 || status=$?
sed 's/^/autopkgtest: /' "$work/autopkgtest.log"
mapfile -t tests < <(sed -n -E 's/^Tests: *//p' "$top/debian/tests/control" | tr ',' ' ' | xargs -n 1)
for test in "${tests[@]}"; do
	grep -E "^$test +PASS\$" "$share/autopkgtest/summary" >/dev/null || { echo "FAIL: autopkgtest: $test did not pass"; fail=1; }
done
[ "$status" = 0 ] || { echo "FAIL: autopkgtest exited $status"; fail=1; }
checks_passed autopkgtest
echo "ok: autopkgtest (null runner, throwaway root): ${#tests[@]} tests passed (${tests[*]})"
lap "autopkgtest"

# --- reproducible: a second build elsewhere ----------------------------------
build second-build
mapfile -t built < <(cd "$work/one" && find . -maxdepth 1 -name '*.deb' -printf '%f\n' | sort)
mapfile -t again < <(cd "$work/second-build" && find . -maxdepth 1 -name '*.deb' -printf '%f\n' | sort)
[ "${built[*]}" = "${again[*]}" ] || { echo "FAIL: the two builds made different packages: ${built[*]} / ${again[*]}"; exit 1; }
for f in "${built[@]}"; do
	if cmp "$work/one/$f" "$work/second-build/$f"; then
		echo "ok: reproducible: $f"
	else
		echo "FAIL: $f differs between $work/one and $work/second-build"
		diff <(dpkg-deb -I "$work/one/$f" md5sums) <(dpkg-deb -I "$work/second-build/$f" md5sums) || true
		fail=1
	fi
done
checks_passed reproducible
lap "second build, cmp"
echo "deb: ${#packages[@]} packages (and their -dbgsym) built twice, byte-identical; lintian, blhc, symbols, install and removal, autopkgtest passed in $((SECONDS - begin)) s"
