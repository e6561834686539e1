/*
 * Test helper: registers a quorum device NAME with the local votequorum,
 * polls it once with the current ring id (so it is alive and votes), and
 * exits without unregistering; the daemon keeps the registration.
 *   qdevice_helper NAME
 */
#include <corosync/votequorum.h>

#include <stdio.h>

static votequorum_ring_id_t ring;
static int have_ring;

static void on_nodelist(votequorum_handle_t h, uint64_t c, votequorum_ring_id_t r, uint32_t n, uint32_t ids[])
{
	(void)h; (void)c; (void)n; (void)ids;
	ring = r;
	have_ring = 1;
}

int main(int argc, char **argv)
{
	votequorum_callbacks_t cb = { NULL, NULL, on_nodelist };
	votequorum_handle_t h;
	cs_error_t err;

	if (argc != 2) {
		fprintf(stderr, "usage: qdevice_helper NAME\n");
		return 2;
	}
	err = votequorum_initialize(&h, &cb);
	if (err == CS_OK) err = votequorum_trackstart(h, 0, CS_TRACK_CURRENT);
	while (err == CS_OK && !have_ring) err = votequorum_dispatch(h, CS_DISPATCH_ONE);
	if (err == CS_OK) err = votequorum_qdevice_register(h, argv[1]);
	if (err == CS_OK) err = votequorum_qdevice_poll(h, argv[1], 1, ring);
	if (err != CS_OK) {
		fprintf(stderr, "qdevice_helper: error %d\n", err);
		return 1;
	}
	votequorum_finalize(h);
	return 0;
}
