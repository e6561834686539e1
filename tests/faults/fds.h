/* The fds this process has open (the directory read to count them left
 * out), or -1 if /proc/self/fd cannot be read: the one count that the walk's
 * driver, qb_only.c and session.c compare before and after. C and C++. */
#ifndef VQFAULT_FDS_H
#define VQFAULT_FDS_H

#include <dirent.h>

static inline int vqf_count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

#endif
