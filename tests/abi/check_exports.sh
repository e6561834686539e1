#!/bin/sh
# A library's dynamic symbol table (defined symbols: version and name) must
# be exactly EXPECTED; with CHILD and PARENT, version CHILD must inherit
# PARENT.
#   check_exports.sh LIB EXPECTED [CHILD PARENT]
set -eu
lib=$1 expected=$2
# Global, weak (w) and unique (u) bindings alike: a weak template
# instantiation or a unique static local is exported as much as a function.
actual=$(objdump -T "$lib" | awk '$2 ~ /^[gwu]$/ && $4 != "*UND*" && $NF != "" { print $(NF-1), $NF }' | sort)
if ! printf '%s\n' "$actual" | diff -u "$expected" -; then
	echo "FAIL: exported symbols of $lib differ from $expected" >&2
	exit 1
fi
if [ $# -ge 4 ] && ! readelf -V "$lib" | grep -A1 "Name: $3\$" | grep "Parent 1: $4\$" >/dev/null; then
	echo "FAIL: $3 does not inherit $4" >&2
	readelf -V "$lib" >&2
	exit 1
fi
echo "exports of $(basename "$lib"): $(printf '%s\n' "$actual" | wc -l) entries as expected"
