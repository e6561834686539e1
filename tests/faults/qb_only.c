/* qb_only: libqb's client alone (no votequorum library), under the same
 * injector: connects to "votequorum" with point K of libqb's calls failing
 * (libvqfault.so counts the calls made by libqb) and prints how many fds the
 * process has more (or fewer) once the failed connection is gone:
 *
 *   LD_PRELOAD=libvqfault.so VQ_FAULT_AT=K qb_only
 *   -> "points=N fired=0|1 fd_delta=D"
 *
 * It shows what libqb leaves behind on its own (tests/faults/walk.sh runs
 * it at every point; docs/failures.md has the result). */
#include <qb/qbipcc.h>

#include <dlfcn.h>
#include <stdio.h>

#include "fds.h"

int main(void)
{
	void (*arm)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "vqfault_arm");
	void (*disarm)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "vqfault_disarm");
	long (*points)(void) = (long (*)(void))dlsym(RTLD_DEFAULT, "vqfault_count");
	int (*fired)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "vqfault_fired");
	if (arm == NULL || disarm == NULL || points == NULL || fired == NULL) {
		fprintf(stderr, "qb_only: run it with LD_PRELOAD=libvqfault.so\n");
		return 2;
	}
	/* A warm-up connection: libqb's statics. */
	qb_ipcc_connection_t* c = qb_ipcc_connect("votequorum", 256 * 1024);
	if (c == NULL) {
		fprintf(stderr, "qb_only: no votequorum service\n");
		return 2;
	}
	qb_ipcc_disconnect(c);
	const int before = vqf_count_fds();
	arm();
	c = qb_ipcc_connect("votequorum", 256 * 1024);
	disarm();
	if (c != NULL) {
		qb_ipcc_disconnect(c);
	}
	printf("points=%ld fired=%d connected=%d fd_delta=%d\n", points(), fired(), c != NULL, vqf_count_fds() - before);
	return 0;
}
