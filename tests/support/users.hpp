// Other users, for tests of whom a library trusts: a server run as another
// user (FakeServer's run_as), or a client that becomes one in a child
// process. And what a refused connection may leave behind: fds, ring
// buffers.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <set>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace vqtest {

struct User {
	uid_t uid;
	gid_t gid;
};

inline User user(const char* name)
{
	const passwd* pw = getpwnam(name);
	REQUIRE(pw != nullptr);
	return {pw->pw_uid, pw->pw_gid};
}

// Runs `body` in a child process that has become `as`; returns what it
// returned (its exit status), or -1.
template <class F>
int as_user(User as, F body)
{
	std::fflush(nullptr);
	pid_t child = fork();
	if (child == 0) {
		if (setgroups(0, nullptr) < 0 || setgid(as.gid) < 0 || setuid(as.uid) < 0) {
			_exit(120);
		}
		_exit(body());
	}
	int status = 0;
	waitpid(child, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The names in `dir` but . and ..; none if it cannot be read.
inline std::set<std::string> entries(const char* dir)
{
	std::set<std::string> names;
	if (DIR* d = opendir(dir)) {
		while (dirent* e = readdir(d)) {
			if (e->d_name[0] != '.') {
				names.insert(e->d_name);
			}
		}
		closedir(d);
	}
	return names;
}

// The ring buffers of connections to server `pid` still in /dev/shm
// (libqb's server makes them as qb-<its pid>-...), once they have had up to
// 5 s to go: a refused client's go once the server has seen it leave.
inline int rings_left_by(pid_t server)
{
	const std::string prefix = "qb-" + std::to_string(server) + "-";
	auto left = [&] {
		int n = 0;
		for (const auto& name : entries("/dev/shm")) {
			n += name.rfind(prefix, 0) == 0;
		}
		return n;
	};
	for (int i = 0; i < 500 && left() != 0; ++i) {
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	return left();
}

}  // namespace vqtest
