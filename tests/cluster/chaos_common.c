#define _GNU_SOURCE
#include "chaos_common.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

void chaos_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

long long chaos_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int chaos_append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *len) {
		return -1;
	}
	*len += (size_t)n;
	return 0;
}

int chaos_signals(void)
{
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		perror("signalfd");
	}
	return sfd;
}

int chaos_poll(struct pollfd *p, nfds_t n, int timeout_ms, void (*answer)(long), long *answers, atomic_int *stop)
{
	if (poll(p, n, timeout_ms) < 0) {
		if (errno == EINTR) {
			return 1;
		}
		perror("poll");
		return -1;
	}
	if (!p[0].revents) {
		return 0;
	}
	struct signalfd_siginfo si;
	if (read(p[0].fd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGUSR1) {
			answer(++*answers);
		} else {
			atomic_store(stop, 1);
		}
	}
	return 1;
}

void chaos_write_answer(const char *path, const char *fmt, ...)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		perror(tmp);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		perror(path);
	}
}
