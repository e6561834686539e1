// One handle shared by threads, concurrent initialize, and fork.
#include "canned_daemon.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace vqtest;

TEST_CASE("8 threads sharing one handle each get their own replies", "[threads]")
{
	FakeServer server(CannedDaemon{});
	votequorum_handle_t h;
	REQUIRE(votequorum_initialize(&h, nullptr) == CS_OK);
	std::atomic<int> wrong{0}, failed{0};
	std::vector<std::thread> threads;
	for (unsigned t = 1; t <= 8; ++t) {
		threads.emplace_back([&, t] {
			for (unsigned i = 0; i < 300; ++i) {
				const unsigned node = t * 1000 + i;
				votequorum_info info;
				cs_error_t err;
				switch (i % 3) {
				case 0:
					err = votequorum_getinfo(h, node, &info);
					if (err == CS_OK && info.node_id != node) {
						++wrong;
					}
					break;
				case 1:
					err = votequorum_setexpected(h, 3);
					break;
				default:
					err = votequorum_dispatch(h, CS_DISPATCH_ALL);
				}
				if (err != CS_OK) {
					++failed;
				}
			}
		});
	}
	for (auto& t : threads) {
		t.join();
	}
	CHECK(wrong == 0);
	CHECK(failed == 0);
	votequorum_finalize(h);
}

TEST_CASE("concurrent initialize gives distinct working handles", "[threads]")
{
	FakeServer server(CannedDaemon{});
	std::vector<votequorum_handle_t> handles(8);
	std::vector<cs_error_t> results(8, CS_ERR_LIBRARY);  // Catch's assertions are not thread-safe
	std::vector<std::thread> threads;
	for (std::size_t t = 0; t < handles.size(); ++t) {
		threads.emplace_back([&, t] { results[t] = votequorum_initialize(&handles[t], nullptr); });
	}
	for (auto& t : threads) {
		t.join();
	}
	for (auto r : results) {
		CHECK(r == CS_OK);
	}
	CHECK(std::set<votequorum_handle_t>(handles.begin(), handles.end()).size() == handles.size());
	for (auto h : handles) {
		votequorum_info info;
		CHECK(votequorum_getinfo(h, 0, &info) == CS_OK);
		CHECK(votequorum_finalize(h) == CS_OK);
	}
}

TEST_CASE("finalize racing requests on other threads", "[threads]")
{
	FakeServer server(CannedDaemon{});
	for (int round = 0; round < 20; ++round) {
		votequorum_handle_t h;
		REQUIRE(votequorum_initialize(&h, nullptr) == CS_OK);
		std::atomic<int> odd{0};
		std::vector<std::thread> threads;
		for (int t = 0; t < 4; ++t) {
			threads.emplace_back([&] {
				for (int i = 0; i < 50; ++i) {
					votequorum_info info;
					cs_error_t err = votequorum_getinfo(h, 0, &info);
					if (err != CS_OK && err != CS_ERR_BAD_HANDLE) {
						++odd;
					}
				}
			});
		}
		CHECK(votequorum_finalize(h) == CS_OK);
		for (auto& t : threads) {
			t.join();
		}
		CHECK(odd == 0);
	}
}

TEST_CASE("fork: the process that goes on using a handle keeps it", "[fork]")
{
	FakeServer server(CannedDaemon{});
	votequorum_handle_t h;
	REQUIRE(votequorum_initialize(&h, nullptr) == CS_OK);

	SECTION("the child uses it, the parent exits as a daemonizing process does") {
		std::fflush(nullptr);
		pid_t child = fork();
		REQUIRE(child >= 0);
		if (child == 0) {
			// Wait for the "parent" (a grandchild stands in for it) to exit
			// through exit() and its atexit/static destructors first.
			pid_t parent_like = fork();
			if (parent_like == 0) {
				exit(0);
			}
			waitpid(parent_like, nullptr, 0);
			votequorum_info info;
			cs_error_t err = votequorum_getinfo(h, 7, &info);
			exit(err == CS_OK && info.node_id == 7 ? 0 : 1);
		}
		int status = 0;
		waitpid(child, &status, 0);
		CHECK(WIFEXITED(status));
		CHECK(WEXITSTATUS(status) == 0);
	}
	SECTION("the child exits without touching it, the parent goes on") {
		std::fflush(nullptr);
		pid_t child = fork();
		REQUIRE(child >= 0);
		if (child == 0) {
			exit(0);
		}
		waitpid(child, nullptr, 0);
		votequorum_info info;
		CHECK(votequorum_getinfo(h, 9, &info) == CS_OK);
		CHECK(info.node_id == 9);
	}
}
