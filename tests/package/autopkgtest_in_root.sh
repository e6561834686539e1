#!/bin/bash
# autopkgtest_in_root.sh: run by check_deb.sh inside a throwaway root
# (throwaway_root.sh): debian/tests of the source tree /share/src, with
# autopkgtest's null runner, on the packages under /share/debs (autopkgtest
# installs them and the tests' dependencies with apt, here and not on the
# machine). apt sees no remote source in this root: what the tests need
# beside our packages must be installed on the machine (tests/setup.sh), so
# the run never waits on the network. Its log and results go to
# /share/autopkgtest.
set -euo pipefail
shopt -s inherit_errexit
shopt -s nullglob
mkdir -p /etc/apt/hidden
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
	if [ -e "$f" ]; then
		mv "$f" /etc/apt/hidden/
	fi
done
status=0
autopkgtest --output-dir /share/autopkgtest /share/src /share/debs/*.deb -- null || status=$?
exit "$status"
