// Writes the seed corpus (tests/fuzz/corpus/): one well-formed message of
// each kind the fuzzer's paths take, prefixed by the path byte. Run once;
// the output is kept in the tree.
#include "fake_server.hpp"

#include <cstdio>
#include <string>

using namespace vqtest;

namespace {

void write(const std::string& dir, const char* name, uint8_t path, const void* msg, std::size_t size)
{
	std::string file = dir + "/" + name;
	FILE* f = std::fopen(file.c_str(), "wb");
	std::fputc(path, f);
	std::fwrite(msg, 1, size, f);
	std::fclose(f);
}

template <class Bytes>
void write(const std::string& dir, const char* name, uint8_t path, const Bytes& bytes)
{
	write(dir, name, path, bytes.data(), bytes.size());
}

}  // namespace

int main(int argc, char** argv)
{
	const std::string dir = argc > 1 ? argv[1] : ".";
	write(dir, "quorum-3", 0, quorum_event(42, 1, {{1, 1}, {2, 1}, {3, 2}}));
	write(dir, "nodelist-2", 0, nodelist_event(42, {1, 0x10}, {1, 2}));
	auto ev = expectedvotes_event(0, 3);
	write(dir, "expectedvotes", 0, &ev, sizeof ev);
	write(dir, "extrainfo", 0, extra_info_event(0, 2, "Qdsk 00ff"));
	auto gi = getinfo_reply(CS_OK, 1, "Qdevice");
	write(dir, "getinfo", 1, &gi, sizeof gi);
	const auto st = response<res_lib_votequorum_status>(MESSAGE_RES_VOTEQUORUM_STATUS, CS_ERR_NOT_EXIST);
	write(dir, "status", 2, &st, sizeof st);
	write(dir, "get-extra-info", 3, extra_info_reply(CS_OK, "hello"));
	// The quorum service: paths 4 (V0 callbacks) and 5 (V1 callbacks) take
	// any notification; 6 a getquorate reply, 7 a gettype reply.
	write(dir, "quorum-v0-3", 4, quorum_v0_notification(1, 0x10, {1, 2, 3}));
	write(dir, "quorum-v1-2", 5, quorum_v1_notification(1, {1, 0x10}, {1, 2}));
	write(dir, "quorum-v1-nodelist", 5, quorum_v1_nodelist_notification({1, 0x10}, {1, 2, 3}, {3}, {4}));
	const auto gq = quorum_getquorate_reply(CS_OK, 1);
	write(dir, "quorum-getquorate", 6, &gq, sizeof gq);
	const auto gt = quorum_gettype_reply(CS_OK, QUORUM_SET);
	write(dir, "quorum-gettype", 7, &gt, sizeof gt);
	return 0;
}
