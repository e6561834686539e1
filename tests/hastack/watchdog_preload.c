/*
 * A watchdog device for programs that cannot have a real one: LD_PRELOAD'ed
 * into sbd, it turns an open() of the watchdog path into a connection to the
 * node's test watchdog (watchdogd.c) and speaks the kernel's watchdog API on
 * that descriptor:
 *   write()                any write pings; a 'V' in it arms the magic close
 *   ioctl WDIOC_KEEPALIVE  ping
 *   ioctl WDIOC_SETTIMEOUT sets the timeout (seconds) and pings
 *   ioctl WDIOC_GETTIMEOUT, WDIOC_GETSUPPORT, WDIOC_GETSTATUS, WDIOC_GETBOOTSTATUS
 *   ioctl WDIOC_SETOPTIONS WDIOS_DISABLECARD / WDIOS_ENABLECARD
 * The other end decides when the "machine" resets.
 *
 * It also stands between the program and reboot(2): each call is written to
 * the node's record, and refused (the program is ended instead) unless the
 * caller is in a PID namespace other than the one named by
 * VQ_HOST_PIDNS, so that a reboot can only ever end that namespace.
 *
 * Settings (environment): VQ_WATCHDOG_DEV (the path that is the device, e.g.
 * /dev/watchdog), VQ_WATCHDOG_SOCKET (watchdogd's socket), VQ_RESET_RECORD
 * (a file that each reset attempt is appended to), VQ_HOST_PIDNS (the
 * host's "pid:[N]" link text).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { kMaxFd = 1024 };
static unsigned char is_watchdog[kMaxFd];
static int timeout_seconds = 60;  /* what a Linux watchdog driver starts with */

static int watchdog_fd(int fd) { return fd >= 0 && fd < kMaxFd && is_watchdog[fd]; }

static int is_device_path(const char *path)
{
	const char *dev = getenv("VQ_WATCHDOG_DEV");
	return path != NULL && dev != NULL && *dev != '\0' && strcmp(path, dev) == 0;
}

/* One message to watchdogd: an op letter and, for 'T', a 32-bit value. */
static int send_op(int fd, char op, int value)
{
	char msg[8];
	size_t len = 1;
	msg[0] = op;
	if (op == 'T') {
		memcpy(msg + 1, &value, sizeof value);
		len += sizeof value;
	}
	ssize_t (*real_send)(int, const void *, size_t, int) = dlsym(RTLD_NEXT, "send");
	return real_send(fd, msg, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int open_device(void)
{
	const char *path = getenv("VQ_WATCHDOG_SOCKET");
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (path == NULL || strlen(path) >= sizeof addr.sun_path) {
		errno = ENODEV;
		return -1;
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (fd >= kMaxFd || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || send_op(fd, 'O', 0) < 0) {
		int saved = errno;
		close(fd);
		errno = saved == 0 ? EBUSY : saved;
		return -1;
	}
	is_watchdog[fd] = 1;
	return fd;
}

/* The mode argument, which open() and openat() take only with O_CREAT or
 * O_TMPFILE (inside a variadic function whose last named argument is LAST). */
#define TAKE_MODE(last)                                                      \
	mode_t mode = 0;                                                     \
	if (flags & (O_CREAT | O_TMPFILE)) {                                 \
		va_list ap;                                                  \
		va_start(ap, last);                                          \
		mode = va_arg(ap, mode_t);                                   \
		va_end(ap);                                                  \
	}

#define OPEN_LIKE(name)                                                      \
	int name(const char *path, int flags, ...)                           \
	{                                                                    \
		TAKE_MODE(flags)                                             \
		if (is_device_path(path))                                    \
			return open_device();                                \
		int (*real)(const char *, int, ...) = dlsym(RTLD_NEXT, #name); \
		return real(path, flags, mode);                              \
	}
OPEN_LIKE(open)
OPEN_LIKE(open64)

#define OPENAT_LIKE(name)                                                    \
	int name(int dirfd, const char *path, int flags, ...)                \
	{                                                                    \
		TAKE_MODE(flags)                                             \
		if (is_device_path(path))                                    \
			return open_device();                                \
		int (*real)(int, const char *, int, ...) = dlsym(RTLD_NEXT, #name); \
		return real(dirfd, path, flags, mode);                       \
	}
OPENAT_LIKE(openat)
OPENAT_LIKE(openat64)

/* The fortified entry points (_FORTIFY_SOURCE builds call these). */
int __open_2(const char *path, int flags)
{
	return is_device_path(path) ? open_device() : open(path, flags);
}
int __open64_2(const char *path, int flags)
{
	return is_device_path(path) ? open_device() : open64(path, flags);
}

ssize_t write(int fd, const void *buf, size_t count)
{
	if (watchdog_fd(fd)) {
		/* The kernel pings on every write, and a 'V' anywhere in it
		 * allows the next close to stop the watchdog. */
		if (memchr(buf, 'V', count) != NULL && send_op(fd, 'V', 0) < 0)
			return -1;
		return send_op(fd, 'K', 0) < 0 ? -1 : (ssize_t)count;
	}
	ssize_t (*real)(int, const void *, size_t) = dlsym(RTLD_NEXT, "write");
	return real(fd, buf, count);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (!watchdog_fd(fd)) {
		int (*real)(int, unsigned long, ...) = dlsym(RTLD_NEXT, "ioctl");
		return real(fd, request, arg);
	}
	switch (request) {
	case WDIOC_KEEPALIVE:
		return send_op(fd, 'K', 0);
	case WDIOC_SETTIMEOUT: {
		int value = *(int *)arg;
		if (value < 1 || value > 3600) {
			errno = EINVAL;
			return -1;
		}
		timeout_seconds = value;
		return send_op(fd, 'T', value);
	}
	case WDIOC_GETTIMEOUT:
		*(int *)arg = timeout_seconds;
		return 0;
	case WDIOC_GETSTATUS:
	case WDIOC_GETBOOTSTATUS:
		*(int *)arg = 0;
		return 0;
	case WDIOC_GETSUPPORT: {
		struct watchdog_info *info = arg;
		memset(info, 0, sizeof *info);
		info->options = WDIOF_SETTIMEOUT | WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE;
		snprintf((char *)info->identity, sizeof info->identity, "votequorum test watchdog");
		return 0;
	}
	case WDIOC_SETOPTIONS: {
		int options = *(int *)arg;
		if (options & WDIOS_DISABLECARD)
			return send_op(fd, 'D', 0);
		if (options & WDIOS_ENABLECARD)
			return send_op(fd, 'E', 0);
		errno = EINVAL;
		return -1;
	}
	default:
		errno = ENOTTY;
		return -1;
	}
}

int close(int fd)
{
	if (watchdog_fd(fd))
		is_watchdog[fd] = 0;
	int (*real)(int) = dlsym(RTLD_NEXT, "close");
	return real(fd);
}

static void record(const char *what)
{
	const char *path = getenv("VQ_RESET_RECORD");
	if (path == NULL)
		return;
	int (*real_open)(const char *, int, ...) = dlsym(RTLD_NEXT, "open");
	int fd = real_open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char line[256];
	int len = snprintf(line, sizeof line, "%lld.%03ld %s pid %d\n", (long long)now.tv_sec,
			   now.tv_nsec / 1000000, what, (int)getpid());
	ssize_t (*real_write)(int, const void *, size_t) = dlsym(RTLD_NEXT, "write");
	if (len > 0)
		(void)real_write(fd, line, (size_t)len);
	int (*real_close)(int) = dlsym(RTLD_NEXT, "close");
	real_close(fd);
}

/* reboot(2) ends the caller's PID namespace when that is not the initial
 * one; in the host's namespace it would reset the machine. Refuse unless the
 * caller's namespace is provably another one. */
int reboot(int cmd)
{
	const char *host = getenv("VQ_HOST_PIDNS");
	char mine[64] = "";
	ssize_t n = readlink("/proc/self/ns/pid", mine, sizeof mine - 1);
	if (n > 0)
		mine[n] = '\0';
	if (host == NULL || *host == '\0' || n <= 0 || strcmp(mine, host) == 0) {
		record("reboot(2) REFUSED: not inside a node's own PID namespace");
		_exit(99);
	}
	record(cmd == RB_POWER_OFF ? "reboot(2) power-off by the program" : "reboot(2) by the program");
	int (*real)(int) = dlsym(RTLD_NEXT, "reboot");
	return real(cmd);
}
