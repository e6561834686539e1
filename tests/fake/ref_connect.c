/*
 * Linked to Debian's libvotequorum8 (the reference), never to ours: connects
 * and asks getinfo, exiting with the resulting cs_error_t.
 */
#include <corosync/votequorum.h>

int main(void)
{
	votequorum_handle_t h;
	struct votequorum_info info;
	cs_error_t err = votequorum_initialize(&h, NULL);

	if (err == CS_OK) {
		err = votequorum_getinfo(h, 0, &info);
		votequorum_finalize(h);
	}
	return (int)err;
}
