// The quorum service's encoders against the daemon's ids, sizes and offsets
// (docs/wire.md), and every decoder's checks, with messages built byte by byte
// at the daemon's offsets.
#include "bytes.hpp"

#include "quorum/wire.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace vq::quorum::wire;
using vqtest::header_id;
using vqtest::header_size;
using vqtest::message;
using vqtest::read_at;
using vqtest::set_at;

namespace {


// What a sink was given, copied out of the views.
struct Recorder final : EventSink {
	std::vector<std::string> events;
	void on(const QuorumEvent& e) override
	{
		events.push_back("v0 quorate=" + std::to_string(e.quorate) + " seq=" + std::to_string(e.ring_seq) + list(e.members));
	}
	void on(const V1QuorumEvent& e) override
	{
		events.push_back("v1 quorate=" + std::to_string(e.quorate) + " ring=" + std::to_string(e.ring_id.nodeid) + "." +
			std::to_string(e.ring_id.seq) + list(e.members));
	}
	void on(const NodelistEvent& e) override
	{
		events.push_back("nodelist ring=" + std::to_string(e.ring_id.nodeid) + "." + std::to_string(e.ring_id.seq) +
			list(e.members) + list(e.joined) + list(e.left));
	}
	void on_unknown(int32_t id) override { events.push_back("unknown " + std::to_string(id)); }

	static std::string list(std::span<const uint32_t> ids)
	{
		std::string s = " [";
		for (uint32_t id : ids) {
			s += (s.size() > 2 ? "," : "") + std::to_string(id);
		}
		return s + "]";
	}
};

std::vector<std::string> decoded(const std::vector<std::byte>& m, cs_error_t expected = CS_OK)
{
	Recorder r;
	CHECK(decode_event(m, r) == expected);
	return r.events;
}

}  // namespace

TEST_CASE("quorum: requests have the daemon's ids, sizes and offsets", "[wire][quorum]")
{
	auto r = getquorate();
	CHECK((r.bytes().size() == 16 && header_id(r) == 0 && header_size(r) == 16));
	r = trackstart(CS_TRACK_CURRENT | CS_TRACK_CHANGES);
	CHECK((r.bytes().size() == 24 && header_id(r) == 1 && header_size(r) == 24));
	CHECK(read_at<uint32_t>(r.bytes(), 16) == (CS_TRACK_CURRENT | CS_TRACK_CHANGES));
	r = trackstop();
	CHECK((r.bytes().size() == 16 && header_id(r) == 2 && header_size(r) == 16));
	r = gettype();
	CHECK((r.bytes().size() == 16 && header_id(r) == 3 && header_size(r) == 16));
	r = model_gettype(QUORUM_MODEL_V1);
	CHECK((r.bytes().size() == 24 && header_id(r) == 4 && header_size(r) == 24));
	CHECK(read_at<uint32_t>(r.bytes(), 16) == 1);
}

TEST_CASE("quorum: replies are read at the daemon's offsets and checked", "[wire][quorum]")
{
	int quorate = -1;
	auto m = message(0, 32);
	set_at<uint32_t>(m, 24, 1);
	CHECK(decode_getquorate(m, quorate) == CS_OK);
	CHECK(quorate == 1);
	set_at<uint32_t>(m, 24, 0);
	CHECK(decode_getquorate(m, quorate) == CS_OK);
	CHECK(quorate == 0);

	quorate = -1;
	CHECK(decode_getquorate(message(0, 24), quorate) == CS_ERR_MESSAGE_ERROR);  // shorter than its type
	CHECK(decode_getquorate(message(1, 32), quorate) == CS_ERR_MESSAGE_ERROR);  // another reply's id
	CHECK(decode_getquorate(message(0, 32, CS_OK, 40), quorate) == CS_ERR_MESSAGE_ERROR);  // size lies
	CHECK(decode_getquorate(message(0, 32, CS_ERR_TRY_AGAIN), quorate) == CS_ERR_TRY_AGAIN);
	CHECK(decode_getquorate(message(0, 32, 9999), quorate) == CS_ERR_MESSAGE_ERROR);  // names no cs_error_t
	CHECK(quorate == -1);  // untouched by every failure

	uint32_t type = 7;
	m = message(RES_GETTYPE, 32);
	set_at<uint32_t>(m, 24, QUORUM_SET);
	CHECK(decode_gettype(m, RES_GETTYPE, type) == CS_OK);
	CHECK(type == QUORUM_SET);
	CHECK(decode_gettype(m, RES_MODEL_GETTYPE, type) == CS_ERR_MESSAGE_ERROR);
	m = message(RES_MODEL_GETTYPE, 32, CS_ERR_INVALID_PARAM);
	CHECK(decode_gettype(m, RES_MODEL_GETTYPE, type) == CS_ERR_INVALID_PARAM);

	CHECK(decode_track(message(RES_TRACKSTART, 24), RES_TRACKSTART) == CS_OK);
	CHECK(decode_track(message(RES_TRACKSTART, 24, CS_ERR_EXIST), RES_TRACKSTART) == CS_ERR_EXIST);
	CHECK(decode_track(message(RES_TRACKSTOP, 24), RES_TRACKSTART) == CS_ERR_MESSAGE_ERROR);
	CHECK(decode_track(message(RES_TRACKSTOP, 16), RES_TRACKSTOP) == CS_ERR_MESSAGE_ERROR);
}

TEST_CASE("quorum: V0 notifications decode at the daemon's offsets", "[wire][quorum]")
{
	// 48 + 4n bytes; the list starts at 44, right after its count.
	auto m = message(RES_NOTIFICATION, 48 + 4 * 3);
	set_at<int32_t>(m, 24, 1);
	set_at<uint64_t>(m, 32, 0x1122334455ull);
	set_at<uint32_t>(m, 40, 3);
	for (uint32_t i = 0; i < 3; ++i) {
		set_at<uint32_t>(m, 44 + 4 * i, 10 + i);
	}
	CHECK(decoded(m) == std::vector<std::string>{"v0 quorate=1 seq=73588229205 [10,11,12]"});

	set_at<uint32_t>(m, 40, 4);  // 44 + 4 * 4 = 60, the message's length: the padding read as a member
	CHECK(decoded(m).size() == 1);
	set_at<uint32_t>(m, 40, 5);
	CHECK(decoded(m, CS_ERR_MESSAGE_ERROR).empty());
	set_at<uint32_t>(m, 40, 0xffffffffu);
	CHECK(decoded(m, CS_ERR_MESSAGE_ERROR).empty());
	CHECK(decoded(message(RES_NOTIFICATION, 44), CS_ERR_MESSAGE_ERROR).empty());  // shorter than the struct
	CHECK(decoded(message(RES_NOTIFICATION, 48, CS_OK, 52), CS_ERR_MESSAGE_ERROR).empty());
}

TEST_CASE("quorum: V1 notifications decode at the daemon's offsets", "[wire][quorum]")
{
	// Quorum: 56 + 4n; ring id at 32 (nodeid) and 40 (seq), n at 48, list at 52.
	auto q = message(RES_V1_QUORUM_NOTIFICATION, 56 + 4 * 2);
	set_at<int32_t>(q, 24, 0);
	set_at<uint32_t>(q, 32, 5);
	set_at<uint64_t>(q, 40, 900);
	set_at<uint32_t>(q, 48, 2);
	set_at<uint32_t>(q, 52, 1);
	set_at<uint32_t>(q, 56, 5);
	CHECK(decoded(q) == std::vector<std::string>{"v1 quorate=0 ring=5.900 [1,5]"});
	set_at<uint32_t>(q, 48, 4);
	CHECK(decoded(q, CS_ERR_MESSAGE_ERROR).empty());

	// Node list: 64 + 4(m + j + l); ring id at 24 and 32, counts at 40, 48
	// and 56, then the three lists one after the other from 60.
	auto n = message(RES_V1_NODELIST_NOTIFICATION, 64 + 4 * 6);
	set_at<uint32_t>(n, 24, 2);
	set_at<uint64_t>(n, 32, 77);
	set_at<uint32_t>(n, 40, 3);
	set_at<uint32_t>(n, 48, 2);
	set_at<uint32_t>(n, 56, 1);
	const uint32_t ids[] = {1, 2, 3, 2, 3, 4};
	for (uint32_t i = 0; i < 6; ++i) {
		set_at<uint32_t>(n, 60 + 4 * i, ids[i]);
	}
	CHECK(decoded(n) == std::vector<std::string>{"nodelist ring=2.77 [1,2,3] [2,3] [4]"});
	set_at<uint32_t>(n, 56, 2);  // 7 entries: 60 + 28 = 88, the message's length (its padding read as a left node)
	CHECK(decoded(n).size() == 1);
	set_at<uint32_t>(n, 56, 3);  // 8 entries: one past the bytes
	CHECK(decoded(n, CS_ERR_MESSAGE_ERROR).empty());
	// Counts whose 32-bit sum wraps to a small number are still refused.
	set_at<uint32_t>(n, 40, 0xffffffffu);
	set_at<uint32_t>(n, 48, 2);
	set_at<uint32_t>(n, 56, 0);
	CHECK(decoded(n, CS_ERR_MESSAGE_ERROR).empty());
	CHECK(decoded(message(RES_V1_NODELIST_NOTIFICATION, 60), CS_ERR_MESSAGE_ERROR).empty());
}

TEST_CASE("quorum: unknown notifications are passed over, replies are not notifications", "[wire][quorum]")
{
	CHECK(decoded(message(42, 24)) == std::vector<std::string>{"unknown 42"});
	CHECK(decoded(message(RES_GETQUORATE, 32)) == std::vector<std::string>{"unknown 0"});
	CHECK(decoded(message(42, 24, CS_OK, 23), CS_ERR_MESSAGE_ERROR).empty());
}
