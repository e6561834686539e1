// libcmap.so.4's C ABI against a scripted cmap service: every call with bad
// handles and NULL pointers, every value type, get with and without a
// buffer, iterators, tracks (user data, a track deleted from inside its own
// callback, prefixes), the stats map, a hostile server, and a finalize
// while another thread blocks in dispatch.
#include "canned_cmap.hpp"
#include "when_blocked.hpp"

#include <catch2/catch.hpp>

#include <corosync/cmap.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <poll.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace vqtest;

extern "C" int vqtest_cmap_dispatch_raw(cmap_handle_t handle, int flags);
extern "C" int vqtest_cmap_set_raw(cmap_handle_t handle, const char* key, const void* value, size_t len, int type);
extern "C" int vqtest_cmap_initialize_map_raw(cmap_handle_t* handle, int map);

namespace {

using Bytes = std::vector<std::byte>;

// A cmap server answering as corosync does; poke(code) sends g_scripts[code]
// to the most recent connection (the child's copy of the scripts).
std::vector<std::vector<Bytes>> g_scripts;

int script(std::vector<Bytes> messages)
{
	g_scripts.push_back(std::move(messages));
	return static_cast<int>(g_scripts.size() - 1);
}

FakeServer canned(CannedCmap daemon = {})
{
	auto shared = std::make_shared<CannedCmap>(std::move(daemon));
	on_connection_closed([shared](qb_ipcs_connection_t* c) { shared->forget(c); });
	return FakeServer({cmap_service([shared](Peer& peer, int32_t id, std::span<const std::byte> req) {
		(*shared)(peer, id, req);
	}, [](Peer& peer, int code) {
		for (const auto& msg : g_scripts[static_cast<std::size_t>(code)]) {
			if (send_bytes_event(peer, msg) <= 0) {
				_exit(4);
			}
		}
	})});
}

cmap_handle_t connect()
{
	cmap_handle_t h = 0;
	REQUIRE(cmap_initialize(&h) == CS_OK);
	REQUIRE(h != 0);
	return h;
}

bool readable(cmap_handle_t h)
{
	int fd = -1;
	REQUIRE(cmap_fd_get(h, &fd) == CS_OK);
	pollfd p{fd, POLLIN, 0};
	return poll(&p, 1, 0) == 1;
}

// --- what the track callbacks saw ---------------------------------------------

struct Call {
	cmap_handle_t handle;
	cmap_track_handle_t track;
	int32_t event;
	std::string key;
	cmap_value_types_t new_type, old_type;
	std::string new_value, old_value;
	void* user_data;
};
std::vector<Call> g_calls;
// When set, the callback deletes its own track (the track's handle) and
// records the result here.
bool g_delete_in_callback = false;
cs_error_t g_delete_result = CS_OK;

void on_notify(cmap_handle_t h, cmap_track_handle_t track, int32_t event, const char* key,
	cmap_notify_value new_value, cmap_notify_value old_value, void* user_data)
{
	g_calls.push_back({h, track, event, key, new_value.type, old_value.type,
		std::string(static_cast<const char*>(new_value.data), new_value.len),
		std::string(static_cast<const char*>(old_value.data), old_value.len), user_data});
	if (g_delete_in_callback) {
		g_delete_result = cmap_track_delete(h, track);
	}
}

}  // namespace

// --- misuse -------------------------------------------------------------------

TEST_CASE("cmap: initialize with no daemon is CS_ERR_LIBRARY", "[cmap][init]")
{
	cmap_handle_t h = 0;
	CHECK(cmap_initialize(&h) == CS_ERR_LIBRARY);
	CHECK(cmap_initialize_map(&h, CMAP_MAP_STATS) == CS_ERR_LIBRARY);
	CHECK(h == 0);
	CHECK(cmap_initialize(nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(cmap_initialize_map(nullptr, CMAP_MAP_DEFAULT) == CS_ERR_INVALID_PARAM);
}

TEST_CASE("cmap: bad handles and NULL pointers, for every call", "[cmap][handles]")
{
	FakeServer server = canned();
	cmap_handle_t finalized = connect();
	REQUIRE(cmap_finalize(finalized) == CS_OK);
	cmap_handle_t live = connect();

	for (cmap_handle_t h : {cmap_handle_t{0}, cmap_handle_t{0xdeadbeef}, finalized,
		     cmap_handle_t{0xffffffff00000000ull | (live & 0xffffffffu)}}) {
		INFO("handle " << std::hex << h);
		int fd;
		const void* ctx;
		char* str = nullptr;
		char key[CMAP_KEYNAME_MAXLEN + 1];
		size_t len = 4;
		cmap_value_types_t type;
		cmap_iter_handle_t iter;
		cmap_track_handle_t track;
		int8_t i8;
		uint8_t u8;
		int16_t i16;
		uint16_t u16;
		int32_t i32;
		uint32_t u32 = 0;
		int64_t i64;
		uint64_t u64;
		float flt;
		double dbl;
		CHECK(cmap_finalize(h) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_fd_get(h, &fd) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_dispatch(h, CS_DISPATCH_ALL) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_context_get(h, &ctx) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_context_set(h, nullptr) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set(h, "a.b", &u32, sizeof u32, CMAP_VALUETYPE_UINT32) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_int8(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_uint8(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_int16(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_uint16(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_int32(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_uint32(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_int64(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_uint64(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_float(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_double(h, "a.b", 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_set_string(h, "a.b", "x") == CS_ERR_BAD_HANDLE);
		CHECK(cmap_delete(h, "a.b") == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get(h, "a.b", &u32, &len, &type) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_int8(h, "a.b", &i8) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_uint8(h, "a.b", &u8) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_int16(h, "a.b", &i16) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_uint16(h, "a.b", &u16) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_int32(h, "a.b", &i32) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_uint32(h, "a.b", &u32) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_int64(h, "a.b", &i64) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_uint64(h, "a.b", &u64) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_float(h, "a.b", &flt) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_double(h, "a.b", &dbl) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_string(h, "a.b", &str) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_inc(h, "a.b") == CS_ERR_BAD_HANDLE);
		CHECK(cmap_dec(h, "a.b") == CS_ERR_BAD_HANDLE);
		CHECK(cmap_iter_init(h, "a.", &iter) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_iter_next(h, 1, key, &len, &type) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_iter_finalize(h, 1) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_track_add(h, "a.b", CMAP_TRACK_ADD, on_notify, nullptr, &track) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_track_delete(h, 1) == CS_ERR_BAD_HANDLE);
		// The handle comes after the out-pointers each call checks first
		// (as the reference orders them), and before the others.
		CHECK(cmap_fd_get(h, nullptr) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_context_get(h, nullptr) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_uint32(h, "a.b", nullptr) == CS_ERR_BAD_HANDLE);
		CHECK(cmap_get_string(h, "a.b", nullptr) == CS_ERR_BAD_HANDLE);
		CHECK(str == nullptr);
	}
	// The forged value above did not finalize the live handle.
	uint32_t version = 0;
	CHECK(cmap_get_uint32(live, "totem.version", &version) == CS_OK);
	CHECK(version == 2);

	// NULL pointers, each refused with CS_ERR_INVALID_PARAM.
	const std::string too_long(CMAP_KEYNAME_MAXLEN + 1, 'k');
	uint32_t u32 = 0;
	size_t len = 0;
	char key[CMAP_KEYNAME_MAXLEN + 1];
	cmap_track_handle_t track;
	for (cmap_handle_t h : {live, cmap_handle_t{0}}) {
		INFO("handle " << std::hex << h);
		// Key and value checks come before the handle.
		CHECK(cmap_set(h, nullptr, &u32, sizeof u32, CMAP_VALUETYPE_UINT32) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_set(h, "a.b", nullptr, 4, CMAP_VALUETYPE_UINT32) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_set(h, too_long.c_str(), &u32, sizeof u32, CMAP_VALUETYPE_UINT32) == CS_ERR_NAME_TOO_LONG);
		// The type after the handle, as the reference (its daemon refuses it).
		for (int type : {0, 13, -1, 257}) {
			INFO("type " << type);
			CHECK(vqtest_cmap_set_raw(h, "a.b", &u32, sizeof u32, type) ==
				(h == live ? CS_ERR_INVALID_PARAM : CS_ERR_BAD_HANDLE));
		}
		CHECK(cmap_set_uint32(h, nullptr, 1) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_set_string(h, "a.b", nullptr) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_set_string(h, nullptr, "x") == CS_ERR_INVALID_PARAM);
		CHECK(cmap_delete(h, nullptr) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_delete(h, too_long.c_str()) == CS_ERR_NAME_TOO_LONG);
		CHECK(cmap_get(h, nullptr, nullptr, nullptr, nullptr) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_get(h, too_long.c_str(), nullptr, nullptr, nullptr) == CS_ERR_NAME_TOO_LONG);
		CHECK(cmap_get(h, "a.b", &u32, nullptr, nullptr) == CS_ERR_INVALID_PARAM);  // a buffer without its length
		CHECK(cmap_get_uint32(h, nullptr, &u32) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_get_uint32(h, too_long.c_str(), &u32) == CS_ERR_NAME_TOO_LONG);
		CHECK(cmap_get_string(h, nullptr, nullptr) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_inc(h, nullptr) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_dec(h, too_long.c_str()) == CS_ERR_NAME_TOO_LONG);
		CHECK(cmap_iter_init(h, "a.", nullptr) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_iter_next(h, 1, nullptr, &len, nullptr) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_track_add(h, "a.b", CMAP_TRACK_ADD, nullptr, nullptr, &track) == CS_ERR_INVALID_PARAM);
		CHECK(cmap_track_add(h, "a.b", CMAP_TRACK_ADD, on_notify, nullptr, nullptr) == CS_ERR_INVALID_PARAM);
		// Dispatch flags: checked before the handle.
		for (int flag : {0, 5, -1, 1000}) {
			INFO("flag " << flag);
			CHECK(vqtest_cmap_dispatch_raw(h, flag) == CS_ERR_INVALID_PARAM);
		}
	}
	// After the handle: the out-pointers the reference dereferences, and
	// the prefix and key of iter_init and track_add.
	CHECK(cmap_fd_get(live, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(cmap_context_get(live, nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(cmap_get_uint32(live, "totem.version", nullptr) == CS_ERR_INVALID_PARAM);
	CHECK(cmap_get_string(live, "totem.cluster_name", nullptr) == CS_ERR_INVALID_PARAM);
	cmap_iter_handle_t iter = 0;
	CHECK(cmap_iter_init(live, too_long.c_str(), &iter) == CS_ERR_NAME_TOO_LONG);
	CHECK(cmap_iter_init(0, too_long.c_str(), &iter) == CS_ERR_BAD_HANDLE);
	CHECK(cmap_track_add(live, too_long.c_str(), CMAP_TRACK_ADD, on_notify, nullptr, &track) == CS_ERR_NAME_TOO_LONG);
	CHECK(cmap_track_add(0, too_long.c_str(), CMAP_TRACK_ADD, on_notify, nullptr, &track) == CS_ERR_BAD_HANDLE);
	// Optional outputs may be NULL.
	CHECK(cmap_get(live, "totem.version", nullptr, nullptr, nullptr) == CS_OK);
	REQUIRE(cmap_iter_init(live, nullptr, &iter) == CS_OK);
	CHECK(cmap_iter_next(live, iter, key, nullptr, nullptr) == CS_OK);
	CHECK(cmap_iter_finalize(live, iter) == CS_OK);

	CHECK(cmap_finalize(live) == CS_OK);
	CHECK(cmap_finalize(live) == CS_ERR_BAD_HANDLE);
}

TEST_CASE("cmap: the context pair", "[cmap][handles]")
{
	FakeServer server = canned();
	cmap_handle_t h = connect();
	const void* ctx = &h;
	CHECK(cmap_context_get(h, &ctx) == CS_OK);
	CHECK(ctx == nullptr);
	int mine = 0;
	CHECK(cmap_context_set(h, &mine) == CS_OK);
	CHECK(cmap_context_get(h, &ctx) == CS_OK);
	CHECK(ctx == &mine);
	CHECK(cmap_finalize(h) == CS_OK);
}

// --- values -------------------------------------------------------------------

TEST_CASE("cmap: every value type goes in and comes back, typed and untyped", "[cmap][values]")
{
	FakeServer server = canned();
	cmap_handle_t h = connect();
	CHECK(cmap_set_int8(h, "t.i8", -8) == CS_OK);
	CHECK(cmap_set_uint8(h, "t.u8", 200) == CS_OK);
	CHECK(cmap_set_int16(h, "t.i16", -1600) == CS_OK);
	CHECK(cmap_set_uint16(h, "t.u16", 60000) == CS_OK);
	CHECK(cmap_set_int32(h, "t.i32", -320000) == CS_OK);
	CHECK(cmap_set_uint32(h, "t.u32", 4000000000u) == CS_OK);
	CHECK(cmap_set_int64(h, "t.i64", -6400000000ll) == CS_OK);
	CHECK(cmap_set_uint64(h, "t.u64", 0xfedcba9876543210ull) == CS_OK);
	CHECK(cmap_set_float(h, "t.flt", 1.5f) == CS_OK);
	CHECK(cmap_set_double(h, "t.dbl", -2.25) == CS_OK);
	CHECK(cmap_set_string(h, "t.str", "hello") == CS_OK);
	const unsigned char blob[] = {0, 1, 2, 0xff};
	CHECK(cmap_set(h, "t.bin", blob, sizeof blob, CMAP_VALUETYPE_BINARY) == CS_OK);

	int8_t i8 = 0;
	uint8_t u8 = 0;
	int16_t i16 = 0;
	uint16_t u16 = 0;
	int32_t i32 = 0;
	uint32_t u32 = 0;
	int64_t i64 = 0;
	uint64_t u64 = 0;
	float flt = 0;
	double dbl = 0;
	CHECK((cmap_get_int8(h, "t.i8", &i8) == CS_OK && i8 == -8));
	CHECK((cmap_get_uint8(h, "t.u8", &u8) == CS_OK && u8 == 200));
	CHECK((cmap_get_int16(h, "t.i16", &i16) == CS_OK && i16 == -1600));
	CHECK((cmap_get_uint16(h, "t.u16", &u16) == CS_OK && u16 == 60000));
	CHECK((cmap_get_int32(h, "t.i32", &i32) == CS_OK && i32 == -320000));
	CHECK((cmap_get_uint32(h, "t.u32", &u32) == CS_OK && u32 == 4000000000u));
	CHECK((cmap_get_int64(h, "t.i64", &i64) == CS_OK && i64 == -6400000000ll));
	CHECK((cmap_get_uint64(h, "t.u64", &u64) == CS_OK && u64 == 0xfedcba9876543210ull));
	CHECK((cmap_get_float(h, "t.flt", &flt) == CS_OK && flt == 1.5f));
	CHECK((cmap_get_double(h, "t.dbl", &dbl) == CS_OK && dbl == -2.25));

	// A typed getter of another type: CS_ERR_INVALID_PARAM, the output untouched.
	u32 = 7;
	CHECK(cmap_get_uint32(h, "t.i32", &u32) == CS_ERR_INVALID_PARAM);
	CHECK(cmap_get_uint32(h, "t.str", &u32) == CS_ERR_INVALID_PARAM);
	CHECK(u32 == 7);
	CHECK(cmap_get_uint32(h, "t.none", &u32) == CS_ERR_NOT_EXIST);

	// cmap_get without a buffer: the length and type only.
	size_t len = 0;
	cmap_value_types_t type{};
	CHECK(cmap_get(h, "t.bin", nullptr, &len, &type) == CS_OK);
	CHECK((len == sizeof blob && type == CMAP_VALUETYPE_BINARY));
	// With one: the bytes, and the length used.
	unsigned char buf[16] = {};
	len = sizeof buf;
	CHECK(cmap_get(h, "t.bin", buf, &len, &type) == CS_OK);
	CHECK((len == sizeof blob && std::memcmp(buf, blob, sizeof blob) == 0));
	// Too small a buffer: the daemon's CS_ERR_INVALID_PARAM, nothing written.
	unsigned char small[2] = {9, 9};
	len = sizeof small;
	CHECK(cmap_get(h, "t.bin", small, &len, &type) == CS_ERR_INVALID_PARAM);
	CHECK((small[0] == 9 && small[1] == 9));
	// A buffer far larger than any value is asked as at most 64 KiB.
	std::vector<char> huge(1 << 20);
	len = huge.size();
	CHECK(cmap_get(h, "t.str", huge.data(), &len, &type) == CS_OK);
	CHECK((len == 6 && std::string(huge.data()) == "hello" && type == CMAP_VALUETYPE_STRING));

	// cmap_get_string: allocated, NUL-terminated, the caller frees it.
	char* str = nullptr;
	REQUIRE(cmap_get_string(h, "t.str", &str) == CS_OK);
	CHECK(std::string(str) == "hello");
	std::free(str);
	str = nullptr;
	// cmap_set of a string longer than value_len: the daemon keeps value_len
	// bytes and a NUL; the request carries a NUL (the canned server refuses a
	// string without one in the message), so the daemon never reads past it.
	CHECK(cmap_set(h, "t.cut", "hello world", 5, CMAP_VALUETYPE_STRING) == CS_OK);
	REQUIRE(cmap_get_string(h, "t.cut", &str) == CS_OK);
	CHECK(std::string(str) == "hello");
	std::free(str);
	str = nullptr;
	// The daemon's largest value, 16384 bytes, as a string (the NUL uncounted).
	const std::string largest(16384, 's');
	CHECK(cmap_set_string(h, "t.largest", largest.c_str()) == CS_OK);
	REQUIRE(cmap_get_string(h, "t.largest", &str) == CS_OK);
	CHECK(std::string(str) == largest);
	std::free(str);
	str = nullptr;
	CHECK(cmap_get_string(h, "t.u32", &str) == CS_ERR_INVALID_PARAM);
	CHECK(cmap_get_string(h, "t.none", &str) == CS_ERR_NOT_EXIST);
	CHECK(str == nullptr);

	// A value above 64 KiB is refused unsent.
	std::vector<char> too_big(64 * 1024 + 1, 'x');
	CHECK(cmap_set(h, "t.big", too_big.data(), too_big.size(), CMAP_VALUETYPE_BINARY) == CS_ERR_INVALID_PARAM);
	CHECK(cmap_get(h, "t.big", nullptr, nullptr, nullptr) == CS_ERR_NOT_EXIST);

	// The longest key goes through whole.
	const std::string longest = "t." + std::string(CMAP_KEYNAME_MAXLEN - 2, 'k');
	CHECK(cmap_set_uint8(h, longest.c_str(), 1) == CS_OK);
	CHECK((cmap_get_uint8(h, longest.c_str(), &u8) == CS_OK && u8 == 1));
	CHECK(cmap_finalize(h) == CS_OK);
}

TEST_CASE("cmap: inc, dec and delete", "[cmap][values]")
{
	FakeServer server = canned();
	cmap_handle_t h = connect();
	uint32_t v = 0;
	CHECK(cmap_inc(h, "totem.version") == CS_OK);
	CHECK(cmap_inc(h, "totem.version") == CS_OK);
	CHECK(cmap_dec(h, "totem.version") == CS_OK);
	CHECK((cmap_get_uint32(h, "totem.version", &v) == CS_OK && v == 3));
	CHECK(cmap_inc(h, "no.such") == CS_ERR_NOT_EXIST);
	CHECK(cmap_delete(h, "totem.version") == CS_OK);
	CHECK(cmap_delete(h, "totem.version") == CS_ERR_NOT_EXIST);
	CHECK(cmap_get_uint32(h, "totem.version", &v) == CS_ERR_NOT_EXIST);
	CHECK(cmap_finalize(h) == CS_OK);
}

TEST_CASE("cmap: the daemon's errors come back unchanged", "[cmap][errors]")
{
	CannedCmap daemon;
	daemon.errors[MESSAGE_REQ_CMAP_SET] = CS_ERR_ACCESS;
	daemon.errors[MESSAGE_REQ_CMAP_ITER_INIT] = CS_ERR_NO_RESOURCES;
	daemon.errors[MESSAGE_REQ_CMAP_TRACK_ADD] = CS_ERR_TRY_AGAIN;
	FakeServer server = canned(daemon);
	cmap_handle_t h = connect();
	CHECK(cmap_set_uint32(h, "a.b", 1) == CS_ERR_ACCESS);
	cmap_iter_handle_t iter = 5;
	CHECK(cmap_iter_init(h, "a.", &iter) == CS_ERR_NO_RESOURCES);
	CHECK(iter == 5);
	cmap_track_handle_t track = 5;
	CHECK(cmap_track_add(h, "a.b", CMAP_TRACK_ADD, on_notify, nullptr, &track) == CS_ERR_TRY_AGAIN);
	CHECK(track == 5);
	CHECK(cmap_finalize(h) == CS_OK);
}

// --- iterators and maps -------------------------------------------------------

TEST_CASE("cmap: iterators walk a prefix and end with CS_ERR_NO_SECTIONS", "[cmap][iter]")
{
	FakeServer server = canned();
	cmap_handle_t h = connect();
	CHECK(cmap_set_uint8(h, "n.a", 1) == CS_OK);
	CHECK(cmap_set_string(h, "n.b", "xyz") == CS_OK);
	cmap_iter_handle_t iter = 0;
	REQUIRE(cmap_iter_init(h, "n.", &iter) == CS_OK);
	char key[CMAP_KEYNAME_MAXLEN + 1];
	size_t len = 0;
	cmap_value_types_t type{};
	REQUIRE(cmap_iter_next(h, iter, key, &len, &type) == CS_OK);
	CHECK((std::string(key) == "n.a" && len == 1 && type == CMAP_VALUETYPE_UINT8));
	REQUIRE(cmap_iter_next(h, iter, key, &len, &type) == CS_OK);
	CHECK((std::string(key) == "n.b" && len == 4 && type == CMAP_VALUETYPE_STRING));
	CHECK(cmap_iter_next(h, iter, key, &len, &type) == CS_ERR_NO_SECTIONS);
	CHECK(cmap_iter_finalize(h, iter) == CS_OK);
	CHECK(cmap_iter_next(h, iter, key, &len, &type) == CS_ERR_BAD_HANDLE);
	CHECK(cmap_iter_finalize(h, iter) == CS_ERR_BAD_HANDLE);
	CHECK(cmap_finalize(h) == CS_OK);
}

TEST_CASE("cmap: initialize_map opens the stats map, or no handle at all", "[cmap][init]")
{
	FakeServer server = canned();
	cmap_handle_t h = 0;
	REQUIRE(cmap_initialize_map(&h, CMAP_MAP_STATS) == CS_OK);
	uint64_t active = 0;
	CHECK(cmap_get_uint64(h, "stats.ipcs.global.active", &active) == CS_OK);
	CHECK(active == 0x0101010101010101ull);
	CHECK(cmap_get(h, "totem.version", nullptr, nullptr, nullptr) == CS_ERR_NOT_EXIST);
	CHECK(cmap_finalize(h) == CS_OK);
	REQUIRE(cmap_initialize_map(&h, CMAP_MAP_DEFAULT) == CS_OK);
	CHECK(cmap_get(h, "totem.version", nullptr, nullptr, nullptr) == CS_OK);
	CHECK(cmap_finalize(h) == CS_OK);
	// A map the daemon does not know: its error, and no handle issued (the
	// reference returns the error and leaves the handle open).
	h = 0;
	CHECK(vqtest_cmap_initialize_map_raw(&h, 7) == CS_ERR_NOT_EXIST);
	CHECK(h == 0);
}

// --- tracks -------------------------------------------------------------------

TEST_CASE("cmap: a track's callback gets its handle, its track, the values and its user data", "[cmap][track]")
{
	FakeServer server = canned();
	g_calls.clear();
	g_delete_in_callback = false;
	cmap_handle_t h = connect();
	int data_key = 0, data_prefix = 0;
	cmap_track_handle_t key_track = 0, prefix_track = 0;
	REQUIRE(cmap_track_add(h, "w.x", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, on_notify, &data_key,
			&key_track) == CS_OK);
	REQUIRE(cmap_track_add(h, "w.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, on_notify, &data_prefix, &prefix_track) ==
		CS_OK);
	CHECK(key_track != prefix_track);

	CHECK(cmap_set_uint32(h, "w.x", 1) == CS_OK);  // both tracks: added
	CHECK(cmap_set_uint32(h, "w.x", 2) == CS_OK);  // the key's: modified
	CHECK(cmap_set_uint32(h, "w.y", 3) == CS_OK);  // the prefix's: added
	CHECK(cmap_delete(h, "w.x") == CS_OK);         // the key's: deleted
	CHECK(cmap_set_uint32(h, "v.x", 4) == CS_OK);  // neither
	CHECK(cmap_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	REQUIRE(g_calls.size() == 5);
	const auto u32 = [](uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); };
	CHECK((g_calls[0].key == "w.x" && g_calls[0].event == CMAP_TRACK_ADD && g_calls[0].user_data == &data_key &&
		g_calls[0].track == key_track && g_calls[0].handle == h));
	CHECK((g_calls[1].key == "w.x" && g_calls[1].user_data == &data_prefix && g_calls[1].track == prefix_track));
	CHECK((g_calls[2].event == CMAP_TRACK_MODIFY && g_calls[2].new_value == u32(2) && g_calls[2].old_value == u32(1) &&
		g_calls[2].new_type == CMAP_VALUETYPE_UINT32 && g_calls[2].old_type == CMAP_VALUETYPE_UINT32));
	CHECK((g_calls[3].key == "w.y" && g_calls[3].user_data == &data_prefix));
	CHECK((g_calls[4].event == CMAP_TRACK_DELETE && g_calls[4].new_value.empty() && g_calls[4].old_value == u32(2)));

	// Deleted: its notifications stop (the daemon's, and any already sent).
	CHECK(cmap_track_delete(h, key_track) == CS_OK);
	CHECK(cmap_track_delete(h, key_track) == CS_ERR_BAD_HANDLE);
	CHECK(cmap_set_uint32(h, "w.x", 5) == CS_OK);
	g_calls.clear();
	CHECK(cmap_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	REQUIRE(g_calls.size() == 1);
	CHECK(g_calls[0].user_data == &data_prefix);
	// A map cannot be switched while tracks are open (the daemon's rule).
	CHECK(cmap_finalize(h) == CS_OK);
}

TEST_CASE("cmap: a callback may delete its own track", "[cmap][track]")
{
	FakeServer server = canned();
	g_calls.clear();
	cmap_handle_t h = connect();
	cmap_track_handle_t track = 0;
	REQUIRE(cmap_track_add(h, "d.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, on_notify, nullptr, &track) == CS_OK);
	CHECK(cmap_set_uint8(h, "d.a", 1) == CS_OK);
	CHECK(cmap_set_uint8(h, "d.b", 2) == CS_OK);  // sent before the track is deleted: passed over
	g_delete_in_callback = true;
	g_delete_result = CS_ERR_LIBRARY;
	CHECK(cmap_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	g_delete_in_callback = false;
	CHECK(g_delete_result == CS_OK);
	REQUIRE(g_calls.size() == 1);
	CHECK(g_calls[0].key == "d.a");
	CHECK(cmap_track_delete(h, track) == CS_ERR_BAD_HANDLE);
	CHECK(cmap_finalize(h) == CS_OK);
}

// --- a hostile server, and threads ---------------------------------------------

TEST_CASE("cmap: malformed notifications end the dispatch with CS_ERR_MESSAGE_ERROR", "[cmap][hostile]")
{
	g_calls.clear();
	g_delete_in_callback = false;
	const std::string too_long(CMAP_KEYNAME_MAXLEN + 1, 'k');
	const int lying_len = script({cmap_notification(1, CMAP_TRACK_ADD, "a.b", CMAP_VALUETYPE_STRING, "ab",
		CMAP_VALUETYPE_STRING, "", 3)});
	const int long_key = script({cmap_notification(1, CMAP_TRACK_ADD, too_long, 0, "", 0, "")});
	const int unknown_inst = script({cmap_notification(12345, CMAP_TRACK_ADD, "a.b", 0, "", 0, "")});
	FakeServer server = canned();
	cmap_handle_t h = connect();
	cmap_track_handle_t track = 0;
	REQUIRE(cmap_track_add(h, nullptr, CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, on_notify, nullptr, &track) == CS_OK);
	for (int code : {lying_len, long_key}) {
		INFO("script " << code);
		server.poke("cmap", code);
		CHECK(cmap_dispatch(h, CS_DISPATCH_ONE) == CS_ERR_MESSAGE_ERROR);
	}
	server.poke("cmap", unknown_inst);  // a track the handle does not hold: passed over
	CHECK(cmap_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
	CHECK(g_calls.empty());
	CHECK_FALSE(readable(h));
	CHECK(cmap_finalize(h) == CS_OK);
}

namespace {
int g_raw_new_type = 0, g_raw_old_type = 0;
// Reads the types as the ints they are: a type the header does not name
// may not be loaded through the enum in C++.
void raw_types(cmap_handle_t, cmap_track_handle_t, int32_t, const char*, cmap_notify_value new_value,
	cmap_notify_value old_value, void*)
{
	std::memcpy(&g_raw_new_type, &new_value.type, sizeof g_raw_new_type);
	std::memcpy(&g_raw_old_type, &old_value.type, sizeof g_raw_old_type);
}
}  // namespace

TEST_CASE("cmap: a value type the header does not name is passed through", "[cmap][hostile]")
{
	const int odd = script({cmap_notification(1, CMAP_TRACK_MODIFY, "a.b", 99, "x", 255, "yz")});
	FakeServer server = canned();
	cmap_handle_t h = connect();
	cmap_track_handle_t track = 0;
	REQUIRE(cmap_track_add(h, "a.b", CMAP_TRACK_MODIFY, raw_types, nullptr, &track) == CS_OK);
	server.poke("cmap", odd);
	CHECK(cmap_dispatch(h, CS_DISPATCH_ONE) == CS_OK);
	CHECK((g_raw_new_type == 99 && g_raw_old_type == 255));
	CHECK(cmap_finalize(h) == CS_OK);
}

TEST_CASE("cmap: finalize while another thread blocks in dispatch ends the dispatch", "[cmap][threads]")
{
	FakeServer server = canned();
	cmap_handle_t h = connect();
	WhenBlocked finalize([h] { CHECK(cmap_finalize(h) == CS_OK); });
	const cs_error_t err = cmap_dispatch(h, CS_DISPATCH_BLOCKING);
	CHECK(finalize.join());
	CHECK(err == CS_ERR_BAD_HANDLE);
	CHECK(cmap_get(h, "totem.version", nullptr, nullptr, nullptr) == CS_ERR_BAD_HANDLE);
}

TEST_CASE("cmap: a lost connection: every call and every dispatch fails with CS_ERR_LIBRARY", "[cmap][death]")
{
	// The fd stays readable after the daemon is gone: a dispatch that
	// answered CS_OK there would leave its caller's poll loop spinning (as
	// sbd did on the reference).
	FakeServer server = canned();
	cmap_handle_t h = connect();
	server.kill();
	uint32_t u32 = 0;
	cmap_iter_handle_t iter = 0;
	cmap_track_handle_t track = 0;
	CHECK(cmap_get(h, "totem.version", nullptr, nullptr, nullptr) == CS_ERR_LIBRARY);
	CHECK(cmap_set_uint32(h, "a.b", 1) == CS_ERR_LIBRARY);
	CHECK(cmap_get_uint32(h, "totem.version", &u32) == CS_ERR_LIBRARY);
	CHECK(cmap_iter_init(h, "a.", &iter) == CS_ERR_LIBRARY);
	CHECK(cmap_track_add(h, "a.", CMAP_TRACK_ADD, on_notify, nullptr, &track) == CS_ERR_LIBRARY);
	for (int round = 0; round < 2; ++round) {
		for (auto mode : {CS_DISPATCH_ONE, CS_DISPATCH_ALL, CS_DISPATCH_BLOCKING, CS_DISPATCH_ONE_NONBLOCKING}) {
			INFO("round " << round << " mode " << mode);
			CHECK(readable(h));
			CHECK(cmap_dispatch(h, mode) == CS_ERR_LIBRARY);
		}
	}
	CHECK(cmap_finalize(h) == CS_OK);
}

namespace {
cs_error_t g_inner_finalize = CS_OK;
int g_finalizing_calls = 0;
void finalize_from_callback(cmap_handle_t h, cmap_track_handle_t, int32_t, const char*, cmap_notify_value,
	cmap_notify_value, void*)
{
	g_inner_finalize = cmap_finalize(h);
	++g_finalizing_calls;
}
}  // namespace

TEST_CASE("cmap: finalize inside a track's callback: dispatch returns CS_ERR_BAD_HANDLE", "[cmap][dispatch][reentry]")
{
	FakeServer server = canned();
	cmap_handle_t h = connect();
	cmap_track_handle_t track = 0;
	REQUIRE(cmap_track_add(h, "f.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, finalize_from_callback, nullptr, &track) ==
		CS_OK);
	CHECK(cmap_set_uint8(h, "f.a", 1) == CS_OK);
	CHECK(cmap_set_uint8(h, "f.b", 2) == CS_OK);
	g_inner_finalize = CS_ERR_LIBRARY;
	g_finalizing_calls = 0;
	CHECK(cmap_dispatch(h, CS_DISPATCH_ALL) == CS_ERR_BAD_HANDLE);
	CHECK(g_inner_finalize == CS_OK);
	CHECK(g_finalizing_calls == 1);  // the second notification is not delivered
	CHECK(cmap_finalize(h) == CS_ERR_BAD_HANDLE);
}

TEST_CASE("cmap: threads share a handle: requests, tracks and a dispatching thread", "[cmap][threads]")
{
	FakeServer server = canned();
	cmap_handle_t h = connect();
	struct Count {
		std::atomic<int> calls{0};
	} count;
	auto counting = [](cmap_handle_t, cmap_track_handle_t, int32_t, const char*, cmap_notify_value,
				cmap_notify_value, void* user_data) { static_cast<Count*>(user_data)->calls.fetch_add(1); };
	cmap_track_handle_t track = 0;
	REQUIRE(cmap_track_add(h, "th.", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_PREFIX, counting, &count, &track) ==
		CS_OK);
	constexpr int kThreads = 4, kRounds = 200;
	std::atomic<bool> stop{false};
	// Catch's assertions are for the test's thread: the others count.
	std::atomic<int> failures{0};
	int fd = -1;
	REQUIRE(cmap_fd_get(h, &fd) == CS_OK);
	std::thread dispatcher([&] {
		while (!stop.load()) {
			pollfd p{fd, POLLIN, 0};
			if (poll(&p, 1, 10) == 1 && cmap_dispatch(h, CS_DISPATCH_ALL) != CS_OK) {
				failures.fetch_add(1);
			}
		}
	});
	std::vector<std::thread> workers;
	for (int t = 0; t < kThreads; ++t) {
		workers.emplace_back([&, t] {
			const std::string key = "th." + std::to_string(t);
			for (int i = 0; i < kRounds; ++i) {
				uint32_t v = 0;
				if (cmap_set_uint32(h, key.c_str(), static_cast<uint32_t>(i)) != CS_OK ||
					cmap_get_uint32(h, key.c_str(), &v) != CS_OK || v != static_cast<uint32_t>(i)) {
					failures.fetch_add(1);
				}
			}
		});
	}
	for (auto& w : workers) {
		w.join();
	}
	// Every change was notified before its reply: one last dispatch takes
	// what the dispatcher had not yet.
	stop.store(true);
	dispatcher.join();
	CHECK(cmap_dispatch(h, CS_DISPATCH_ALL) == CS_OK);
	CHECK(failures.load() == 0);
	CHECK(count.calls.load() == kThreads * kRounds);
	CHECK(cmap_finalize(h) == CS_OK);
}
