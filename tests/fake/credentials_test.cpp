// Only a server running as root or as the caller's own uid is trusted:
// an impostor bound to "votequorum" by another user is refused.
#include "canned_daemon.hpp"
#include "users.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace vqtest;

namespace {

int connect_result()
{
	votequorum_handle_t h;
	cs_error_t err = votequorum_initialize(&h, nullptr);
	if (err == CS_OK) {
		votequorum_info info;
		err = votequorum_getinfo(h, 0, &info);
		votequorum_finalize(h);
	}
	return err;
}

// What Debian's library (ref_connect, linked to it and nothing of ours)
// gets from the current server.
int reference_connect_result()
{
	std::fflush(nullptr);
	pid_t child = fork();
	if (child == 0) {
		char* const env[] = {nullptr};
		execle(VQ_REF_CONNECT, VQ_REF_CONNECT, static_cast<char*>(nullptr), env);
		_exit(127);
	}
	int status = 0;
	waitpid(child, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("a votequorum server of another user is refused with CS_ERR_ACCESS, leaving nothing behind", "[credentials]")
{
	const User nobody = user("nobody");
	FakeServer impostor(CannedDaemon{}, {}, nobody.uid, nobody.gid);
	REQUIRE(reference_connect_result() == CS_OK);  // the impostor does serve
	const auto fds_before = entries("/proc/self/fd");
	votequorum_handle_t h = 0;
	CHECK(votequorum_initialize(&h, nullptr) == CS_ERR_ACCESS);
	CHECK(h == 0);
	votequorum_model_v1_data_t model{};
	model.model = VOTEQUORUM_MODEL_V1;
	CHECK(votequorum_model_initialize(&h, &model) == CS_ERR_ACCESS);
	CHECK(entries("/proc/self/fd") == fds_before);
	CHECK(rings_left_by(impostor.pid()) == 0);
}

TEST_CASE("the same server running as root is accepted", "[credentials]")
{
	FakeServer server(CannedDaemon{});
	CHECK(connect_result() == CS_OK);
}

TEST_CASE("a server running as the caller's own uid is accepted, another uid is not", "[credentials]")
{
	const User nobody = user("nobody"), daemon_user = user("daemon");
	{
		FakeServer same_user(CannedDaemon{}, {}, nobody.uid, nobody.gid);
		CHECK(as_user(nobody, connect_result) == CS_OK);
		CHECK(as_user(daemon_user, connect_result) == CS_ERR_ACCESS);
	}
	FakeServer root_server(CannedDaemon{});
	CHECK(as_user(nobody, connect_result) == CS_OK);  // root is trusted by everyone
}

TEST_CASE("the reference library connects to the impostor (the difference)", "[credentials][reference]")
{
	const User nobody = user("nobody");
	FakeServer impostor(CannedDaemon{}, {}, nobody.uid, nobody.gid);
	CHECK(reference_connect_result() == CS_OK);
	CHECK(connect_result() == CS_ERR_ACCESS);
}
