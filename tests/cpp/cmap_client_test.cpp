// cmap::Client against the canned cmap server and the real daemon: values of
// every kind, typed getters, keys (at once, and walked as a range), the stats map, tracks and their events (one untracked
// from inside the handler), key checks, errors, close and move.
#include "canned_cmap.hpp"
#include "corosync.hpp"

#include <catch2/catch.hpp>

#include <cmap/client.hpp>

#include <algorithm>
#include <poll.h>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

using namespace vqtest;

namespace {

FakeServer canned(CannedCmap daemon = {})
{
	auto shared = std::make_shared<CannedCmap>(std::move(daemon));
	on_connection_closed([shared](qb_ipcs_connection_t* c) { shared->forget(c); });
	return FakeServer({cmap_service([shared](Peer& peer, int32_t id, std::span<const std::byte> req) {
		(*shared)(peer, id, req);
	})});
}

std::string text(std::span<const std::byte> bytes)
{
	return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace

TEST_CASE("C++ cmap: no daemon is CS_ERR_LIBRARY", "[cpp][cmap]")
{
	auto c = cmap::Client::connect();
	REQUIRE_FALSE(c);
	CHECK(c.error() == make_error_code(CS_ERR_LIBRARY));
}

TEST_CASE("C++ cmap: values of every kind, typed and untyped", "[cpp][cmap]")
{
	FakeServer server = canned();
	auto c = cmap::Client::connect();
	REQUIRE(c);
	CHECK_FALSE(c->set_number<int8_t>("t.i8", -8));
	CHECK_FALSE(c->set_number<uint16_t>("t.u16", 60000));
	CHECK_FALSE(c->set_number<uint32_t>("t.u32", 4000000000u));
	CHECK_FALSE(c->set_number<int64_t>("t.i64", -6400000000ll));
	CHECK_FALSE(c->set_number<double>("t.dbl", -2.25));
	CHECK_FALSE(c->set_string("t.str", "hello"));
	const cmap::Value blob{CMAP_VALUETYPE_BINARY, {std::byte{0}, std::byte{1}, std::byte{0xff}}};
	CHECK_FALSE(c->set("t.bin", blob));

	CHECK(c->get_number<int8_t>("t.i8").value() == -8);
	CHECK(c->get_number<uint16_t>("t.u16").value() == 60000);
	CHECK(c->get_number<uint32_t>("t.u32").value() == 4000000000u);
	CHECK(c->get_number<int64_t>("t.i64").value() == -6400000000ll);
	CHECK(c->get_number<double>("t.dbl").value() == -2.25);
	CHECK(c->get_string("t.str").value() == "hello");
	CHECK(c->get("t.bin").value() == blob);
	CHECK(c->get("t.str")->bytes.size() == 6);  // the string's NUL, as the daemon holds it
	// Another type, or no such key.
	CHECK(c->get_number<uint32_t>("t.i64").error() == make_error_code(CS_ERR_INVALID_PARAM));
	CHECK(c->get_string("t.u32").error() == make_error_code(CS_ERR_INVALID_PARAM));
	CHECK(c->get("t.none").error() == make_error_code(CS_ERR_NOT_EXIST));

	CHECK_FALSE(c->inc("t.u32"));
	CHECK_FALSE(c->dec("t.u32"));
	CHECK_FALSE(c->dec("t.u32"));
	CHECK(c->get_number<uint32_t>("t.u32").value() == 3999999999u);
	CHECK_FALSE(c->remove("t.u32"));
	CHECK(c->remove("t.u32") == make_error_code(CS_ERR_NOT_EXIST));

	// Keys and values the library refuses before sending anything.
	const std::string too_long(CMAP_KEYNAME_MAXLEN + 1, 'k');
	CHECK(c->get(too_long).error() == make_error_code(CS_ERR_NAME_TOO_LONG));
	CHECK(c->get("").error() == make_error_code(CS_ERR_INVALID_PARAM));
	CHECK(c->get(std::string_view("a\0b", 3)).error() == make_error_code(CS_ERR_INVALID_PARAM));
	CHECK(c->set("t.x", cmap::Value{13, {}}) == make_error_code(CS_ERR_INVALID_PARAM));
	CHECK(c->set_string("t.x", std::string_view("a\0b", 3)) == make_error_code(CS_ERR_INVALID_PARAM));
	CHECK(c->remove(too_long) == make_error_code(CS_ERR_NAME_TOO_LONG));
	CHECK(c->keys(too_long).error() == make_error_code(CS_ERR_NAME_TOO_LONG));
}

TEST_CASE("C++ cmap: keys under a prefix, and the stats map", "[cpp][cmap]")
{
	FakeServer server = canned();
	auto c = cmap::Client::connect();
	REQUIRE(c);
	CHECK_FALSE(c->set_number<uint8_t>("n.a", 1));
	CHECK_FALSE(c->set_string("n.b", "xy"));
	auto keys = c->keys("n.");
	REQUIRE(keys);
	CHECK(*keys == std::vector<cmap::Entry>{{"n.a", 1, CMAP_VALUETYPE_UINT8}, {"n.b", 3, CMAP_VALUETYPE_STRING}});
	CHECK(c->keys("none.")->empty());
	CHECK(c->keys()->size() == 4);  // the two the server starts with, and these two

	auto stats = cmap::Client::connect({}, {}, cmap::Map::stats);
	REQUIRE(stats);
	CHECK(stats->get_number<uint64_t>("stats.ipcs.global.active").value() == 0x0101010101010101ull);
	CHECK(stats->get("totem.version").error() == make_error_code(CS_ERR_NOT_EXIST));
}

TEST_CASE("C++ cmap: tracks deliver changes to the handler, and one untracks itself", "[cpp][cmap]")
{
	FakeServer server = canned();
	std::vector<std::string> seen;
	cmap::Client* self = nullptr;
	cmap_track_handle_t key_track = 0, prefix_track = 0;
	auto c = cmap::Client::connect([&](const cmap::ChangeEvent& e) {
		seen.push_back(std::string(e.track == key_track ? "key " : "prefix ") + std::to_string(e.event) + " " +
			std::string(e.key) + " " + std::to_string(e.new_value.type) + ":" + text(e.new_value.bytes) + " " +
			std::to_string(e.old_value.type) + ":" + text(e.old_value.bytes));
		if (e.track == key_track && e.event == CMAP_TRACK_DELETE) {
			CHECK_FALSE(self->untrack(key_track));
		}
	});
	REQUIRE(c);
	self = &c.value();
	key_track = c->track("w.x", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE).value();
	prefix_track = c->track("w.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX).value();
	CHECK(key_track != prefix_track);
	CHECK_FALSE(c->set("w.x", {CMAP_VALUETYPE_BINARY, {std::byte{'a'}}}));
	CHECK_FALSE(c->set("w.x", {CMAP_VALUETYPE_BINARY, {std::byte{'b'}}}));
	CHECK_FALSE(c->remove("w.x"));
	// The key track's change of this one comes after the handler untracked
	// it: skipped.
	CHECK_FALSE(c->set("w.x", {CMAP_VALUETYPE_BINARY, {std::byte{'c'}}}));
	CHECK_FALSE(c->dispatch(CS_DISPATCH_ALL));
	CHECK(seen == std::vector<std::string>{"key 4 w.x 12:a 0:", "prefix 4 w.x 12:a 0:", "key 2 w.x 12:b 12:a",
		"key 1 w.x 0: 12:b", "prefix 4 w.x 12:c 0:"});
	CHECK(c->untrack(key_track) == make_error_code(CS_ERR_BAD_HANDLE));
	CHECK_FALSE(c->untrack(prefix_track));
}

TEST_CASE("C++ cmap: a closed or moved-from client answers CS_ERR_BAD_HANDLE", "[cpp][cmap]")
{
	FakeServer server = canned();
	auto c = cmap::Client::connect();
	REQUIRE(c);
	cmap::Client moved = std::move(c.value());
	CHECK(c->get("totem.version").error() == make_error_code(CS_ERR_BAD_HANDLE));
	CHECK(moved.get_number<uint32_t>("totem.version").value() == 2);
	moved.close();
	CHECK_FALSE(moved.is_open());
	CHECK(moved.get("totem.version").error() == make_error_code(CS_ERR_BAD_HANDLE));
	CHECK(moved.track("a.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX).error() == make_error_code(CS_ERR_BAD_HANDLE));
	CHECK(moved.keys().error() == make_error_code(CS_ERR_BAD_HANDLE));
	CHECK(moved.iterate().error() == make_error_code(CS_ERR_BAD_HANDLE));
	CHECK(c->iterate().error() == make_error_code(CS_ERR_BAD_HANDLE));
}

static_assert(std::ranges::input_range<cmap::KeyRange>);

TEST_CASE("C++ cmap: keys walked as a range, the daemon's iterator released at its end", "[cpp][cmap]")
{
	CannedCmap daemon;
	const auto open = daemon.open_iterators;
	FakeServer server = canned(std::move(daemon));
	auto c = cmap::Client::connect();
	REQUIRE(c);
	for (const char* k : {"r.a", "r.b", "r.c", "s.a"}) {
		REQUIRE_FALSE(c->set_number<uint16_t>(k, 7));
	}
	const std::vector<cmap::Entry> all = c->keys("r.").value();
	REQUIRE(all.size() == 3);
	CHECK(*open == 0);

	// A range-for walks what keys() returned, one request per key, and
	// the iterator is released once the walk has reached the end.
	{
		auto range = c->iterate("r.");
		REQUIRE(range);
		CHECK(*open == 1);
		std::vector<cmap::Entry> walked;
		for (const cmap::Entry& e : *range) {
			walked.push_back(e);
			CHECK(*open == 1);
		}
		CHECK(walked == all);
		CHECK_FALSE(range->error());
		CHECK(*open == 0);
		CHECK(range->begin() == range->end());  // walked once
	}

	// With the standard views and algorithms.
	{
		auto range = c->iterate();
		REQUIRE(range);
		auto names = *range | std::views::transform([](const cmap::Entry& e) { return e.key; }) |
			std::views::filter([](const std::string& k) { return k.ends_with(".a"); });
		std::vector<std::string> found;
		std::ranges::copy(names, std::back_inserter(found));
		CHECK(found == std::vector<std::string>{"r.a", "s.a"});
	}

	// Left halfway, the range releases the iterator when it goes.
	{
		auto range = c->iterate("r.");
		REQUIRE(range);
		auto it = range->begin();
		REQUIRE(it != range->end());
		CHECK(it->key == "r.a");
		++it;
		CHECK(it->key == "r.b");
		CHECK(*open == 1);
	}
	CHECK(*open == 0);

	// A prefix the library refuses opens nothing; one with no key walks
	// nothing, and no error.
	CHECK(c->iterate(std::string(CMAP_KEYNAME_MAXLEN + 1, 'k')).error() == make_error_code(CS_ERR_NAME_TOO_LONG));
	auto none = c->iterate("none.");
	REQUIRE(none);
	CHECK(none->begin() == none->end());
	CHECK_FALSE(none->error());
	CHECK(*open == 0);
}

TEST_CASE("C++ cmap: a range outlives its client: the walk ends with CS_ERR_BAD_HANDLE", "[cpp][cmap]")
{
	FakeServer server = canned();
	std::optional<cmap::KeyRange> range;
	{
		auto c = cmap::Client::connect();
		REQUIRE(c);
		REQUIRE_FALSE(c->set_number<uint8_t>("g.a", 1));
		REQUIRE_FALSE(c->set_number<uint8_t>("g.b", 2));
		auto r = c->iterate("g.");
		REQUIRE(r);
		range.emplace(std::move(*r));
		auto it = range->begin();
		REQUIRE(it != range->end());
		CHECK(it->key == "g.a");
	}  // the client goes: its connection closes
	auto it = range->begin();
	CHECK(it->key == "g.a");  // the key found before
	++it;
	CHECK(it == range->end());
	CHECK(range->error() == make_error_code(CS_ERR_BAD_HANDLE));

	// A moved-from range walks nothing.
	cmap::KeyRange other = std::move(*range);
	CHECK(range->begin() == range->end());
	CHECK(range->error() == make_error_code(CS_ERR_BAD_HANDLE));
	CHECK(other.error() == make_error_code(CS_ERR_BAD_HANDLE));
}

TEST_CASE("C++ cmap: the real daemon: typed values, its nodelist walked as a range, a track", "[cpp][cmap][daemon]")
{
	PrivateCorosync corosync;
	std::vector<std::string> changes;
	auto c = cmap::Client::connect([&](const cmap::ChangeEvent& e) { changes.push_back(std::string(e.key)); });
	REQUIRE(c);
	CHECK(c->get_string("totem.cluster_name").value() == "vqtest");
	CHECK(c->get_number<uint32_t>("runtime.votequorum.this_node_id").value() == 1);

	// The private corosync's one node, as corosync.conf names it.
	auto range = c->iterate("nodelist.node.0.");
	REQUIRE(range);
	std::vector<std::string> keys;
	for (const cmap::Entry& e : *range) {
		keys.push_back(e.key);
	}
	CHECK_FALSE(range->error());
	CHECK(keys == std::vector<std::string>{"nodelist.node.0.name", "nodelist.node.0.nodeid", "nodelist.node.0.ring0_addr"});
	CHECK(c->keys("nodelist.node.0.").value().size() == 3);

	const auto track = c->track("vqtest.cpp.", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_PREFIX);
	REQUIRE(track);
	REQUIRE_FALSE(c->set_number<int64_t>("vqtest.cpp.n", -5));
	REQUIRE_FALSE(c->inc("vqtest.cpp.n"));
	CHECK(c->get_number<int64_t>("vqtest.cpp.n").value() == -4);
	pollfd p{c->fd(), POLLIN, 0};
	for (int i = 0; i < 20 && changes.size() < 2 && poll(&p, 1, 1000) == 1; ++i) {
		CHECK_FALSE(c->dispatch(CS_DISPATCH_ALL));
	}
	CHECK(changes == std::vector<std::string>{"vqtest.cpp.n", "vqtest.cpp.n"});
	CHECK_FALSE(c->untrack(*track));
	CHECK_FALSE(c->remove("vqtest.cpp.n"));
}
