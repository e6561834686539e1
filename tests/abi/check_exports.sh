#!/bin/sh
# The library's dynamic symbol table (defined symbols: version and name)
# must be exactly exports.expected, and 1.1 must inherit 1.0.
set -eu
lib=$1
here=$(dirname "$0")
actual=$(objdump -T "$lib" | awk '$2 == "g" && $4 != "*UND*" { print $(NF-1), $NF }' | sort)
if ! printf '%s\n' "$actual" | diff -u "$here/exports.expected" -; then
	echo "FAIL: exported symbols differ from exports.expected" >&2
	exit 1
fi
if ! readelf -V "$lib" | grep -A1 'Name: COROSYNC_VOTEQUORUM_1.1' | grep 'Parent 1: COROSYNC_VOTEQUORUM_1.0' >/dev/null; then
	echo "FAIL: COROSYNC_VOTEQUORUM_1.1 does not inherit COROSYNC_VOTEQUORUM_1.0" >&2
	readelf -V "$lib" >&2
	exit 1
fi
echo "exports: $(printf '%s\n' "$actual" | wc -l) entries as expected"
