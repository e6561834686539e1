/* Every answer of libcorosync_common's three functions over a range that
 * covers each case and its neighbours, one line each, after the file the
 * dynamic linker took cs_strerror from. Linked to Debian's library, as
 * corosync's programs are; check_common.sh runs it on both libraries. */
#define _GNU_SOURCE
#include <corosync/corotypes.h>

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>

int main(void)
{
	Dl_info info;
	const int extremes[] = {INT_MIN, INT_MIN + 1, -1000000, 1000000, INT_MAX};
	int i;
	if (dladdr((void *)cs_strerror, &info) == 0 || info.dli_fname == NULL) {
		return 2;
	}
	printf("from %s\n", info.dli_fname);
	for (i = -3; i <= 130; i++) {
		printf("cs_strerror(%d) = %s\n", i, cs_strerror((cs_error_t)i));
	}
	for (i = -200; i <= 5; i++) {
		printf("hdb_error_to_cs(%d) = %d\n", i, (int)hdb_error_to_cs(i));
		printf("qb_to_cs_error(%d) = %d\n", i, (int)qb_to_cs_error(i));
	}
	for (i = 0; i < (int)(sizeof extremes / sizeof extremes[0]); i++) {
		printf("hdb_error_to_cs(%d) = %d\n", extremes[i], (int)hdb_error_to_cs(extremes[i]));
		printf("qb_to_cs_error(%d) = %d\n", extremes[i], (int)qb_to_cs_error(extremes[i]));
	}
	return 0;
}
