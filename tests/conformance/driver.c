/*
 * The votequorum conformance driver: runs one named scenario through the
 * votequorum C API and prints a deterministic trace, every call with its
 * result by name and every callback with all its arguments. It is linked to
 * Debian's libvotequorum8 the way Debian's own binaries are, so the same
 * binary runs on the reference and, with LD_LIBRARY_PATH, on ours; run.sh
 * diffs the two traces. The ABI 1.1 calls are looked up at run time (the
 * reference has none).
 *
 * Each scenario runs in a child process with an alarm, so a crash or a hang
 * becomes a line of the trace instead of the end of the run. Handles are
 * printed by name (h1, h2, ...), never by value. Ordering, never sleeping,
 * makes traces deterministic: a scenario waits on the fd (poll with a
 * bound) for what the daemon must send.
 *
 *   driver SCENARIO      run one scenario
 *   driver --list        list scenarios as "NAME SERVER PAIRS" lines
 *   driver --which       print the file of the libvotequorum actually loaded
 *
 * The scenarios are in one file per thing they talk to
 * (votequorum_driver.h lists them), each with its table; this file gathers
 * the tables. driver.h says what SERVER and PAIRS mean.
 */
#include "votequorum_driver.h"

#include <stddef.h>

static const struct scenario *const groups[] = {
	vq_daemon_scenarios,
	vq_handle_scenarios,
	vq_qdevice_scenarios,
	vq_killed_scenarios,
	vq_thread_scenarios,
	vq_abi11_scenarios,
	vq_fake_scenarios,
	NULL,
};

int main(int argc, char **argv)
{
	return driver_main(argc, argv, groups, (const void *)votequorum_initialize);
}
