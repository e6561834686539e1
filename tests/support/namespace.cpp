#include "namespace.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vqtest {

namespace {

[[noreturn]] void die(const char* what)
{
	std::fprintf(stderr, "test isolation: %s: %s (these tests need root to make namespaces)\n", what,
		std::strerror(errno));
	std::exit(2);
}

void loopback_up()
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		die("socket");
	}
	ifreq req{};
	std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
	if (ioctl(sock, SIOCGIFFLAGS, &req) < 0) {
		die("SIOCGIFFLAGS lo");
	}
	req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
	if (ioctl(sock, SIOCSIFFLAGS, &req) < 0) {
		die("SIOCSIFFLAGS lo");
	}
	close(sock);
}

void private_tmpfs(const char* path, const char* mode)
{
	mkdir(path, 0755);
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, mode) < 0) {
		die(path);
	}
}

}  // namespace

void enter_private_namespaces(bool private_mounts)
{
	if (unshare(CLONE_NEWNET | (private_mounts ? CLONE_NEWNS : 0)) < 0) {
		die("unshare");
	}
	loopback_up();
	if (private_mounts) {
		if (mount("none", "/", "none", MS_REC | MS_PRIVATE, nullptr) < 0) {
			die("make / private");
		}
		private_tmpfs("/run", "mode=0755");
		private_tmpfs("/dev/shm", "mode=1777");  // as on a real system: every user makes IPC buffers here
		private_tmpfs("/var/lib/corosync", "mode=0755");
		private_tmpfs("/var/log/corosync", "mode=0755");
	}
}

}  // namespace vqtest
