#!/bin/bash
# Shell helpers for the tests that run one program on two libraries and
# compare its output (source it):
#   vq_mask FILE          corosync-quorumtool's output with dates masked
#   vq_compare NAME REF OURS
#                         prints "same: NAME (N lines)" and returns 0 when
#                         the files are equal, else "DIFFERENT: NAME" and
#                         the diff, and returns 1; with VQ_SHOW set it also
#                         prints OURS.

vq_mask() {  # FILE
	sed -E -e 's/^(Date: +).*/\1<date>/' \
		-e 's/[A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]{8} [0-9]{4}/<date>/g' "$1"
}

vq_compare() {  # NAME REF OURS
	local status=0
	if cmp -s "$2" "$3"; then
		echo "same: $1 ($(wc -l < "$3") lines)"
	else
		echo "DIFFERENT: $1"
		diff "$2" "$3" | sed 's/^/    /' || true
		status=1
	fi
	if [ -n "${VQ_SHOW:-}" ]; then sed 's/^/    | /' "$3"; fi
	return "$status"
}
