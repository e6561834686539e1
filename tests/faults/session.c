/* session: the issue's reproduction, an ordinary session (initialize,
 * getinfo, trackstart, dispatch ALL, fd_get, trackstop, finalize) repeated
 * 20 times, then the fds still open compared with those before the first
 * (nothing may be left once every handle is finalized or failed to
 * initialize). Made to run under Debian's fiu-run, which fails calls at
 * random from any caller:
 *
 *   fiu-run -x -c 'enable_random name=libc/mm/*,probability=0.2' session
 *
 * Prints "fds_leaked=N crashed=0" and the results seen; exit 0 whatever
 * happened (the caller counts). */
#include <corosync/votequorum.h>

#include <stdio.h>

#include "fds.h"
#include <string.h>
#include <unistd.h>

static void on_quorum(votequorum_handle_t h, uint64_t c, uint32_t q, uint32_t n, votequorum_node_t* l)
{
	(void)h, (void)c, (void)q, (void)n, (void)l;
}

int main(void)
{
	const int before = vqf_count_fds();
	int ok = 0, failed_init = 0;
	for (int i = 0; i < 20; ++i) {
		votequorum_callbacks_t cb;
		memset(&cb, 0, sizeof cb);
		cb.votequorum_quorum_notify_fn = on_quorum;
		votequorum_handle_t h = 0;
		if (votequorum_initialize(&h, &cb) != CS_OK) {
			++failed_init;
			continue;
		}
		struct votequorum_info info;
		int fd = -1;
		votequorum_getinfo(h, 1, &info);
		votequorum_trackstart(h, 0, CS_TRACK_CURRENT | CS_TRACK_CHANGES);
		usleep(2000);
		votequorum_dispatch(h, CS_DISPATCH_ALL);
		votequorum_fd_get(h, &fd);
		votequorum_trackstop(h);
		/* As a careful caller does: finalize again while it reports
		 * anything but success or a bad handle. */
		cs_error_t e;
		for (int t = 0; t < 10 && (e = votequorum_finalize(h)) != CS_OK && e != CS_ERR_BAD_HANDLE; ++t) {
		}
		++ok;
	}
	printf("fds_leaked=%d sessions=%d failed_init=%d\n", vqf_count_fds() - before, ok, failed_init);
	return 0;
}
