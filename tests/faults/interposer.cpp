// libvqfault.so: an LD_PRELOAD fault injector for the `faults` tier.
//
// It interposes the allocation functions and the system calls a votequorum
// client makes (through our library or through libqb), and while armed it
// counts only the calls whose caller (the return address) lies in a mapping
// of libvotequorum*.so, libquorum.so or libqb.so: calls by the test program, by libc on its
// own behalf, or by the dynamic loader are neither counted nor failed. With
// VQ_FAULT_AT=k the k-th counted call (1-based) fails, once, with the errno
// of its kind (the table below; VQ_FAULT_ALT=1 picks the second errno of
// the calls that have one). The test program marks the operation with
// vqfault_arm() / vqfault_disarm(), which it finds with dlsym.
//
// While armed it also remembers every allocation the two libraries made
// and forgets it when freed (by anyone, armed or not): vqfault_live() is
// how many are still live, the leak check of the tier without a
// sanitizer's allocator in the way.
//
// VQ_FAULT_LOG=path appends one line per counted call ("k function") and
// one per failure ("k function FAILED errno"), for the walk's report.
#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <new>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define VQF_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

// --- the libraries whose calls count ---------------------------------------
struct Range {
	uintptr_t lo, hi;
	bool qb;  // libqb's (else ours)
};
constexpr int kMaxRanges = 32;
Range g_ranges[kMaxRanges];
std::atomic<int> g_nranges{0};

bool counted_object(const char* name)
{
	const char* base = std::strrchr(name, '/');
	base = base ? base + 1 : name;
	return std::strncmp(base, "libvotequorum", 13) == 0 || std::strncmp(base, "libquorum.so", 12) == 0 ||
		std::strncmp(base, "libqb.so", 8) == 0;
}

int collect(dl_phdr_info* info, size_t, void* data)
{
	int& n = *static_cast<int*>(data);
	if (info->dlpi_name == nullptr || !counted_object(info->dlpi_name)) {
		return 0;
	}
	for (int i = 0; i < info->dlpi_phnum && n < kMaxRanges; ++i) {
		const ElfW(Phdr)& ph = info->dlpi_phdr[i];
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
			g_ranges[n].lo = info->dlpi_addr + ph.p_vaddr;
			g_ranges[n].hi = info->dlpi_addr + ph.p_vaddr + ph.p_memsz;
			g_ranges[n].qb = std::strstr(info->dlpi_name, "libqb.so") != nullptr;
			++n;
		}
	}
	return 0;
}

// The counted object `ret` lies in: nullptr, "vq" (ours or the
// reference) or "qb".
const char* counted_caller(const void* ret)
{
	const auto a = reinterpret_cast<uintptr_t>(ret);
	const int n = g_nranges.load(std::memory_order_acquire);
	for (int i = 0; i < n; ++i) {
		if (a >= g_ranges[i].lo && a < g_ranges[i].hi) {
			return g_ranges[i].qb ? "qb" : "vq";
		}
	}
	return nullptr;
}
bool from_counted(const void* ret)
{
	return counted_caller(ret) != nullptr;
}

// --- state --------------------------------------------------------------------
std::atomic<bool> g_armed{false};
std::atomic<long> g_count{0};
long g_fail_at = 0;      // VQ_FAULT_AT: 0 never
bool g_alt = false;      // VQ_FAULT_ALT
int g_log_fd = -1;
int g_failed_errno = 0;  // the errno the chosen point failed with
thread_local int t_inside = 0;  // our own calls (logging, the real functions) never count

// The real functions, resolved at load; until then a static arena serves
// dlsym's own allocations.
alignas(16) char g_arena[8192];
std::size_t g_arena_used = 0;
bool in_arena(const void* p)
{
	return p >= g_arena && p < g_arena + sizeof g_arena;
}

using malloc_t = void* (*)(size_t);
using calloc_t = void* (*)(size_t, size_t);
using realloc_t = void* (*)(void*, size_t);
using free_t = void (*)(void*);
malloc_t real_malloc;
calloc_t real_calloc;
realloc_t real_realloc;
free_t real_free;

template <class F>
F next(const char* name)
{
	return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

void log_line(const char* text)
{
	if (g_log_fd >= 0) {
		[[maybe_unused]] ssize_t n = syscall(SYS_write, g_log_fd, text, std::strlen(text));
	}
}

// The decision for one call of `fn`: true = fail it (errno is set).
// `primary`/`alt`: the errnos of this kind of call.
bool fault(const void* ret, const char* fn, int primary, int alt = 0)
{
	if (!g_armed.load(std::memory_order_relaxed) || t_inside != 0) {
		return false;
	}
	const char* who = counted_caller(ret);
	if (who == nullptr) {
		return false;
	}
	const long k = g_count.fetch_add(1, std::memory_order_relaxed) + 1;
	const bool fail = k == g_fail_at;
	char line[128];
	const int err = (g_alt && alt != 0) ? alt : primary;
	if (fail) {
		std::snprintf(line, sizeof line, "%ld %s@%s FAILED %s\n", k, fn, who, strerrorname_np(err));
		g_failed_errno = err;
	} else {
		std::snprintf(line, sizeof line, "%ld %s@%s%s\n", k, fn, who, alt != 0 ? " alt" : "");
	}
	++t_inside;
	log_line(line);
	--t_inside;
	if (fail) {
		errno = err;
	}
	return fail;
}

// --- live allocations of the two libraries made while armed -----------------
constexpr std::size_t kSlots = 1 << 14;
std::atomic<uintptr_t> g_live[kSlots];
std::atomic<long> g_nlive{0};

std::size_t slot_of(uintptr_t p)
{
	return (p >> 4) * 0x9e3779b97f4a7c15ull >> 50;  // 14 bits
}
// Pointers are kept inverted: LeakSanitizer must not take the table for a
// reference to what it tracks.
void track(const void* ret, void* p)
{
	if (p == nullptr || !g_armed.load(std::memory_order_relaxed) || t_inside != 0 || !from_counted(ret)) {
		return;
	}
	const auto v = ~reinterpret_cast<uintptr_t>(p);
	for (std::size_t i = slot_of(v), n = 0; n < kSlots; ++n, i = (i + 1) & (kSlots - 1)) {
		uintptr_t empty = 0;
		if (g_live[i].compare_exchange_strong(empty, v)) {
			g_nlive.fetch_add(1);
			return;
		}
	}
}
void untrack(void* p)
{
	if (p == nullptr || g_nlive.load(std::memory_order_relaxed) == 0) {
		return;
	}
	const auto v = ~reinterpret_cast<uintptr_t>(p);
	for (std::size_t i = slot_of(v), n = 0; n < kSlots; ++n, i = (i + 1) & (kSlots - 1)) {
		uintptr_t expect = v;
		if (g_live[i].compare_exchange_strong(expect, 1)) {  // 1: a tombstone
			g_nlive.fetch_sub(1);
			return;
		}
		if (expect == 0) {
			return;
		}
	}
}

__attribute__((constructor)) void init()
{
	++t_inside;
	real_malloc = next<malloc_t>("malloc");
	real_calloc = next<calloc_t>("calloc");
	real_realloc = next<realloc_t>("realloc");
	real_free = next<free_t>("free");
	if (const char* at = std::getenv("VQ_FAULT_AT")) {
		g_fail_at = std::atol(at);
	}
	if (const char* alt = std::getenv("VQ_FAULT_ALT")) {
		g_alt = std::strcmp(alt, "1") == 0;
	}
	if (const char* path = std::getenv("VQ_FAULT_LOG")) {
		g_log_fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
	}
	--t_inside;
}

}  // namespace

// --- the markers ----------------------------------------------------------------
VQF_EXPORT void vqfault_arm()
{
	int n = 0;
	dl_iterate_phdr(collect, &n);
	g_nranges.store(n, std::memory_order_release);
	g_armed.store(true);
}
VQF_EXPORT void vqfault_disarm()
{
	g_armed.store(false);
}
VQF_EXPORT long vqfault_count()
{
	return g_count.load();
}
VQF_EXPORT long vqfault_live()
{
	return g_nlive.load();
}
// Whether the chosen point was reached (and failed).
VQF_EXPORT int vqfault_fired()
{
	return g_fail_at != 0 && g_count.load() >= g_fail_at;
}
// The errno the failed point was given (0: none failed).
VQF_EXPORT int vqfault_errno()
{
	return g_failed_errno;
}

// --- allocation ------------------------------------------------------------------
#define RET __builtin_return_address(0)

VQF_EXPORT void* malloc(size_t size)
{
	if (real_malloc == nullptr) {
		void* p = g_arena + g_arena_used;
		g_arena_used += (size + 15) & ~std::size_t{15};
		return g_arena_used <= sizeof g_arena ? p : nullptr;
	}
	if (fault(RET, "malloc", ENOMEM)) {
		return nullptr;
	}
	void* p = real_malloc(size);
	track(RET, p);
	return p;
}

VQF_EXPORT void* calloc(size_t n, size_t size)
{
	if (real_calloc == nullptr) {
		void* p = g_arena + g_arena_used;
		g_arena_used += (n * size + 15) & ~std::size_t{15};
		return g_arena_used <= sizeof g_arena ? p : nullptr;  // static: already zero
	}
	if (fault(RET, "calloc", ENOMEM)) {
		return nullptr;
	}
	void* p = real_calloc(n, size);
	track(RET, p);
	return p;
}

VQF_EXPORT void* realloc(void* old, size_t size)
{
	if (in_arena(old)) {
		void* p = malloc(size);
		if (p != nullptr) {
			std::memcpy(p, old, size);
		}
		return p;
	}
	if (fault(RET, "realloc", ENOMEM)) {
		return nullptr;
	}
	void* p = real_realloc(old, size);
	if (p != nullptr) {
		untrack(old);
		track(RET, p);
	}
	return p;
}

VQF_EXPORT void free(void* p)
{
	if (p == nullptr || in_arena(p)) {
		return;
	}
	untrack(p);
	real_free(p);
}

VQF_EXPORT char* strdup(const char* s)
{
	if (fault(RET, "strdup", ENOMEM)) {
		return nullptr;
	}
	const size_t n = std::strlen(s) + 1;
	auto* p = static_cast<char*>(real_malloc(n));
	if (p != nullptr) {
		std::memcpy(p, s, n);
		track(RET, p);
	}
	return p;
}

VQF_EXPORT char* strndup(const char* s, size_t max)
{
	if (fault(RET, "strndup", ENOMEM)) {
		return nullptr;
	}
	const size_t n = strnlen(s, max);
	auto* p = static_cast<char*>(real_malloc(n + 1));
	if (p != nullptr) {
		std::memcpy(p, s, n);
		p[n] = '\0';
		track(RET, p);
	}
	return p;
}

namespace {
void* new_impl(const void* ret, size_t size, bool nothrow)
{
	if (fault(ret, "operator_new", ENOMEM)) {
		if (nothrow) {
			return nullptr;
		}
		throw std::bad_alloc();
	}
	void* p = real_malloc(size == 0 ? 1 : size);
	if (p == nullptr) {
		if (nothrow) {
			return nullptr;
		}
		throw std::bad_alloc();
	}
	track(ret, p);
	return p;
}
}  // namespace

VQF_EXPORT void* _Znwm(size_t size)
{
	return new_impl(RET, size, false);
}
VQF_EXPORT void* _Znam(size_t size)
{
	return new_impl(RET, size, false);
}
VQF_EXPORT void* _ZnwmRKSt9nothrow_t(size_t size, const std::nothrow_t&) noexcept
{
	return new_impl(RET, size, true);
}
VQF_EXPORT void* _ZnamRKSt9nothrow_t(size_t size, const std::nothrow_t&) noexcept
{
	return new_impl(RET, size, true);
}
// operator delete (every form) frees with free(): libstdc++'s do, and ours
// must match what new_impl allocated.
VQF_EXPORT void _ZdlPv(void* p) noexcept
{
	free(p);
}
VQF_EXPORT void _ZdaPv(void* p) noexcept
{
	free(p);
}
VQF_EXPORT void _ZdlPvm(void* p, size_t) noexcept
{
	free(p);
}
VQF_EXPORT void _ZdaPvm(void* p, size_t) noexcept
{
	free(p);
}

// --- system calls ------------------------------------------------------------------
// Each: the fault check, then the next definition (libc's).
#define VQF_NEXT(name, type) static const auto real = next<type>(#name)

VQF_EXPORT void* mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off)
{
	VQF_NEXT(mmap, void* (*)(void*, size_t, int, int, int, off_t));
	if (fault(RET, "mmap", ENOMEM)) {
		return MAP_FAILED;
	}
	return real(addr, len, prot, flags, fd, off);
}

VQF_EXPORT int socket(int domain, int type, int protocol)
{
	VQF_NEXT(socket, int (*)(int, int, int));
	if (fault(RET, "socket", EMFILE, ENOBUFS)) {
		return -1;
	}
	return real(domain, type, protocol);
}

VQF_EXPORT int connect(int fd, const sockaddr* addr, socklen_t len)
{
	VQF_NEXT(connect, int (*)(int, const sockaddr*, socklen_t));
	if (fault(RET, "connect", EAGAIN, EINTR)) {
		return -1;
	}
	return real(fd, addr, len);
}

VQF_EXPORT int setsockopt(int fd, int level, int name, const void* value, socklen_t len)
{
	VQF_NEXT(setsockopt, int (*)(int, int, int, const void*, socklen_t));
	if (fault(RET, "setsockopt", ENOMEM)) {
		return -1;
	}
	return real(fd, level, name, value, len);
}

VQF_EXPORT int getsockopt(int fd, int level, int name, void* value, socklen_t* len)
{
	VQF_NEXT(getsockopt, int (*)(int, int, int, void*, socklen_t*));
	if (fault(RET, "getsockopt", ENOBUFS)) {
		return -1;
	}
	return real(fd, level, name, value, len);
}

VQF_EXPORT int open(const char* path, int flags, ...)
{
	VQF_NEXT(open, int (*)(const char*, int, ...));
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = static_cast<mode_t>(va_arg(ap, int));
		va_end(ap);
	}
	if (fault(RET, "open", EMFILE, ENFILE)) {
		return -1;
	}
	return real(path, flags, mode);
}

VQF_EXPORT int openat(int dirfd, const char* path, int flags, ...)
{
	VQF_NEXT(openat, int (*)(int, const char*, int, ...));
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = static_cast<mode_t>(va_arg(ap, int));
		va_end(ap);
	}
	if (fault(RET, "openat", EMFILE, ENFILE)) {
		return -1;
	}
	return real(dirfd, path, flags, mode);
}

VQF_EXPORT int ftruncate(int fd, off_t length)
{
	VQF_NEXT(ftruncate, int (*)(int, off_t));
	if (fault(RET, "ftruncate", ENOSPC)) {
		return -1;
	}
	return real(fd, length);
}

VQF_EXPORT int posix_fallocate(int fd, off_t off, off_t len)
{
	VQF_NEXT(posix_fallocate, int (*)(int, off_t, off_t));
	if (fault(RET, "posix_fallocate", ENOSPC)) {
		return ENOSPC;  // returns the error, errno untouched
	}
	return real(fd, off, len);
}

VQF_EXPORT ssize_t recv(int fd, void* buf, size_t len, int flags)
{
	VQF_NEXT(recv, ssize_t (*)(int, void*, size_t, int));
	if (fault(RET, "recv", ECONNRESET, ENOMEM)) {
		return -1;
	}
	return real(fd, buf, len, flags);
}

VQF_EXPORT ssize_t recvmsg(int fd, msghdr* msg, int flags)
{
	VQF_NEXT(recvmsg, ssize_t (*)(int, msghdr*, int));
	if (fault(RET, "recvmsg", ECONNRESET, ENOMEM)) {
		return -1;
	}
	return real(fd, msg, flags);
}

VQF_EXPORT ssize_t send(int fd, const void* buf, size_t len, int flags)
{
	VQF_NEXT(send, ssize_t (*)(int, const void*, size_t, int));
	if (fault(RET, "send", EAGAIN, ECONNRESET)) {
		return -1;
	}
	return real(fd, buf, len, flags);
}

VQF_EXPORT ssize_t sendmsg(int fd, const msghdr* msg, int flags)
{
	VQF_NEXT(sendmsg, ssize_t (*)(int, const msghdr*, int));
	if (fault(RET, "sendmsg", EAGAIN, ECONNRESET)) {
		return -1;
	}
	return real(fd, msg, flags);
}

VQF_EXPORT ssize_t read(int fd, void* buf, size_t len)
{
	VQF_NEXT(read, ssize_t (*)(int, void*, size_t));
	if (fault(RET, "read", EINTR, EAGAIN)) {
		return -1;
	}
	return real(fd, buf, len);
}

VQF_EXPORT ssize_t write(int fd, const void* buf, size_t len)
{
	VQF_NEXT(write, ssize_t (*)(int, const void*, size_t));
	if (fault(RET, "write", EINTR, EAGAIN)) {
		return -1;
	}
	return real(fd, buf, len);
}

VQF_EXPORT ssize_t writev(int fd, const iovec* iov, int n)
{
	VQF_NEXT(writev, ssize_t (*)(int, const iovec*, int));
	if (fault(RET, "writev", EINTR, EAGAIN)) {
		return -1;
	}
	return real(fd, iov, n);
}

VQF_EXPORT int eventfd(unsigned int initval, int flags)
{
	VQF_NEXT(eventfd, int (*)(unsigned int, int));
	if (fault(RET, "eventfd", EMFILE, ENOMEM)) {
		return -1;
	}
	return real(initval, flags);
}

VQF_EXPORT int poll(pollfd* fds, nfds_t n, int timeout)
{
	VQF_NEXT(poll, int (*)(pollfd*, nfds_t, int));
	if (fault(RET, "poll", EINTR, ENOMEM)) {
		return -1;
	}
	return real(fds, n, timeout);
}

VQF_EXPORT ssize_t getrandom(void* buf, size_t len, unsigned int flags)
{
	VQF_NEXT(getrandom, ssize_t (*)(void*, size_t, unsigned int));
	if (fault(RET, "getrandom", EAGAIN, EINTR)) {
		return -1;
	}
	return real(buf, len, flags);
}

VQF_EXPORT int sem_timedwait(sem_t* sem, const timespec* abstime)
{
	VQF_NEXT(sem_timedwait, int (*)(sem_t*, const timespec*));
	if (fault(RET, "sem_timedwait", EINTR)) {
		return -1;
	}
	return real(sem, abstime);
}

VQF_EXPORT int sem_wait(sem_t* sem)
{
	VQF_NEXT(sem_wait, int (*)(sem_t*));
	if (fault(RET, "sem_wait", EINTR)) {
		return -1;
	}
	return real(sem);
}

VQF_EXPORT int pthread_key_create(pthread_key_t* key, void (*destructor)(void*))
{
	VQF_NEXT(pthread_key_create, int (*)(pthread_key_t*, void (*)(void*)));
	if (fault(RET, "pthread_key_create", EAGAIN)) {
		return EAGAIN;
	}
	return real(key, destructor);
}

VQF_EXPORT int pthread_setspecific(pthread_key_t key, const void* value)
{
	VQF_NEXT(pthread_setspecific, int (*)(pthread_key_t, const void*));
	if (fault(RET, "pthread_setspecific", ENOMEM)) {
		return ENOMEM;
	}
	return real(key, value);
}
