/*
 * The node's syslog, for tests: receives datagrams on the unix socket PATH
 * (bound at the node's /dev/log) and appends each message, one per line,
 * to FILE, so that sbd's log outlives the node.
 *
 *   node_syslog PATH FILE
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: node_syslog PATH FILE\n");
		return 2;
	}
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || strlen(argv[1]) >= sizeof addr.sun_path) {
		perror("node_syslog: socket");
		return 1;
	}
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("node_syslog: bind");
		return 1;
	}
	FILE *out = fopen(argv[2], "a");
	if (out == NULL) {
		perror("node_syslog: open");
		return 1;
	}
	char buf[8192];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
		if (n <= 0)
			continue;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
			n--;
		buf[n] = '\0';
		fprintf(out, "%s\n", buf);
		fflush(out);
	}
}
