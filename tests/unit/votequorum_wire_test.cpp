// Encoders against the sizes and offsets that docs/wire.md gives, and
// the size checks of every decoder.
#include "bytes.hpp"

#include "votequorum/wire.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>

using namespace vq::votequorum::wire;
using vqtest::bytes_of;
using vqtest::header_id;
using vqtest::header_size;
using vqtest::read_at;
using vqtest::set_at;

namespace {

// Where the daemon of this architecture keeps a ring id's seq: its
// mar_votequorum_ring_id is a plain {uint32_t nodeid; uint64_t seq;}, and a
// uint64_t inside a struct is 4-aligned on i386, 8-aligned elsewhere.
#if defined(__i386__)
constexpr std::size_t kSeqInRing = 4;
#else
constexpr std::size_t kSeqInRing = 8;
#endif

}  // namespace

TEST_CASE("requests have the daemon's ids, sizes and offsets", "[wire]")
{
	auto r = getinfo(7);
	CHECK(r.bytes().size() == 24);
	CHECK(header_id(r) == 0);
	CHECK(header_size(r) == 24);
	CHECK(read_at<int32_t>(r.bytes(), 16) == 7);

	r = setexpected(5);
	CHECK((header_id(r) == 1 && header_size(r) == 24 && read_at<uint32_t>(r.bytes(), 16) == 5));

	r = setvotes(3, 2);
	CHECK((header_id(r) == 2 && header_size(r) == 24));
	CHECK(read_at<uint32_t>(r.bytes(), 16) == 2);  // votes
	CHECK(read_at<int32_t>(r.bytes(), 20) == 3);   // nodeid

	r = trackstart(0x1122334455667788ull, CS_TRACK_CHANGES);
	CHECK((header_id(r) == 3 && header_size(r) == 32));
	CHECK(read_at<uint64_t>(r.bytes(), 16) == 0x1122334455667788ull);
	CHECK(read_at<uint32_t>(r.bytes(), 24) == CS_TRACK_CHANGES);

	r = trackstop();
	CHECK((header_id(r) == 4 && header_size(r) == 16));

	r = qdevice_register("Qdevice");
	CHECK((header_id(r) == 5 && header_size(r) == 272));
	CHECK(std::string(reinterpret_cast<const char*>(r.bytes().data() + 16)) == "Qdevice");
	r = qdevice_unregister("Q");
	CHECK((header_id(r) == 6 && header_size(r) == 272));

	r = qdevice_update("old", "new");
	CHECK((header_id(r) == 7 && header_size(r) == 528));
	CHECK(std::string(reinterpret_cast<const char*>(r.bytes().data() + 16)) == "old");
	CHECK(std::string(reinterpret_cast<const char*>(r.bytes().data() + 271)) == "new");

	r = qdevice_poll("Q", 1, {4, 0x99});
	CHECK((header_id(r) == 8 && header_size(r) == 296));
	CHECK(read_at<int32_t>(r.bytes(), 272) == 1);
	CHECK(read_at<uint32_t>(r.bytes(), 280) == 4);
	CHECK(read_at<uint64_t>(r.bytes(), 280 + kSeqInRing) == 0x99);

	r = qdevice_master_wins("Q", 1);
	CHECK((header_id(r) == 9 && header_size(r) == 280 && read_at<uint32_t>(r.bytes(), 272) == 1));

	r = set_extra_info("abc", 3);
	CHECK((header_id(r) == 10 && header_size(r) == 27));  // sizeof + n, as the daemon counts
	CHECK(read_at<uint32_t>(r.bytes(), 16) == 3);
	CHECK(std::memcmp(r.bytes().data() + 20, "abc", 3) == 0);
	r = set_extra_info(nullptr, 0);
	CHECK((header_size(r) == 24 && read_at<uint32_t>(r.bytes(), 16) == 0));

	r = get_extra_info(9);
	CHECK((header_id(r) == 11 && header_size(r) == 24 && read_at<int32_t>(r.bytes(), 16) == 9));
}

TEST_CASE("a 254-character name is sent whole and terminated", "[wire]")
{
	const std::string name(254, 'n');
	auto r = qdevice_register(name.c_str());
	CHECK(std::memcmp(r.bytes().data() + 16, name.data(), 254) == 0);
	CHECK(r.bytes()[16 + 254] == std::byte{0});
}

TEST_CASE("status replies: error passed through, malformed refused", "[wire]")
{
	ResStatus st{};
	st.header = {RES_STATUS, sizeof st, CS_OK};
	auto bytes = bytes_of(&st, sizeof st);
	CHECK(decode_status(bytes) == CS_OK);
	for (int e = 2; e <= 200; ++e) {
		set_at<int32_t>(bytes, 16, e);
		const bool defined = e <= 28 || e == 30 || e == 100;
		INFO("error " << e);
		CHECK(static_cast<int>(decode_status(bytes)) == (defined ? e : CS_ERR_MESSAGE_ERROR));
	}
	for (int e : {0, -1, 29, 12345}) {
		set_at<int32_t>(bytes, 16, e);
		CHECK(decode_status(bytes) == CS_ERR_MESSAGE_ERROR);
	}
	set_at<int32_t>(bytes, 16, CS_OK);
	CHECK(decode_status(std::span(bytes).first(23)) == CS_ERR_MESSAGE_ERROR);  // short
	set_at<int32_t>(bytes, 8, 40);  // size lies
	CHECK(decode_status(bytes) == CS_ERR_MESSAGE_ERROR);
	set_at<int32_t>(bytes, 8, 24);
	set_at<int32_t>(bytes, 0, RES_GETINFO);  // wrong id
	CHECK(decode_status(bytes) == CS_ERR_MESSAGE_ERROR);
}

TEST_CASE("getinfo replies", "[wire]")
{
	ResGetinfo res{};
	res.header = {RES_GETINFO, sizeof res, CS_OK};
	res.nodeid = 1; res.state = 2; res.votes = 3; res.expected_votes = 4; res.highest_expected = 5;
	res.total_votes = 6; res.quorum = 7; res.flags = 8; res.qdevice_votes = 9;
	std::strcpy(res.qdevice_name, "Qdevice");
	auto bytes = bytes_of(&res, sizeof res);

	votequorum_info info;
	std::memset(&info, 0xAA, sizeof info);
	REQUIRE(decode_getinfo(bytes, info) == CS_OK);
	CHECK((info.node_id == 1 && info.node_state == 2 && info.node_votes == 3 && info.node_expected_votes == 4));
	CHECK((info.highest_expected == 5 && info.total_votes == 6 && info.quorum == 7 && info.flags == 8));
	CHECK(info.qdevice_votes == 9);
	CHECK(std::string(info.qdevice_name) == "Qdevice");
	for (std::size_t i = 7; i < sizeof info.qdevice_name; ++i) {
		CHECK(info.qdevice_name[i] == 0);  // zero-filled, as the reference does
	}

	SECTION("an unterminated name is refused") {
		std::memset(bytes.data() + 60, 'x', 255);
		CHECK(decode_getinfo(bytes, info) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("short") {
		set_at<int32_t>(bytes, 8, 319);
		CHECK(decode_getinfo(std::span(bytes).first(319), info) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("an error reply returns its error") {
		set_at<int32_t>(bytes, 16, CS_ERR_NOT_EXIST);
		CHECK(decode_getinfo(bytes, info) == CS_ERR_NOT_EXIST);
	}
	SECTION("a bare STATUS carrying an error") {
		ResStatus st{};
		st.header = {RES_STATUS, sizeof st, CS_ERR_NOT_SUPPORTED};
		CHECK(decode_getinfo(bytes_of(&st, sizeof st), info) == CS_ERR_NOT_SUPPORTED);
	}
	SECTION("a bare STATUS carrying CS_OK is not a getinfo reply") {
		ResStatus st{};
		st.header = {RES_STATUS, sizeof st, CS_OK};
		CHECK(decode_getinfo(bytes_of(&st, sizeof st), info) == CS_ERR_MESSAGE_ERROR);
	}
}

TEST_CASE("get_extra_info replies", "[wire]")
{
	std::vector<std::byte> bytes(kGetExtraInfoData + 5);
	ResponseHeader h{RES_GET_EXTRA_INFO, static_cast<int32_t>(bytes.size()), CS_OK};
	std::memcpy(bytes.data(), &h, sizeof h);
	set_at<uint32_t>(bytes, 24, 5);
	std::memcpy(bytes.data() + 28, "hello", 5);
	char out[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = 0;
	REQUIRE(decode_get_extra_info(bytes, size, out) == CS_OK);
	CHECK(size == 5);
	CHECK(std::memcmp(out, "hello", 5) == 0);

	set_at<uint32_t>(bytes, 24, 6);  // one more than the bytes received
	CHECK(decode_get_extra_info(bytes, size, out) == CS_ERR_MESSAGE_ERROR);
	set_at<uint32_t>(bytes, 24, 0xffffffffu);
	CHECK(decode_get_extra_info(bytes, size, out) == CS_ERR_MESSAGE_ERROR);

	std::vector<std::byte> big(kGetExtraInfoData + 4097);
	h.size = static_cast<int32_t>(big.size());
	std::memcpy(big.data(), &h, sizeof h);
	set_at<uint32_t>(big, 24, 4097);  // fits the message, exceeds the limit
	CHECK(decode_get_extra_info(big, size, out) == CS_ERR_MESSAGE_ERROR);
}

namespace {

// What decode_event handed its sink, copied out of the views. The views
// must point into the message decoded, not at a copy.
struct Recorder final : EventSink {
	std::span<const std::byte> msg;  // the message decoded
	std::string kind;
	int calls = 0;
	uint64_t context = 0;
	uint32_t value = 0;  // quorate, expected votes or nodeid
	votequorum_ring_id_t ring{};
	std::vector<votequorum_node_t> nodes;
	std::vector<uint32_t> ids;
	std::vector<std::byte> data;
	int32_t unknown_id = 0;

	template <class T>
	void check_inside(std::span<const T> view) const
	{
		const auto* p = reinterpret_cast<const std::byte*>(view.data());
		CHECK(p >= msg.data());
		CHECK(p + view.size_bytes() <= msg.data() + msg.size());
	}
	void on(const QuorumEvent& e) override
	{
		seen("quorum", e.context);
		value = e.quorate;
		check_inside(e.nodes);
		nodes.assign(e.nodes.begin(), e.nodes.end());
	}
	void on(const ExpectedVotesEvent& e) override
	{
		seen("expected", e.context);
		value = e.expected_votes;
	}
	void on(const NodelistEvent& e) override
	{
		seen("nodelist", e.context);
		ring = e.ring_id;
		check_inside(e.nodes);
		ids.assign(e.nodes.begin(), e.nodes.end());
	}
	void on(const ExtraInfoEvent& e) override
	{
		seen("extra", e.context);
		value = e.nodeid;
		check_inside(e.data);
		data.assign(e.data.begin(), e.data.end());
	}
	void on_unknown(int32_t id) override
	{
		seen("unknown", 0);
		unknown_id = id;
	}
	void seen(const char* what, uint64_t ctx)
	{
		kind = what;
		context = ctx;
		++calls;
	}
};

cs_error_t decode(std::span<const std::byte> msg, Recorder& r)
{
	r.msg = msg;
	return decode_event(msg, r);
}

std::vector<std::byte> quorum_msg(uint32_t entries, std::size_t actual_entries)
{
	std::vector<std::byte> bytes(kQuorumNodes + actual_entries * 8);
	ResQuorumNotification head{};
	head.header = {RES_QUORUM_NOTIFICATION, static_cast<int32_t>(bytes.size()), CS_OK};
	head.quorate = 1;
	head.context = 77;
	head.node_list_entries = entries;
	std::memcpy(bytes.data(), &head, sizeof head);
	for (std::size_t i = 0; i < actual_entries; ++i) {
		votequorum_node_t n{static_cast<uint32_t>(i + 1), VOTEQUORUM_NODESTATE_MEMBER};
		std::memcpy(bytes.data() + kQuorumNodes + i * 8, &n, 8);
	}
	return bytes;
}

}  // namespace

TEST_CASE("notifications decode and are size-checked", "[wire]")
{
	Recorder ev;
	SECTION("quorum, with entries that fit") {
		REQUIRE(decode(quorum_msg(3, 3), ev) == CS_OK);
		CHECK((ev.kind == "quorum" && ev.context == 77 && ev.value == 1 && ev.nodes.size() == 3));
		CHECK((ev.nodes[2].nodeid == 3 && ev.nodes[2].state == VOTEQUORUM_NODESTATE_MEMBER));
	}
	SECTION("quorum with zero entries") {
		REQUIRE(decode(quorum_msg(0, 0), ev) == CS_OK);
		CHECK((ev.kind == "quorum" && ev.nodes.empty()));
	}
	SECTION("a count larger than the bytes") {
		CHECK(decode(quorum_msg(4, 3), ev) == CS_ERR_MESSAGE_ERROR);
		CHECK(decode(quorum_msg(0xffffffffu, 3), ev) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("trailing bytes beyond the entries are tolerated") {
		CHECK(decode(quorum_msg(2, 3), ev) == CS_OK);
		CHECK(ev.nodes.size() == 2);
	}
	SECTION("shorter than the type") {
		auto bytes = quorum_msg(0, 0);
		bytes.resize(40);
		set_at<int32_t>(bytes, 8, 40);
		CHECK(decode(bytes, ev) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("header.size lying") {
		auto bytes = quorum_msg(1, 1);
		set_at<int32_t>(bytes, 8, 1000);
		CHECK(decode(bytes, ev) == CS_ERR_MESSAGE_ERROR);
		set_at<int32_t>(bytes, 8, -1);
		CHECK(decode(bytes, ev) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("shorter than a header") {
		std::vector<std::byte> tiny(10);
		CHECK(decode(tiny, ev) == CS_ERR_MESSAGE_ERROR);
		CHECK(decode({}, ev) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("nodelist") {
		std::vector<std::byte> bytes(kNodelistNodes + 8);
		ResNodelistNotification head{};
		head.header = {RES_NODELIST_NOTIFICATION, static_cast<int32_t>(bytes.size()), CS_OK};
		head.context = 5;
		head.ring_id = {3, 0x10};
		head.node_list_entries = 2;
		std::memcpy(bytes.data(), &head, sizeof head);
		set_at<uint32_t>(bytes, 56, 11);
		set_at<uint32_t>(bytes, 60, 12);
		REQUIRE(decode(bytes, ev) == CS_OK);
		CHECK((ev.kind == "nodelist" && ev.context == 5 && ev.ring.nodeid == 3 && ev.ring.seq == 0x10));
		CHECK((ev.ids == std::vector<uint32_t>{11, 12}));
		set_at<uint32_t>(bytes, 48, 3);
		CHECK(decode(bytes, ev) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("expected votes") {
		ResExpectedVotesNotification res{};
		res.header = {RES_EXPECTEDVOTES_NOTIFICATION, sizeof res, CS_OK};
		res.context = 9;
		res.expected_votes = 4;
		REQUIRE(decode(bytes_of(&res, sizeof res), ev) == CS_OK);
		CHECK((ev.kind == "expected" && ev.context == 9 && ev.value == 4));
		res.header.size = 39;
		CHECK(decode(bytes_of(&res, 39), ev) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("extra info") {
		std::vector<std::byte> bytes(kExtraInfoNotificationData + 3);
		ResExtraInfoNotification head{};
		head.header = {RES_EXTRA_INFO_NOTIFICATION, static_cast<int32_t>(bytes.size()), CS_OK};
		head.context = 1;
		head.nodeid = 2;
		head.ei_size = 3;
		std::memcpy(bytes.data(), &head, sizeof head);
		std::memcpy(bytes.data() + 48, "xyz", 3);
		REQUIRE(decode(bytes, ev) == CS_OK);
		CHECK((ev.kind == "extra" && ev.value == 2 && ev.data.size() == 3 && std::memcmp(ev.data.data(), "xyz", 3) == 0));
		set_at<uint32_t>(bytes, 40, 4);
		CHECK(decode(bytes, ev) == CS_ERR_MESSAGE_ERROR);
	}
	SECTION("a malformed message reaches no sink") {
		CHECK(decode(quorum_msg(4, 3), ev) == CS_ERR_MESSAGE_ERROR);
		CHECK(ev.calls == 0);
	}
	SECTION("an unknown id is a message to pass over") {
		ResStatus st{};
		st.header = {99, sizeof st, CS_OK};
		REQUIRE(decode(bytes_of(&st, sizeof st), ev) == CS_OK);
		CHECK((ev.kind == "unknown" && ev.unknown_id == 99));
	}
}

// Every notification written byte by byte at the offsets the daemon's
// header gives (each field __attribute__((aligned(8))), so the same on every
// architecture but for the ring id's seq), never through our structs: a
// field of ours that follows the ABI's natural alignment instead (a
// uint64_t after a uint32_t lands at 28 on i386) is read from the wrong
// place here.
TEST_CASE("notifications decode at the daemon's offsets on this architecture", "[wire]")
{
	Recorder ev;
	SECTION("quorum: quorate at 24, context at 32, entries at 40, nodes at 48") {
		std::vector<std::byte> bytes(48 + 8);
		set_at<int32_t>(bytes, 0, RES_QUORUM_NOTIFICATION);
		set_at<int32_t>(bytes, 8, static_cast<int32_t>(bytes.size()));
		set_at<int32_t>(bytes, 16, CS_OK);
		set_at<uint32_t>(bytes, 24, 1);
		set_at<uint64_t>(bytes, 32, 0x0102030405060708ull);
		set_at<uint32_t>(bytes, 40, 1);
		set_at<uint32_t>(bytes, 48, 7);
		set_at<uint32_t>(bytes, 52, VOTEQUORUM_NODESTATE_MEMBER);
		REQUIRE(decode(bytes, ev) == CS_OK);
		CHECK((ev.kind == "quorum" && ev.value == 1 && ev.context == 0x0102030405060708ull));
		REQUIRE(ev.nodes.size() == 1);
		CHECK((ev.nodes[0].nodeid == 7 && ev.nodes[0].state == VOTEQUORUM_NODESTATE_MEMBER));
	}
	SECTION("expected votes: context at 24, votes at 32") {
		std::vector<std::byte> bytes(40);
		set_at<int32_t>(bytes, 0, RES_EXPECTEDVOTES_NOTIFICATION);
		set_at<int32_t>(bytes, 8, 40);
		set_at<uint64_t>(bytes, 24, 0x1112131415161718ull);
		set_at<uint32_t>(bytes, 32, 5);
		REQUIRE(decode(bytes, ev) == CS_OK);
		CHECK((ev.kind == "expected" && ev.context == 0x1112131415161718ull && ev.value == 5));
	}
	SECTION("nodelist: context at 24, ring id at 32, entries at 48, ids at 56") {
		std::vector<std::byte> bytes(56 + 4);
		set_at<int32_t>(bytes, 0, RES_NODELIST_NOTIFICATION);
		set_at<int32_t>(bytes, 8, static_cast<int32_t>(bytes.size()));
		set_at<uint64_t>(bytes, 24, 0x2122232425262728ull);
		set_at<uint32_t>(bytes, 32, 9);
		set_at<uint64_t>(bytes, 32 + kSeqInRing, 0x3132333435363738ull);
		set_at<uint32_t>(bytes, 48, 1);
		set_at<uint32_t>(bytes, 56, 9);
		REQUIRE(decode(bytes, ev) == CS_OK);
		CHECK((ev.kind == "nodelist" && ev.context == 0x2122232425262728ull));
		CHECK((ev.ring.nodeid == 9 && ev.ring.seq == 0x3132333435363738ull));
		CHECK((ev.ids == std::vector<uint32_t>{9}));
	}
	SECTION("extra info: context at 24, nodeid at 32, size at 40, data at 48") {
		std::vector<std::byte> bytes(48 + 2);
		set_at<int32_t>(bytes, 0, RES_EXTRA_INFO_NOTIFICATION);
		set_at<int32_t>(bytes, 8, static_cast<int32_t>(bytes.size()));
		set_at<uint64_t>(bytes, 24, 0x4142434445464748ull);
		set_at<uint32_t>(bytes, 32, 3);
		set_at<uint32_t>(bytes, 40, 2);
		std::memcpy(bytes.data() + 48, "ok", 2);
		REQUIRE(decode(bytes, ev) == CS_OK);
		CHECK((ev.kind == "extra" && ev.context == 0x4142434445464748ull && ev.value == 3));
		CHECK((ev.data.size() == 2 && std::memcmp(ev.data.data(), "ok", 2) == 0));
	}
}

TEST_CASE("a qdevice poll carries the ring id where the daemon reads it", "[wire]")
{
	// cast_vote at 272, the ring id aligned to 8 at 280 (its seq after it
	// as the ABI places it), 296 bytes in all, on every architecture.
	const auto r = qdevice_poll("Q", 1, {0x51525354u, 0x6162636465666768ull});
	REQUIRE(r.bytes().size() == 296);
	CHECK(read_at<int32_t>(r.bytes(), 272) == 1);
	CHECK(read_at<uint32_t>(r.bytes(), 280) == 0x51525354u);
	CHECK(read_at<uint64_t>(r.bytes(), 280 + kSeqInRing) == 0x6162636465666768ull);
}
