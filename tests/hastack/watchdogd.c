/*
 * The node's watchdog, for tests: the other end of watchdog_preload.c.
 *
 *   watchdogd SOCKET RECORD HOST_PIDNS
 *
 * Listens on the unix socket SOCKET. A connection is an open device: opening
 * arms it (the driver default, 60 s), 'T' sets the timeout, 'K' pings, 'D'
 * and 'E' stop and start it, 'V' allows the next close to stop it. When the
 * device is armed and has gone a whole timeout without a ping, the node is
 * reset: one line goes to RECORD, then reboot(2), which ends this PID
 * namespace and every process of the node, as a reset ends a machine.
 * That is done only when this process's PID namespace is not HOST_PIDNS
 * (the host's "pid:[N]"); otherwise it refuses, writes so, and exits 3.
 * Each ping also rewrites RECORD.feeds ("COUNT TIMEOUT ARMED"), so a test
 * can see the watchdog being fed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *record_path;
static char feeds_path[4096];

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void record(const char *fmt, double value)
{
	FILE *f = fopen(record_path, "a");
	if (f == NULL)
		return;
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	fprintf(f, "%lld.%03ld ", (long long)t.tv_sec, t.tv_nsec / 1000000);
	fprintf(f, fmt, value);
	fputc('\n', f);
	fclose(f);
}

static void write_feeds(unsigned long feeds, int timeout, int armed)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", feeds_path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL)
		return;
	fprintf(f, "%lu %d %d\n", feeds, timeout, armed);
	fclose(f);
	rename(tmp, feeds_path);
}

static int in_own_pid_namespace(const char *host)
{
	char mine[64] = "";
	ssize_t n = readlink("/proc/self/ns/pid", mine, sizeof mine - 1);
	if (n <= 0 || host == NULL || *host == '\0')
		return 0;
	mine[n] = '\0';
	return strcmp(mine, host) != 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: watchdogd SOCKET RECORD HOST_PIDNS\n");
		return 2;
	}
	record_path = argv[2];
	snprintf(feeds_path, sizeof feeds_path, "%s.feeds", record_path);
	if (!in_own_pid_namespace(argv[3])) {
		record("watchdogd REFUSED to start: in the host's PID namespace", 0);
		fprintf(stderr, "watchdogd: refusing to run in the host's PID namespace\n");
		return 3;
	}
	int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (listener < 0 || strlen(argv[1]) >= sizeof addr.sun_path) {
		perror("watchdogd: socket");
		return 1;
	}
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	if (bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(listener, 8) < 0) {
		perror("watchdogd: bind");
		return 1;
	}

	int client = -1, armed = 0, expect_close = 0, timeout = 60;
	unsigned long feeds = 0;
	double last_ping = now_seconds();
	write_feeds(feeds, timeout, armed);
	for (;;) {
		struct pollfd fds[2] = {{listener, POLLIN, 0}, {client, POLLIN, 0}};
		int wait_ms = 100;
		if (poll(fds, client >= 0 ? 2 : 1, wait_ms) < 0 && errno != EINTR) {
			perror("watchdogd: poll");
			return 1;
		}
		if (fds[0].revents & POLLIN) {
			int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0 && client >= 0) {
				close(fd);  /* a watchdog device opens once (EBUSY) */
			} else if (fd >= 0) {
				client = fd;
			}
		}
		if (client >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			char buf[64];
			ssize_t n = read(client, buf, sizeof buf);
			if (n <= 0) {
				/* Closed: the magic close stops it, any other close
				 * leaves it running, as the kernel does. */
				if (expect_close) {
					armed = 0;
					record("watchdog stopped by the magic close", 0);
				} else if (armed) {
					record("watchdog closed without the magic close: still armed, %.0f s", timeout);
				}
				close(client);
				client = -1;
				expect_close = 0;
				write_feeds(feeds, timeout, armed);
			} else {
				for (ssize_t i = 0; i < n; i++) {
					switch (buf[i]) {
					case 'O':
						armed = 1;
						last_ping = now_seconds();
						record("watchdog opened: armed, %.0f s", timeout);
						break;
					case 'T':
						if (i + 4 < n) {
							memcpy(&timeout, buf + i + 1, sizeof timeout);
							i += 4;
							record("watchdog timeout set to %.0f s", timeout);
						}
						/* setting the timeout pings */
						__attribute__((fallthrough));
					case 'K':
						feeds++;
						last_ping = now_seconds();
						expect_close = 0;
						break;
					case 'V':
						expect_close = 1;
						break;
					case 'D':
						armed = 0;
						record("watchdog disabled", 0);
						break;
					case 'E':
						armed = 1;
						last_ping = now_seconds();
						break;
					default:
						break;
					}
				}
				write_feeds(feeds, timeout, armed);
			}
		}
		double quiet = now_seconds() - last_ping;
		if (armed && quiet >= timeout) {
			record("RESET by the watchdog: no keep-alive for %.1f s", quiet);
			if (!in_own_pid_namespace(argv[3])) {
				record("watchdogd REFUSED to reset: in the host's PID namespace", 0);
				return 3;
			}
			sync();
			reboot(RB_AUTOBOOT);
			record("reboot(2) failed: %.0f", errno);
			return 1;
		}
	}
}
