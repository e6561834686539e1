// Writes the seed corpus (tests/fuzz/corpus/): one well-formed message of
// each kind the fuzzer's paths take, prefixed by the path byte. Run once;
// the output is kept in the tree.
#include "wire.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace vq::wire;

namespace {

void write(const std::string& dir, const char* name, uint8_t path, const void* msg, std::size_t size)
{
	std::string file = dir + "/" + name;
	FILE* f = std::fopen(file.c_str(), "wb");
	std::fputc(path, f);
	std::fwrite(msg, 1, size, f);
	std::fclose(f);
}

template <class Head>
std::vector<std::byte> with_tail(Head head, std::size_t at, const void* tail, std::size_t n)
{
	std::vector<std::byte> bytes(sizeof head + n);
	head.header.size = static_cast<int32_t>(bytes.size());
	std::memcpy(bytes.data(), &head, sizeof head);
	if (n) {
		std::memcpy(bytes.data() + at, tail, n);
	}
	return bytes;
}

}  // namespace

int main(int argc, char** argv)
{
	const std::string dir = argc > 1 ? argv[1] : ".";
	ResQuorumNotification q{};
	q.header = {RES_QUORUM_NOTIFICATION, 0, CS_OK};
	q.quorate = 1;
	q.context = 42;
	q.node_list_entries = 3;
	votequorum_node_t nodes[3] = {{1, 1}, {2, 1}, {3, 2}};
	auto qm = with_tail(q, kQuorumNodes, nodes, sizeof nodes);
	write(dir, "quorum-3", 0, qm.data(), qm.size());

	ResNodelistNotification nl{};
	nl.header = {RES_NODELIST_NOTIFICATION, 0, CS_OK};
	nl.context = 42;
	nl.ring_id = {1, 0x10};
	nl.node_list_entries = 2;
	uint32_t ids[2] = {1, 2};
	auto nm = with_tail(nl, kNodelistNodes, ids, sizeof ids);
	write(dir, "nodelist-2", 0, nm.data(), nm.size());

	ResExpectedVotesNotification ev{};
	ev.header = {RES_EXPECTEDVOTES_NOTIFICATION, sizeof ev, CS_OK};
	ev.expected_votes = 3;
	write(dir, "expectedvotes", 0, &ev, sizeof ev);

	ResExtraInfoNotification ex{};
	ex.header = {RES_EXTRA_INFO_NOTIFICATION, 0, CS_OK};
	ex.nodeid = 2;
	ex.ei_size = 9;
	auto xm = with_tail(ex, kExtraInfoNotificationData, "Qdsk 00ff", 9);
	write(dir, "extrainfo", 0, xm.data(), xm.size());

	ResGetinfo gi{};
	gi.header = {RES_GETINFO, sizeof gi, CS_OK};
	gi.nodeid = 1;
	gi.flags = VOTEQUORUM_INFO_QUORATE;
	std::strcpy(gi.qdevice_name, "Qdevice");
	write(dir, "getinfo", 1, &gi, sizeof gi);

	ResStatus st{};
	st.header = {RES_STATUS, sizeof st, CS_ERR_NOT_EXIST};
	write(dir, "status", 2, &st, sizeof st);

	ResGetExtraInfo ge{};
	ge.header = {RES_GET_EXTRA_INFO, 0, CS_OK};
	ge.ei_size = 5;
	auto gm = with_tail(ge, kGetExtraInfoData, "hello", 5);
	write(dir, "get-extra-info", 3, gm.data(), gm.size());
	return 0;
}
