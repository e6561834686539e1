// The cmap service's encoders against the daemon's ids, sizes and offsets
// (docs/wire.md), and every decoder's checks, with messages built byte by
// byte at the daemon's offsets.
#include "bytes.hpp"

#include "cmap/wire.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace vq::cmap::wire;
using vqtest::header_id;
using vqtest::header_size;
using vqtest::message;
using vqtest::read_at;
using vqtest::set_at;

namespace {

// The key field at `at`: its length, then its bytes at at + 8.
std::string key_at(std::span<const std::byte> m, std::size_t at)
{
	const auto length = read_at<uint16_t>(m, at);
	return std::string(reinterpret_cast<const char*>(m.data() + at + 8), length);
}

void put_key_at(std::vector<std::byte>& m, std::size_t at, const std::string& key)
{
	set_at<uint16_t>(m, at, static_cast<uint16_t>(key.size()));
	std::memcpy(m.data() + at + 8, key.data(), key.size());
}


// What a sink was given, copied out of the views.
struct Recorder final : EventSink {
	std::vector<std::string> events;
	void on(const NotifyEvent& e) override
	{
		events.push_back("inst=" + std::to_string(e.track_inst) + " event=" + std::to_string(e.event) + " key=" + e.key +
			" new=" + std::to_string(e.new_type) + ":" + text(e.new_value) + " old=" + std::to_string(e.old_type) + ":" +
			text(e.old_value));
	}
	void on_unknown(int32_t id) override { events.push_back("unknown " + std::to_string(id)); }

	static std::string text(std::span<const std::byte> bytes)
	{
		return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
	}
};

std::vector<std::string> decoded(const std::vector<std::byte>& m, cs_error_t expected = CS_OK)
{
	Recorder r;
	CHECK(decode_event(m, r) == expected);
	return r.events;
}

// A notification of `key` with both values (336 bytes, then the values).
std::vector<std::byte> notification(uint64_t inst, const std::string& key, const std::string& new_value,
	const std::string& old_value)
{
	auto m = message(RES_NOTIFY_CALLBACK, 336 + new_value.size() + old_value.size());
	set_at<uint64_t>(m, 24, inst);
	put_key_at(m, 32, key);
	set_at<int32_t>(m, 296, CMAP_TRACK_MODIFY);
	set_at<uint8_t>(m, 304, CMAP_VALUETYPE_STRING);
	set_at<uint8_t>(m, 312, CMAP_VALUETYPE_BINARY);
	set_at<uint64_t>(m, 320, new_value.size());
	set_at<uint64_t>(m, 328, old_value.size());
	std::memcpy(m.data() + 336, new_value.data(), new_value.size());
	std::memcpy(m.data() + 336 + new_value.size(), old_value.data(), old_value.size());
	return m;
}

}  // namespace

TEST_CASE("cmap: requests have the daemon's ids, sizes and offsets", "[wire][cmap]")
{
	const uint32_t five = 5;
	auto r = set("a.b", &five, sizeof five, CMAP_VALUETYPE_UINT32);
	CHECK((r.bytes().size() == 296 + 4 && header_id(r) == 0 && header_size(r) == 300));
	CHECK(key_at(r.bytes(), 16) == "a.b");
	CHECK(read_at<uint8_t>(r.bytes(), 16 + 8 + 3) == 0);  // the key's bytes after it are zero
	CHECK(read_at<uint64_t>(r.bytes(), 280) == 4);
	CHECK(read_at<uint8_t>(r.bytes(), 288) == CMAP_VALUETYPE_UINT32);
	CHECK(read_at<uint32_t>(r.bytes(), 296) == 5);
	// A string: value_len without its NUL (as the reference counts it), and
	// a NUL after it in the message, where the daemon's strlen stops.
	r = set("a.s", "abc", 3, CMAP_VALUETYPE_STRING);
	CHECK((r.bytes().size() == 296 + 4 && header_size(r) == 300));
	CHECK(read_at<uint64_t>(r.bytes(), 280) == 3);
	CHECK(std::memcmp(r.bytes().data() + 296, "abc", 4) == 0);
	// Binary: exactly its bytes.
	r = set("a.b", "abc", 3, CMAP_VALUETYPE_BINARY);
	CHECK((r.bytes().size() == 296 + 3 && header_size(r) == 299 && read_at<uint64_t>(r.bytes(), 280) == 3));

	r = delete_key("x.y");
	CHECK((r.bytes().size() == 280 && header_id(r) == 1 && header_size(r) == 280 && key_at(r.bytes(), 16) == "x.y"));
	r = get("x.y", 16);
	CHECK((r.bytes().size() == 288 && header_id(r) == 2 && key_at(r.bytes(), 16) == "x.y"));
	CHECK(read_at<uint64_t>(r.bytes(), 280) == 16);
	r = adjust_int("x.y", -1);
	CHECK((r.bytes().size() == 288 && header_id(r) == 3 && read_at<int32_t>(r.bytes(), 280) == -1));
	r = iter_init("");
	CHECK((r.bytes().size() == 280 && header_id(r) == 4 && read_at<uint16_t>(r.bytes(), 16) == 0));
	r = iter_next(0x1122334455667788ull);
	CHECK((r.bytes().size() == 24 && header_id(r) == 5 && read_at<uint64_t>(r.bytes(), 16) == 0x1122334455667788ull));
	r = iter_finalize(9);
	CHECK((r.bytes().size() == 24 && header_id(r) == 6 && read_at<uint64_t>(r.bytes(), 16) == 9));
	r = track_add("p.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, 77);
	CHECK((r.bytes().size() == 296 && header_id(r) == 7 && header_size(r) == 296 && key_at(r.bytes(), 16) == "p."));
	CHECK(read_at<int32_t>(r.bytes(), 280) == (CMAP_TRACK_ADD | CMAP_TRACK_PREFIX));
	CHECK(read_at<uint64_t>(r.bytes(), 288) == 77);
	r = track_delete(12);
	CHECK((r.bytes().size() == 24 && header_id(r) == 8 && read_at<uint64_t>(r.bytes(), 16) == 12));
	r = set_current_map(kMapStats);
	CHECK((r.bytes().size() == 24 && header_id(r) == 9 && read_at<int32_t>(r.bytes(), 16) == 1));

	const std::string longest(CMAP_KEYNAME_MAXLEN, 'k');
	r = delete_key(longest);
	CHECK(key_at(r.bytes(), 16) == longest);
	CHECK(key_fits(CMAP_KEYNAME_MAXLEN));
	CHECK_FALSE(key_fits(CMAP_KEYNAME_MAXLEN + 1));
}

TEST_CASE("requests: a round trip allocates no request and a large value goes to the heap",
	"[wire][cmap]")
{
	// The largest fixed requests of cmap fit the inline room.
	auto r = track_add(std::string(CMAP_KEYNAME_MAXLEN, 'k'), CMAP_TRACK_MODIFY, 1);
	CHECK_FALSE(r.on_heap());
	const uint64_t eight = 8;
	r = set(std::string(CMAP_KEYNAME_MAXLEN, 'k'), &eight, sizeof eight, CMAP_VALUETYPE_UINT64);
	CHECK_FALSE(r.on_heap());
	CHECK_FALSE(get("a", 1).on_heap());
	CHECK_FALSE(iter_next(1).on_heap());

	// A value past the room: on the heap, every byte where the daemon reads it.
	const std::string big(4096, 'v');
	auto h = set("a.big", big.data(), big.size(), CMAP_VALUETYPE_BINARY);
	REQUIRE(h.on_heap());
	CHECK((h.bytes().size() == 296 + big.size() && header_size(h) == 296 + big.size()));
	CHECK(key_at(h.bytes(), 16) == "a.big");
	CHECK(std::string(reinterpret_cast<const char*>(h.bytes().data()) + 296, big.size()) == big);

	// Moved, inline or on the heap, a request keeps its bytes; the one moved
	// from is empty.
	const std::vector<std::byte> before(h.bytes().begin(), h.bytes().end());
	vq::ipc::Request moved(std::move(h));
	CHECK(std::vector<std::byte>(moved.bytes().begin(), moved.bytes().end()) == before);
	CHECK(h.bytes().empty());  // NOLINT(bugprone-use-after-move): the state moved from is specified
	auto small = get("x.y", 16);
	const std::vector<std::byte> small_before(small.bytes().begin(), small.bytes().end());
	moved = std::move(small);
	CHECK_FALSE(moved.on_heap());
	CHECK(std::vector<std::byte>(moved.bytes().begin(), moved.bytes().end()) == small_before);
	CHECK(key_at(moved.bytes(), 16) == "x.y");
}

TEST_CASE("cmap: replies are read at the daemon's offsets and checked", "[wire][cmap]")
{
	CHECK(decode_general(message(RES_SET, 24), RES_SET) == CS_OK);
	CHECK(decode_general(message(RES_SET, 24, CS_ERR_ACCESS), RES_SET) == CS_ERR_ACCESS);
	CHECK(decode_general(message(RES_DELETE, 24), RES_SET) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_general(message(RES_SET, 16), RES_SET) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_general(message(RES_SET, 24, 9999), RES_SET) == CS_ERR_MESSAGE_ERROR);

	uint64_t handle = 1;
	auto h = message(RES_ITER_INIT, 32);
	set_at<uint64_t>(h, 24, 0xabcdef0123ull);
	CHECK(decode_handle(h, RES_ITER_INIT, handle) == CS_OK);
	CHECK(handle == 0xabcdef0123ull);
	handle = 1;
	CHECK(decode_handle(h, RES_TRACK_ADD, handle) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_handle(message(RES_TRACK_ADD, 24), RES_TRACK_ADD, handle) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_handle(message(RES_TRACK_DELETE, 32, CS_ERR_NOT_EXIST), RES_TRACK_DELETE, handle) == CS_ERR_NOT_EXIST);
	CHECK(handle == 1);  // untouched by every failure
}

TEST_CASE("cmap: a GET reply's value is checked against the room asked and the bytes", "[wire][cmap]")
{
	// 40 bytes and the room the request asked for; value_len at 24, type at 32.
	auto m = message(RES_GET, 40 + 16);
	set_at<uint64_t>(m, 24, 4);
	set_at<uint8_t>(m, 32, CMAP_VALUETYPE_UINT32);
	set_at<uint32_t>(m, 40, 0xdeadbeef);
	GetReply got{};
	CHECK(decode_get(m, 16, got) == CS_OK);
	CHECK((got.type == CMAP_VALUETYPE_UINT32 && got.value_len == 4 && got.value.size() == 4));
	CHECK(read_at<uint32_t>(got.value, 0) == 0xdeadbeef);

	set_at<uint64_t>(m, 24, 17);  // more than the room
	CHECK(decode_get(m, 16, got) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_get(m, 32, got) == CS_ERR_MESSAGE_ERROR);  // more than the bytes
	set_at<uint64_t>(m, 24, 16);
	CHECK(decode_get(m, 16, got) == CS_OK);
	CHECK(got.value.size() == 16);

	// No room asked: only the length and the type, whatever the length.
	auto bare = message(RES_GET, 40);
	set_at<uint64_t>(bare, 24, 100000);
	set_at<uint8_t>(bare, 32, CMAP_VALUETYPE_STRING);
	CHECK(decode_get(bare, 0, got) == CS_OK);
	CHECK((got.value_len == 100000 && got.value.empty() && got.type == CMAP_VALUETYPE_STRING));
	CHECK(decode_get(message(RES_GET, 32), 0, got) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_get(message(RES_GET, 40, CS_ERR_NOT_EXIST), 0, got) == CS_ERR_NOT_EXIST);
}

TEST_CASE("cmap: an ITER_NEXT reply's key is a C string of at most 255 bytes", "[wire][cmap]")
{
	// 304 bytes: key at 24 (length) and 32 (bytes), value_len at 288, type at 296.
	auto m = message(RES_ITER_NEXT, 304);
	put_key_at(m, 24, "totem.version");
	set_at<uint64_t>(m, 288, 4);
	set_at<uint8_t>(m, 296, CMAP_VALUETYPE_UINT32);
	IterEntry e{};
	CHECK(decode_iter_next(m, e) == CS_OK);
	CHECK((e.key == "totem.version" && e.value_len == 4 && e.type == CMAP_VALUETYPE_UINT32));

	const std::string longest(CMAP_KEYNAME_MAXLEN, 'k');
	put_key_at(m, 24, longest);
	CHECK(decode_iter_next(m, e) == CS_OK);
	CHECK(e.key == longest);
	set_at<uint16_t>(m, 24, CMAP_KEYNAME_MAXLEN + 1);  // no NUL left in the field
	CHECK(decode_iter_next(m, e) == CS_ERR_MESSAGE_ERROR);
	set_at<uint16_t>(m, 24, 0xffff);
	CHECK(decode_iter_next(m, e) == CS_ERR_MESSAGE_ERROR);
	set_at<uint16_t>(m, 24, 3);  // "kkk" followed by 'k', not NUL
	CHECK(decode_iter_next(m, e) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_iter_next(message(RES_ITER_NEXT, 296), e) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_iter_next(message(RES_ITER_NEXT, 304, CS_ERR_NO_SECTIONS), e) == CS_ERR_NO_SECTIONS);
}

TEST_CASE("cmap: notifications decode at the daemon's offsets, both values checked", "[wire][cmap]")
{
	auto m = notification(3, "a.key", "new", "older");
	CHECK(decoded(m) == std::vector<std::string>{"inst=3 event=2 key=a.key new=11:new old=12:older"});
	CHECK(decoded(notification(4, "k.k", "", "")) == std::vector<std::string>{"inst=4 event=2 key=k.k new=11: old=12:"});

	set_at<uint64_t>(m, 320, 4);  // the lengths no longer add up to the bytes
	CHECK(decoded(m, CS_ERR_MESSAGE_ERROR).empty());
	set_at<uint64_t>(m, 320, 9);
	CHECK(decoded(m, CS_ERR_MESSAGE_ERROR).empty());
	set_at<uint64_t>(m, 320, 3);
	set_at<uint64_t>(m, 328, 4);
	CHECK(decoded(m, CS_ERR_MESSAGE_ERROR).empty());
	// Lengths whose 64-bit sum wraps to the bytes are still refused.
	set_at<uint64_t>(m, 320, 0xffffffffffffffffull);
	set_at<uint64_t>(m, 328, 9);
	CHECK(decoded(m, CS_ERR_MESSAGE_ERROR).empty());

	m = notification(3, "a.key", "v", "");
	set_at<uint16_t>(m, 32, 256);  // a key with no NUL in its field
	CHECK(decoded(m, CS_ERR_MESSAGE_ERROR).empty());
	set_at<uint16_t>(m, 32, 2);  // "a." followed by 'k'
	CHECK(decoded(m, CS_ERR_MESSAGE_ERROR).empty());
	CHECK(decoded(message(RES_NOTIFY_CALLBACK, 328), CS_ERR_MESSAGE_ERROR).empty());  // shorter than the struct
	CHECK(decoded(message(RES_NOTIFY_CALLBACK, 336, CS_OK, 340), CS_ERR_MESSAGE_ERROR).empty());
}

TEST_CASE("cmap: unknown notifications are passed over", "[wire][cmap]")
{
	CHECK(decoded(message(42, 24)) == std::vector<std::string>{"unknown 42"});
	CHECK(decoded(message(RES_GET, 40)) == std::vector<std::string>{"unknown 2"});
}
