# Normalizes one run's output of testvotequorum1/2 before outputs are
# compared (run.sh). awk -v rules="RULE ..." -f normalize.awk FILE
#
# Only values that differ between runs of the same library are masked, each
# for the reason given; every other byte is compared as printed. Neither
# program prints handles, contexts, pids or times, so nothing else varies.
#
#   ring      "(NODE.SEQ)" ring ids become "(NODE.<seq>)": the sequence
#             number is the daemon's ring counter, which depends on how
#             the daemon formed its ring, not on the library.
#   info2     testvotequorum1's second getinfo block (between the first
#             "-------------------" and "Waiting for votequorum events")
#             keeps its labels and masks its values: the program calls
#             getinfo right after setvotes, whose change the daemon applies
#             when its own message returns through totem, so the values
#             printed are the old or the new ones depending on which came
#             first in the daemon.
#   lastname  testvotequorum2's last "name" line (the getinfo after
#             qdevice_unregister) masks the device name: the daemon clears
#             the name when its unregister message returns through totem,
#             before or after that getinfo. The flags it clears at once
#             (and those stay compared).
BEGIN {
	n = split(rules, list, " ")
	for (i = 1; i <= n; i++) on[list[i]] = 1
}
{ line[NR] = $0 }
END {
	last = 0
	if (on["lastname"])
		for (i = NR; i >= 1 && !last; i--)
			if (line[i] ~ /^name /) last = i
	region = 0
	for (i = 1; i <= NR; i++) {
		s = line[i]
		if (on["ring"] && match(s, /\([0-9a-f]+\.[0-9a-f]+\)/)) {
			id = substr(s, RSTART, RLENGTH)
			sub(/\.[0-9a-f]+\)$/, ".<seq>)", id)
			s = substr(s, 1, RSTART - 1) id substr(s, RSTART + RLENGTH)
		}
		if (on["info2"]) {
			if (s ~ /^Waiting for votequorum events/) region = 2
			else if (region == 1 && match(s, /^[a-z]+( [a-z]+)?/))
				s = substr(s, 1, RLENGTH) " <value: old or new>"
			else if (region == 0 && s == "-------------------") region = 1
		}
		if (i == last) s = "name <cleared or not yet>"
		print s
	}
}
