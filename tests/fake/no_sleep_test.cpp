// Finalize never sleeps. This program defines the libc sleep functions
// itself (the dynamic linker binds the libraries' calls to the program's
// definitions, which the program exports); each counts the calls made
// straight from our library while a test says so, and then sleeps through
// libc's own. The case where a finalize used to wait (up to 200 ms): the
// server dropped our connection but is still alive, so "has it exited
// yet?" has no answer soon. libqb's own disconnect sleeps in that case too
// (4 x 10 ms here, counted apart and reported): that is libqb's, not ours.
#include "fake_server.hpp"

#include <corosync/votequorum.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <ctime>
#include <dlfcn.h>
#include <string>
#include <unistd.h>

namespace {
std::atomic<bool> g_counting{false};
std::atomic<int> g_sleeps{0};        // called from our library (or this program)
std::atomic<int> g_other_sleeps{0};  // called from another library (libqb)

// Whether `address` lies in one of our libraries or in this program.
bool ours(void* address)
{
	Dl_info info{};
	if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) {
		return true;
	}
	const std::string file = info.dli_fname;
	return file.find("libvotequorum.so") != std::string::npos || file.find("libquorum.so") != std::string::npos ||
		file.find("no_sleep_tests") != std::string::npos;
}

[[gnu::noinline]] void count_sleep(void* caller)
{
	if (g_counting.load()) {
		++(ours(caller) ? g_sleeps : g_other_sleeps);
	}
}

template <class F>
F real(const char* name)
{
	return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}
}  // namespace

extern "C" {
__attribute__((visibility("default"))) int usleep(useconds_t us)
{
	count_sleep(__builtin_return_address(0));
	return real<int (*)(useconds_t)>("usleep")(us);
}
__attribute__((visibility("default"))) int nanosleep(const timespec* req, timespec* rem)
{
	count_sleep(__builtin_return_address(0));
	return real<int (*)(const timespec*, timespec*)>("nanosleep")(req, rem);
}
__attribute__((visibility("default"))) int clock_nanosleep(clockid_t clock, int flags, const timespec* req, timespec* rem)
{
	count_sleep(__builtin_return_address(0));
	return real<int (*)(clockid_t, int, const timespec*, timespec*)>("clock_nanosleep")(clock, flags, req, rem);
}
__attribute__((visibility("default"))) unsigned int sleep(unsigned int seconds)
{
	count_sleep(__builtin_return_address(0));
	return real<unsigned int (*)(unsigned int)>("sleep")(seconds);
}
}

TEST_CASE("finalize does not sleep after a live server dropped the connection", "[finalize]")
{
	// The counting itself works: a sleep of ours is seen.
	g_counting = true;
	usleep(1);
	g_counting = false;
	REQUIRE(g_sleeps == 1);
	g_sleeps = 0;

	vqtest::FakeServer server([](vqtest::Peer& peer, int32_t, std::span<const std::byte>) { peer.disconnect_later(); });
	votequorum_handle_t h;
	REQUIRE(votequorum_initialize(&h, nullptr) == CS_OK);
	votequorum_info info;
	REQUIRE(votequorum_getinfo(h, 0, &info) == CS_ERR_LIBRARY);  // dropped, the server lives on
	g_counting = true;
	CHECK(votequorum_finalize(h) == CS_OK);
	g_counting = false;
	CHECK(g_sleeps == 0);
	WARN("sleeps inside libqb's disconnect: " << g_other_sleeps);
}
