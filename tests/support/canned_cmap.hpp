// The one well-behaved cmap service for fake-server tests: a map of keys
// kept in the server child, answering as corosync's daemon does (values
// and their types, iterators over a prefix, tracks that notify the
// connection that added them), built from corosync's own ipc_cmap.h. A test
// changes only the fields it cares about (the keys it starts with, the
// error a request gets). Pass it to cmap_service() as the request handler,
// or call it from a handler for the requests that handler does not script.
#pragma once

#include "fake_server.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <atomic>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace vqtest {

inline Service cmap_service(RequestHandler on_request, PokeHandler on_poke = {})
{
	return {"cmap", std::move(on_request), std::move(on_poke)};
}

// A key's name as corosync's key field holds it (the field zeroed first).
inline void put_cmap_name(mar_name_t& field, const std::string& key)
{
	std::memset(&field, 0, sizeof field);
	field.length = static_cast<uint16_t>(key.size());
	std::memcpy(field.value, key.data(), std::min(key.size(), sizeof field.value));
}

inline std::string cmap_name(const mar_name_t& field)
{
	return std::string(reinterpret_cast<const char*>(field.value), std::min<std::size_t>(field.length, sizeof field.value));
}

// A notification of a track, as corosync's daemon sends it: the fixed part,
// then the new value, then the old one. `claimed_new_len` makes it lie.
inline std::vector<std::byte> cmap_notification(uint64_t track_inst, int32_t event, const std::string& key,
	uint8_t new_type, const std::string& new_value, uint8_t old_type, const std::string& old_value,
	int64_t claimed_new_len = -1)
{
	auto fixed = response<res_lib_cmap_notify_callback>(MESSAGE_RES_CMAP_NOTIFY_CALLBACK, CS_OK);
	fixed.track_inst_handle = track_inst;
	put_cmap_name(fixed.key_name, key);
	fixed.event = event;
	fixed.new_value_type = new_type;
	fixed.old_value_type = old_type;
	fixed.new_value_len = claimed_new_len >= 0 ? static_cast<uint64_t>(claimed_new_len) : new_value.size();
	fixed.old_value_len = old_value.size();
	fixed.header.size = static_cast<int32_t>(sizeof fixed + new_value.size() + old_value.size());
	std::vector<std::byte> msg(sizeof fixed + new_value.size() + old_value.size());
	std::memcpy(msg.data(), &fixed, sizeof fixed);
	std::memcpy(msg.data() + sizeof fixed, new_value.data(), new_value.size());
	std::memcpy(msg.data() + sizeof fixed + new_value.size(), old_value.data(), old_value.size());
	return msg;
}

// A uint32 value's bytes as corosync stores them: in the host's byte order.
inline std::string host_u32(uint32_t v)
{
	std::string bytes(sizeof v, '\0');
	std::memcpy(bytes.data(), &v, sizeof v);
	return bytes;
}

struct CannedCmap {
	struct Value {
		uint8_t type;
		std::string bytes;
	};
	// The keys the map starts with (each connection's map: default or stats).
	std::map<std::string, Value> keys{{"totem.cluster_name", {CMAP_VALUETYPE_STRING, std::string("test", 5)}},
		{"totem.version", {CMAP_VALUETYPE_UINT32, host_u32(2)}}};
	std::map<std::string, Value> stats{{"stats.ipcs.global.active", {CMAP_VALUETYPE_UINT64, std::string(8, '\x01')}}};
	// The error each request's reply carries, by request id (CS_OK when not
	// listed).
	std::map<int32_t, int32_t> errors;

	void operator()(Peer& peer, int32_t id, std::span<const std::byte> request)
	{
		const auto listed = errors.find(id);
		const int32_t error = listed == errors.end() ? CS_OK : listed->second;
		Conn& conn = conns_[peer.connection()];
		auto& map = conn.stats ? stats : keys;
		auto general = [&](int32_t res_id, int32_t err) {
			peer.reply(response<qb_ipc_response_header>(res_id, error != CS_OK ? error : err));
		};
		switch (id) {
		case MESSAGE_REQ_CMAP_SET: {
			const auto r = request_as<req_lib_cmap_set>(request);
			const std::string key = cmap_name(r.key_name);
			// The value is value_len bytes; a string's may be followed by
			// its NUL, uncounted. corosync reads a string with strlen from
			// its first byte, however long the message: here a string must
			// have a NUL inside the message (ours always sends one), and is
			// stored as corosync stores it, up to value_len bytes, then a NUL.
			const std::size_t tail = request.size() - std::min(request.size(), sizeof r);
			const bool string = r.type == CMAP_VALUETYPE_STRING;
			const auto* value = reinterpret_cast<const char*>(request.data() + sizeof r);
			if (error != CS_OK || (string ? tail != r.value_len + 1 && tail != r.value_len : tail != r.value_len) ||
				(string && std::memchr(value, '\0', tail) == nullptr)) {
				general(MESSAGE_RES_CMAP_SET, CS_ERR_INVALID_PARAM);
				break;
			}
			std::string bytes(value, r.value_len);
			if (string) {
				bytes = std::string(value, strnlen(value, r.value_len)) + '\0';
			}
			const auto old = map.find(key);
			const Value before = old == map.end() ? Value{0, {}} : old->second;
			const int32_t event = old == map.end() ? CMAP_TRACK_ADD : CMAP_TRACK_MODIFY;
			map[key] = Value{r.type, bytes};
			notify(event, key, map[key], before);
			general(MESSAGE_RES_CMAP_SET, CS_OK);
			break;
		}
		case MESSAGE_REQ_CMAP_DELETE: {
			const std::string key = cmap_name(request_as<req_lib_cmap_delete>(request).key_name);
			const auto found = map.find(key);
			if (error != CS_OK || found == map.end()) {
				general(MESSAGE_RES_CMAP_DELETE, CS_ERR_NOT_EXIST);
				break;
			}
			const Value before = found->second;
			map.erase(found);
			notify(CMAP_TRACK_DELETE, key, Value{0, {}}, before);
			general(MESSAGE_RES_CMAP_DELETE, CS_OK);
			break;
		}
		case MESSAGE_REQ_CMAP_GET: {
			const auto r = request_as<req_lib_cmap_get>(request);
			const auto found = map.find(cmap_name(r.key_name));
			int32_t err = error;
			if (err == CS_OK && found == map.end()) {
				err = CS_ERR_NOT_EXIST;
			} else if (err == CS_OK && r.value_len != 0 && r.value_len < found->second.bytes.size()) {
				err = CS_ERR_INVALID_PARAM;  // corosync: the room is too small
			}
			if (err != CS_OK) {
				peer.reply(response<res_lib_cmap_get>(MESSAGE_RES_CMAP_GET, err));
				break;
			}
			auto fixed = response<res_lib_cmap_get>(MESSAGE_RES_CMAP_GET, CS_OK);
			fixed.type = found->second.type;
			fixed.value_len = found->second.bytes.size();
			std::vector<std::byte> msg(sizeof fixed + r.value_len);
			fixed.header.size = static_cast<int32_t>(msg.size());
			std::memcpy(msg.data(), &fixed, sizeof fixed);
			if (r.value_len != 0) {
				std::memcpy(msg.data() + sizeof fixed, found->second.bytes.data(), found->second.bytes.size());
			}
			peer.reply(msg.data(), msg.size());
			break;
		}
		case MESSAGE_REQ_CMAP_ADJUST_INT: {
			const auto r = request_as<req_lib_cmap_adjust_int>(request);
			const auto found = map.find(cmap_name(r.key_name));
			if (error != CS_OK || found == map.end()) {
				general(MESSAGE_RES_CMAP_ADJUST_INT, CS_ERR_NOT_EXIST);
				break;
			}
			if (found->second.type != CMAP_VALUETYPE_UINT32) {  // enough for the tests
				general(MESSAGE_RES_CMAP_ADJUST_INT, CS_ERR_INVALID_PARAM);
				break;
			}
			uint32_t v;
			std::memcpy(&v, found->second.bytes.data(), 4);
			v += static_cast<uint32_t>(r.step);
			const Value before = found->second;
			found->second.bytes.assign(reinterpret_cast<const char*>(&v), 4);
			notify(CMAP_TRACK_MODIFY, found->first, found->second, before);
			general(MESSAGE_RES_CMAP_ADJUST_INT, CS_OK);
			break;
		}
		case MESSAGE_REQ_CMAP_ITER_INIT: {
			auto res = response<res_lib_cmap_iter_init>(MESSAGE_RES_CMAP_ITER_INIT, error);
			if (error == CS_OK) {
				const std::string prefix = cmap_name(request_as<req_lib_cmap_iter_init>(request).prefix);
				std::vector<std::string> names;
				for (const auto& [name, value] : map) {
					if (name.compare(0, prefix.size(), prefix) == 0) {
						names.push_back(name);
					}
				}
				res.iter_handle = ++last_handle_;
				conn.iters[res.iter_handle] = std::move(names);
				++*open_iterators;
			}
			peer.reply(res);
			break;
		}
		case MESSAGE_REQ_CMAP_ITER_NEXT: {
			auto res = response<res_lib_cmap_iter_next>(MESSAGE_RES_CMAP_ITER_NEXT, error);
			const auto it = conn.iters.find(request_as<req_lib_cmap_iter_next>(request).iter_handle);
			if (error != CS_OK) {
			} else if (it == conn.iters.end()) {
				res.header.error = CS_ERR_BAD_HANDLE;
			} else if (it->second.empty()) {
				res.header.error = CS_ERR_NO_SECTIONS;
			} else {
				const std::string name = it->second.front();
				it->second.erase(it->second.begin());
				put_cmap_name(res.key_name, name);
				const auto found = map.find(name);
				res.value_len = found == map.end() ? 0 : found->second.bytes.size();
				res.type = found == map.end() ? 0 : found->second.type;
			}
			peer.reply(res);
			break;
		}
		case MESSAGE_REQ_CMAP_ITER_FINALIZE: {
			const bool known = conn.iters.erase(request_as<req_lib_cmap_iter_finalize>(request).iter_handle) == 1;
			if (known) {
				--*open_iterators;
			}
			general(MESSAGE_RES_CMAP_ITER_FINALIZE, known ? CS_OK : CS_ERR_BAD_HANDLE);
			break;
		}
		case MESSAGE_REQ_CMAP_TRACK_ADD: {
			const auto r = request_as<req_lib_cmap_track_add>(request);
			auto res = response<res_lib_cmap_track_add>(MESSAGE_RES_CMAP_TRACK_ADD, error);
			if (error == CS_OK) {
				res.track_handle = ++last_handle_;
				conn.tracks[res.track_handle] = Track{peer.connection(), cmap_name(r.key_name), r.track_type,
					r.track_inst_handle};
			}
			peer.reply(res);
			break;
		}
		case MESSAGE_REQ_CMAP_TRACK_DELETE: {
			auto res = response<res_lib_cmap_track_delete>(MESSAGE_RES_CMAP_TRACK_DELETE, error);
			const auto found = conn.tracks.find(request_as<req_lib_cmap_track_delete>(request).track_handle);
			if (error != CS_OK) {
			} else if (found == conn.tracks.end()) {
				res.header.error = CS_ERR_BAD_HANDLE;
			} else {
				res.track_inst_handle = found->second.inst;
				conn.tracks.erase(found);
			}
			peer.reply(res);
			break;
		}
		case MESSAGE_REQ_CMAP_SET_CURRENT_MAP: {
			const int32_t map_id = request_as<req_lib_cmap_set_current_map>(request).map;
			int32_t err = CS_OK;
			if (!conn.iters.empty() || !conn.tracks.empty()) {
				err = CS_ERR_BUSY;
			} else if (map_id != CMAP_SETMAP_DEFAULT && map_id != CMAP_SETMAP_STATS) {
				err = CS_ERR_NOT_EXIST;
			} else {
				conn.stats = map_id == CMAP_SETMAP_STATS;
			}
			general(MESSAGE_RES_CMAP_SET_CURRENT_MAP, err);
			break;
		}
		default:  // corosync's IPC layer answers an id out of range so
			peer.reply(response<qb_ipc_response_header>(0, CS_ERR_INVALID_PARAM));
		}
	}

	// Forgets a closed connection's iterators and tracks (install with
	// on_connection_closed).
	void forget(qb_ipcs_connection_t* c)
	{
		if (const auto it = conns_.find(c); it != conns_.end()) {
			*open_iterators -= static_cast<int>(it->second.iters.size());
			conns_.erase(it);
		}
	}

	// How many iterators the server holds, over every connection: the test
	// reads it while the fake server's child process serves, so it lives in
	// memory the fork shares (copies of the server share it too).
	std::shared_ptr<std::atomic<int>> open_iterators = shared_counter();

private:
	static std::shared_ptr<std::atomic<int>> shared_counter()
	{
		void* page = mmap(nullptr, sizeof(std::atomic<int>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED) {
			throw std::runtime_error("mmap of the canned server's counter failed");
		}
		return std::shared_ptr<std::atomic<int>>(new (page) std::atomic<int>(0),
			[](std::atomic<int>* p) { munmap(p, sizeof *p); });
	}

	struct Track {
		qb_ipcs_connection_t* conn;
		std::string key;
		int32_t type;
		uint64_t inst;
	};
	struct Conn {
		bool stats = false;
		std::map<uint64_t, std::vector<std::string>> iters;
		std::map<uint64_t, Track> tracks;
	};

	// Every track of every connection that matches the change hears of it,
	// before the change's reply is sent (as corosync's daemon does: its map
	// calls the tracks from inside the change).
	void notify(int32_t event, const std::string& key, const Value& now, const Value& before)
	{
		for (auto& [c, conn] : conns_) {
			for (auto& [handle, track] : conn.tracks) {
				const bool prefix = (track.type & CMAP_TRACK_PREFIX) != 0;
				const bool matches = prefix ? key.compare(0, track.key.size(), track.key) == 0 : key == track.key;
				if (matches && (track.type & event) != 0) {
					Peer to(track.conn);
					const auto msg = cmap_notification(track.inst, event, key, now.type, now.bytes, before.type,
						before.bytes);
					// corosync queues what the client's full event ring cannot
					// take yet; this waits for room instead (up to a second).
					for (int tries = 0; to.event(msg.data(), msg.size()) == -EAGAIN && tries < 5000; ++tries) {
						usleep(200);
					}
				}
			}
		}
	}

	std::map<qb_ipcs_connection_t*, Conn> conns_;
	uint64_t last_handle_ = 100;
};

}  // namespace vqtest
