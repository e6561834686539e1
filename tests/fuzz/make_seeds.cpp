// Writes the seed corpus (tests/fuzz/corpus/): one well-formed message of
// each kind the fuzzer's paths take, prefixed by the path byte. Run once;
// the output is kept in the tree.
#include "canned_cmap.hpp"
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
	// The cmap service: path 8 a notification (the handle holds tracks 1 to
	// 4), 9 a get reply with 16 bytes of room, 10 an iter_next reply, 11 a
	// reply carrying a handle.
	write(dir, "cmap-notify", 8, cmap_notification(2, CMAP_TRACK_MODIFY, "totem.token", CMAP_VALUETYPE_UINT32,
		std::string("\x10\x27\0\0", 4), CMAP_VALUETYPE_UINT32, std::string("\xe8\x03\0\0", 4)));
	write(dir, "cmap-notify-string", 8, cmap_notification(1, CMAP_TRACK_ADD, "a.b", CMAP_VALUETYPE_STRING,
		std::string("abc", 4), 0, ""));
	std::string get(sizeof(res_lib_cmap_get) + 16, '\0');
	auto gr = response<res_lib_cmap_get>(MESSAGE_RES_CMAP_GET, CS_OK);
	gr.header.size = static_cast<int32_t>(get.size());
	gr.value_len = 4;
	gr.type = CMAP_VALUETYPE_UINT32;
	std::memcpy(get.data(), &gr, sizeof gr);
	get[sizeof gr] = '\x05';
	write(dir, "cmap-get", 9, get);
	auto next = response<res_lib_cmap_iter_next>(MESSAGE_RES_CMAP_ITER_NEXT, CS_OK);
	put_cmap_name(next.key_name, "totem.version");
	next.value_len = 4;
	next.type = CMAP_VALUETYPE_UINT32;
	write(dir, "cmap-iter-next", 10, &next, sizeof next);
	auto track = response<res_lib_cmap_track_add>(MESSAGE_RES_CMAP_TRACK_ADD, CS_OK);
	track.track_handle = 7;
	write(dir, "cmap-track-add", 11, &track, sizeof track);
	return 0;
}
