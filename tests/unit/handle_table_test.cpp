#include "stub_transport.hpp"

#include "core/connection.hpp"
#include "core/handle_table.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <set>
#include <thread>

namespace {

std::shared_ptr<vq::Connection> idle_connection()
{
	std::shared_ptr<vq::Connection> c;
	REQUIRE(vq::Connection::create(std::make_unique<vqtest::StubTransport>(4096), 0, c) == CS_OK);
	return c;
}

}  // namespace

TEST_CASE("handles: 0 and made-up values are never valid", "[handles]")
{
	vq::Handles<vq::Connection> table;
	auto h = table.insert(idle_connection());
	CHECK(h != 0);
	CHECK(table.find(0) == nullptr);
	CHECK(table.find(h + 1) == nullptr);
	CHECK(table.find(h ^ (1ull << 40)) == nullptr);
	CHECK(table.find(0xffffffff00000000ull | (h & 0xffffffffu)) == nullptr);  // forged check
	CHECK(table.find(1ull << 32) == nullptr);  // slot 0 with the first count, unscrambled
	CHECK(table.find(h) != nullptr);
}

TEST_CASE("handles: the check is private randomness, not a counter", "[handles]")
{
	// Each table draws its own key: the first handles of 16 tables (as of
	// 16 processes) are 16 different values, none of them 1 << 32. Two
	// equal ones would happen by chance about once in 30 million runs.
	std::set<uint64_t> firsts;
	for (int i = 0; i < 16; ++i) {
		vq::Handles<vq::Connection> table;
		const auto h = table.insert(idle_connection());
		CHECK((h & 0xffffffffu) == 0);  // slot 0
		CHECK(h != (1ull << 32));
		firsts.insert(h);
	}
	CHECK(firsts.size() == 16);
}

TEST_CASE("handles: removed handles are stale, values are not reused", "[handles]")
{
	vq::Handles<vq::Connection> table;
	std::set<uint64_t> seen;
	auto h = table.insert(idle_connection());
	seen.insert(h);
	for (int i = 0; i < 1000; ++i) {
		REQUIRE(table.remove(h) != nullptr);
		CHECK(table.find(h) == nullptr);
		CHECK(table.remove(h) == nullptr);  // finalize twice
		h = table.insert(idle_connection());
		CHECK(seen.insert(h).second);  // a fresh value every time
	}
}

TEST_CASE("handles: a connection outlives its removal while a caller holds it", "[handles]")
{
	vq::Handles<vq::Connection> table;
	auto h = table.insert(idle_connection());
	auto held = table.find(h);
	table.remove(h);
	CHECK(held.use_count() == 1);  // the table no longer holds it; the caller does
}

TEST_CASE("handles: concurrent insert and remove", "[handles]")
{
	vq::Handles<vq::Connection> table;
	std::vector<std::thread> threads;
	std::atomic<int> failures{0};
	for (int t = 0; t < 8; ++t) {
		threads.emplace_back([&] {
			for (int i = 0; i < 500; ++i) {
				std::shared_ptr<vq::Connection> c;
				vq::Connection::create(std::make_unique<vqtest::StubTransport>(4096), 0, c);
				auto h = table.insert(c);
				if (table.find(h) != c || table.remove(h) != c || table.find(h)) {
					++failures;
				}
			}
		});
	}
	for (auto& t : threads) {
		t.join();
	}
	CHECK(failures == 0);
}
