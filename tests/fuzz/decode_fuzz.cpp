// libFuzzer target: raw bytes from a (hostile) daemon through the decoding
// path to the callbacks. The first byte picks the path:
//   0: a notification, dispatched through a Connection to callbacks that
//      read every element they are given;
//   1: a getinfo reply; 2: a status reply; 3: a get_extra_info reply;
//   4: a quorum service notification, dispatched to V0 callbacks and
//      5: to V1 callbacks, all reading every element;
//   6: a quorum getquorate reply; 7: a quorum gettype reply;
//   8: a cmap notification, dispatched to a handle holding tracks 1 to 4
//      whose callback reads the key and both values; 9: a cmap get reply
//      (16 bytes of room); 10: a cmap iter_next reply; 11: a cmap reply
//      carrying a handle.
// ASan/UBSan (built in) catch any read past the message; the checks below
// catch decoders that accept what they should not.
#include "stub_transport.hpp"

#include "core/errors.hpp"
#include "cmap/callback_sink.hpp"
#include "cmap/wire.hpp"
#include "core/session.hpp"
#include "quorum/callback_sink.hpp"
#include "quorum/wire.hpp"
#include "votequorum/callback_sink.hpp"
#include "votequorum/wire.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

std::size_t g_size;      // the message's size, for the callbacks' checks
volatile uint64_t g_sink;

void check(bool ok)
{
	if (!ok) {
		std::abort();
	}
}

void on_quorum(votequorum_handle_t, uint64_t ctx, uint32_t quorate, uint32_t n, votequorum_node_t nodes[])
{
	check(vq::votequorum::wire::kQuorumNodes + std::size_t{n} * sizeof(votequorum_node_t) <= g_size);
	uint64_t sum = ctx + quorate;
	for (uint32_t i = 0; i < n; ++i) {
		sum += nodes[i].nodeid + nodes[i].state;
	}
	g_sink = sum;
}

void on_nodelist(votequorum_handle_t, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	check(vq::votequorum::wire::kNodelistNodes + std::size_t{n} * sizeof(uint32_t) <= g_size);
	uint64_t sum = ctx + ring.nodeid + ring.seq;
	for (uint32_t i = 0; i < n; ++i) {
		sum += ids[i];
	}
	g_sink = sum;
}

void on_expected(votequorum_handle_t, uint64_t ctx, uint32_t e)
{
	check(sizeof(vq::votequorum::wire::ResExpectedVotesNotification) <= g_size);
	g_sink = ctx + e;
}

void on_extra(votequorum_handle_t, uint64_t ctx, uint32_t nodeid, uint32_t n, void* data)
{
	check(n <= VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE);
	check(vq::votequorum::wire::kExtraInfoNotificationData + n <= g_size);
	uint64_t sum = ctx + nodeid;
	for (uint32_t i = 0; i < n; ++i) {
		sum += static_cast<const uint8_t*>(data)[i];
	}
	g_sink = sum;
}

// The quorum service's callbacks: each list must lie inside the message.
uint64_t sum_of(const uint32_t* list, uint32_t n)
{
	uint64_t sum = n;
	for (uint32_t i = 0; i < n; ++i) {
		sum += list[i];
	}
	return sum;
}

void on_q_v0(quorum_handle_t, uint32_t quorate, uint64_t seq, uint32_t n, uint32_t* members)
{
	check(vq::quorum::wire::kNotificationList + std::size_t{n} * 4 <= g_size);
	g_sink = quorate + seq + sum_of(members, n);
}

void on_q_v1(quorum_handle_t, uint32_t quorate, quorum_ring_id ring, uint32_t n, const uint32_t* members)
{
	check(vq::quorum::wire::kV1QuorumList + std::size_t{n} * 4 <= g_size);
	g_sink = quorate + ring.nodeid + ring.seq + sum_of(members, n);
}

void on_q_nodelist(quorum_handle_t, quorum_ring_id ring, uint32_t m, const uint32_t* members, uint32_t j,
	const uint32_t* joined, uint32_t l, const uint32_t* left)
{
	check(vq::quorum::wire::kV1NodelistLists + (std::size_t{m} + j + l) * 4 <= g_size);
	check(joined == members + m && left == joined + j);
	g_sink = ring.nodeid + ring.seq + sum_of(members, m) + sum_of(joined, j) + sum_of(left, l);
}

// A cmap track's callback: the key is a C string of at most 255 bytes, and
// both values lie inside the message, one after the other.
void on_cmap(cmap_handle_t, cmap_track_handle_t track, int32_t event, const char* key, cmap_notify_value new_value,
	cmap_notify_value old_value, void* user_data)
{
	const std::size_t key_len = strnlen(key, CMAP_KEYNAME_MAXLEN + 1);
	check(key_len <= CMAP_KEYNAME_MAXLEN);
	check(vq::cmap::wire::kNotifyValues + new_value.len + old_value.len == g_size);
	check(static_cast<const char*>(old_value.data) == static_cast<const char*>(new_value.data) + new_value.len);
	uint64_t sum = track + static_cast<uint64_t>(event) + key_len + reinterpret_cast<uintptr_t>(user_data);
	for (std::size_t i = 0; i < new_value.len; ++i) {
		sum += static_cast<const uint8_t*>(new_value.data)[i];
	}
	for (std::size_t i = 0; i < old_value.len; ++i) {
		sum += static_cast<const uint8_t*>(old_value.data)[i];
	}
	g_sink = sum;
}

// Dispatches the bytes as one notification to a session of `Sink`; `setup`
// prepares the session's sink first.
template <class Sink, class Setup>
void dispatch_one_with(const uint8_t* data, std::size_t size, Setup&& setup)
{
	auto transport = std::make_unique<vqtest::StubTransport>();  // 64 KiB: above max_len
	transport->push(data, size);
	std::shared_ptr<vq::Connection> conn;
	if (vq::Connection::create(std::move(transport), 0, conn) != CS_OK) {
		return;
	}
	vq::Session<Sink> session(conn);
	setup(session.sink);
	const cs_error_t err = session.dispatch(CS_DISPATCH_ONE_NONBLOCKING);
	check(err == CS_OK || err == CS_ERR_MESSAGE_ERROR || err == CS_ERR_TOO_BIG);
}

// Dispatches the bytes as one notification to a session of `Sink`.
template <class Sink, class... SinkArgs>
void dispatch_one(const uint8_t* data, std::size_t size, SinkArgs&&... args)
{
	auto transport = std::make_unique<vqtest::StubTransport>();  // 64 KiB: above max_len
	transport->push(data, size);
	std::shared_ptr<vq::Connection> conn;
	if (vq::Connection::create(std::move(transport), 0, conn) != CS_OK) {
		return;
	}
	vq::Session<Sink> session(conn, std::forward<SinkArgs>(args)...);
	const cs_error_t err = session.dispatch(CS_DISPATCH_ONE_NONBLOCKING);
	check(err == CS_OK || err == CS_ERR_MESSAGE_ERROR || err == CS_ERR_TOO_BIG);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
	if (size == 0) {
		return 0;
	}
	const uint8_t path = data[0] % 12;
	++data;
	--size;
	g_size = size;
	const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
	switch (path) {
	case 0:
		dispatch_one<vq::votequorum::CallbackSink>(data, size, vq::votequorum::Callbacks{on_quorum, on_expected, on_nodelist, on_extra});
		break;
	case 1: {
		votequorum_info info;
		if (vq::votequorum::wire::decode_getinfo(bytes, info) == CS_OK) {
			check(size >= sizeof(vq::votequorum::wire::ResGetinfo));
			check(strnlen(info.qdevice_name, sizeof info.qdevice_name) < sizeof info.qdevice_name);
		}
		break;
	}
	case 2: {
		const cs_error_t err = vq::votequorum::wire::decode_status(bytes);
		check(vq::is_cs_error(err));
		break;
	}
	case 3: {
		// Exactly the caller's promised room, on the heap so ASan sees overruns.
		auto* out = new char[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
		uint32_t n = 0;
		if (vq::votequorum::wire::decode_get_extra_info(bytes, n, out) == CS_OK) {
			check(n <= VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE);
			check(vq::votequorum::wire::kGetExtraInfoData + n <= size);
		}
		delete[] out;
		break;
	}
	case 4:
		dispatch_one<vq::quorum::CallbackSink>(data, size, vq::quorum::Callbacks{on_q_v0, nullptr, nullptr});
		break;
	case 5:
		dispatch_one<vq::quorum::CallbackSink>(data, size, vq::quorum::Callbacks{nullptr, on_q_v1, on_q_nodelist});
		break;
	case 6: {
		int quorate = 0;
		const cs_error_t err = vq::quorum::wire::decode_getquorate(bytes, quorate);
		check(vq::is_cs_error(err) && (err != CS_OK || size >= sizeof(vq::quorum::wire::ResGetquorate)));
		break;
	}
	case 7: {
		uint32_t type = 0;
		const cs_error_t err = vq::quorum::wire::decode_gettype(bytes, vq::quorum::wire::RES_GETTYPE, type);
		check(vq::is_cs_error(err) && (err != CS_OK || size >= sizeof(vq::quorum::wire::ResGettype)));
		break;
	}
	case 8:
		dispatch_one_with<vq::cmap::CallbackSink>(data, size, [](vq::cmap::CallbackSink& sink) {
			for (int i = 0; i < 4; ++i) {
				sink.tracks.set_handle(sink.tracks.enter(on_cmap, nullptr), static_cast<uint64_t>(i) + 100);
			}
		});
		break;
	case 9: {
		vq::cmap::wire::GetReply got{};
		const cs_error_t err = vq::cmap::wire::decode_get(bytes, 16, got);
		check(vq::is_cs_error(err));
		if (err == CS_OK) {
			check(got.value.size() == got.value_len && got.value_len <= 16);
			check(got.value.data() + got.value.size() <= bytes.data() + bytes.size());
			uint64_t sum = 0;
			for (std::byte b : got.value) {
				sum += static_cast<uint8_t>(b);
			}
			g_sink = sum;
		}
		break;
	}
	case 10: {
		vq::cmap::wire::IterEntry entry{};
		const cs_error_t err = vq::cmap::wire::decode_iter_next(bytes, entry);
		check(vq::is_cs_error(err));
		if (err == CS_OK) {
			check(entry.key.size() <= CMAP_KEYNAME_MAXLEN && entry.key.data()[entry.key.size()] == '\0');
			check(entry.key.data() + entry.key.size() < reinterpret_cast<const char*>(bytes.data() + bytes.size()));
		}
		break;
	}
	case 11: {
		uint64_t handle = 0;
		const cs_error_t err = vq::cmap::wire::decode_handle(bytes, vq::cmap::wire::RES_TRACK_ADD, handle);
		check(vq::is_cs_error(err) && (err != CS_OK || size >= sizeof(vq::cmap::wire::ResHandle)));
		break;
	}
	}
	return 0;
}
