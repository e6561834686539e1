// libFuzzer target: raw bytes from a (hostile) daemon through the decoding
// path to the callbacks. The first byte picks the path:
//   0: a notification, dispatched through a Connection to callbacks that
//      read every element they are given;
//   1: a getinfo reply; 2: a status reply; 3: a get_extra_info reply.
// ASan/UBSan (built in) catch any read past the message; the checks below
// catch decoders that accept what they should not.
#include "callback_sink.hpp"
#include "connection.hpp"
#include "errors.hpp"
#include "stub_transport.hpp"
#include "wire.hpp"

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
	check(vq::wire::kQuorumNodes + std::size_t{n} * sizeof(votequorum_node_t) <= g_size);
	uint64_t sum = ctx + quorate;
	for (uint32_t i = 0; i < n; ++i) {
		sum += nodes[i].nodeid + nodes[i].state;
	}
	g_sink = sum;
}

void on_nodelist(votequorum_handle_t, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	check(vq::wire::kNodelistNodes + std::size_t{n} * sizeof(uint32_t) <= g_size);
	uint64_t sum = ctx + ring.nodeid + ring.seq;
	for (uint32_t i = 0; i < n; ++i) {
		sum += ids[i];
	}
	g_sink = sum;
}

void on_expected(votequorum_handle_t, uint64_t ctx, uint32_t e)
{
	check(sizeof(vq::wire::ResExpectedVotesNotification) <= g_size);
	g_sink = ctx + e;
}

void on_extra(votequorum_handle_t, uint64_t ctx, uint32_t nodeid, uint32_t n, void* data)
{
	check(n <= VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE);
	check(vq::wire::kExtraInfoNotificationData + n <= g_size);
	uint64_t sum = ctx + nodeid;
	for (uint32_t i = 0; i < n; ++i) {
		sum += static_cast<const uint8_t*>(data)[i];
	}
	g_sink = sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
	if (size == 0) {
		return 0;
	}
	const uint8_t path = data[0] % 4;
	++data;
	--size;
	g_size = size;
	const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
	switch (path) {
	case 0: {
		std::shared_ptr<vq::Connection> conn;
		vq::Callbacks cb{on_quorum, on_expected, on_nodelist, on_extra};
		auto transport = std::make_unique<vqtest::StubTransport>();  // 64 KiB: above max_len
		transport->push(data, size);
		if (vq::Connection::create(std::move(transport), std::make_shared<vq::CallbackSink>(cb), conn) != CS_OK) {
			return 0;
		}
		const cs_error_t err = conn->dispatch(CS_DISPATCH_ONE_NONBLOCKING);
		check(err == CS_OK || err == CS_ERR_MESSAGE_ERROR || err == CS_ERR_TOO_BIG);
		break;
	}
	case 1: {
		votequorum_info info;
		if (vq::wire::decode_getinfo(bytes, info) == CS_OK) {
			check(size >= sizeof(vq::wire::ResGetinfo));
			check(strnlen(info.qdevice_name, sizeof info.qdevice_name) < sizeof info.qdevice_name);
		}
		break;
	}
	case 2: {
		const cs_error_t err = vq::wire::decode_status(bytes);
		check(vq::is_cs_error(err));
		break;
	}
	case 3: {
		// Exactly the caller's promised room, on the heap so ASan sees overruns.
		auto* out = new char[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
		uint32_t n = 0;
		if (vq::wire::decode_get_extra_info(bytes, n, out) == CS_OK) {
			check(n <= VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE);
			check(vq::wire::kGetExtraInfoData + n <= size);
		}
		delete[] out;
		break;
	}
	}
	return 0;
}
