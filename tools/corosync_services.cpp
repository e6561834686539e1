// The cmap and cfg clients (see corosync_services.hpp).
#include "corosync_services.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace monitor {

std::vector<Ring> make_rings(
	uint32_t local, const std::vector<corosync_cfg_node_status_v1>& status, const std::vector<uint32_t>& members)
{
	// The other nodes tell which links exist and their state; a node alone
	// in its nodelist has only its own entry.
	std::vector<const corosync_cfg_node_status_v1*> others;
	for (const auto& s : status) {
		if (s.nodeid != local) {
			others.push_back(&s);
		}
	}
	if (others.empty()) {
		for (const auto& s : status) {
			others.push_back(&s);
		}
	}
	const std::set<uint32_t> member_set(members.begin(), members.end());
	std::vector<Ring> rings;
	for (unsigned link = 0; link < CFG_MAX_LINKS; ++link) {
		Ring ring;
		ring.number = link;
		bool exists = false;
		for (const auto* s : others) {
			const auto& l = s->link_status[link];
			if (!l.enabled) {
				continue;
			}
			if (!exists) {
				ring.address.assign(l.src_ipaddr, strnlen(l.src_ipaddr, sizeof l.src_ipaddr));
				exists = true;
			}
			if (s->nodeid != local && member_set.count(s->nodeid) && !l.connected) {
				ring.healthy = false;
			}
		}
		if (exists) {
			rings.push_back(std::move(ring));
		}
	}
	return rings;
}

CmapNodelist::~CmapNodelist()
{
	if (fd_ >= 0) {
		cmap_finalize(handle_);
	}
}

void CmapNodelist::notify(cmap_handle_t, cmap_track_handle_t, int32_t, const char*, cmap_notify_value, cmap_notify_value,
	void* self)
{
	static_cast<CmapNodelist*>(self)->changed_ = true;
}

cs_error_t CmapNodelist::open()
{
	cmap_handle_t h;
	if (cs_error_t err = cmap_initialize(&h); err != CS_OK) {
		return err;
	}
	int fd = -1;
	cs_error_t err = cmap_fd_get(h, &fd);
	if (err == CS_OK) {
		err = cmap_track_add(h, "nodelist.node.", CMAP_TRACK_ADD | CMAP_TRACK_DELETE | CMAP_TRACK_MODIFY | CMAP_TRACK_PREFIX,
			&CmapNodelist::notify, this, &track_);
	}
	if (err != CS_OK) {
		cmap_finalize(h);
		return err;
	}
	handle_ = h;
	fd_ = fd;
	return CS_OK;
}

cs_error_t CmapNodelist::dispatch(bool& changed)
{
	changed_ = false;
	const cs_error_t err = cmap_dispatch(handle_, CS_DISPATCH_ALL);
	changed = changed_;
	return err;
}

cs_error_t CmapNodelist::read(std::map<uint32_t, std::string>& names) const
{
	// nodelist.node.<position>.{nodeid,name,ring0_addr}: gathered by position.
	struct Entry {
		bool have_id = false;
		uint32_t id = 0;
		std::string name, ring0;
	};
	std::map<unsigned, Entry> by_position;
	cmap_iter_handle_t iter;
	if (cs_error_t err = cmap_iter_init(handle_, "nodelist.node.", &iter); err != CS_OK) {
		return err;
	}
	char key[CMAP_KEYNAME_MAXLEN + 1];
	size_t len;
	cmap_value_types_t type;
	cs_error_t err = CS_OK;
	while ((err = cmap_iter_next(handle_, iter, key, &len, &type)) == CS_OK) {
		unsigned position;
		int attr_at = 0;
		if (std::sscanf(key, "nodelist.node.%u.%n", &position, &attr_at) != 1 || attr_at == 0) {
			continue;
		}
		const std::string attr = key + attr_at;
		Entry& e = by_position[position];
		if (attr == "nodeid") {
			e.have_id = cmap_get_uint32(handle_, key, &e.id) == CS_OK;
		} else if (attr == "name" || attr == "ring0_addr") {
			char* value = nullptr;
			if (cmap_get_string(handle_, key, &value) == CS_OK) {
				(attr == "name" ? e.name : e.ring0) = value;
				std::free(value);
			}
		}
	}
	cmap_iter_finalize(handle_, iter);
	if (err != CS_ERR_NO_SECTIONS) {
		return err;  // the iteration ended early: the connection failed
	}
	names.clear();
	for (const auto& [position, e] : by_position) {
		if (e.have_id) {
			names[e.id] = !e.name.empty() ? e.name : e.ring0;
		}
	}
	return CS_OK;
}

CfgLinks::~CfgLinks()
{
	if (open_) {
		corosync_cfg_finalize(handle_);
	}
}

cs_error_t CfgLinks::open()
{
	const corosync_cfg_callbacks_t callbacks = {nullptr};
	const cs_error_t err = corosync_cfg_initialize(&handle_, &callbacks);
	open_ = err == CS_OK;
	return err;
}

cs_error_t CfgLinks::read(uint32_t local, const std::vector<uint32_t>& nodelist, const std::vector<uint32_t>& members,
	std::vector<Ring>& rings) const
{
	std::vector<corosync_cfg_node_status_v1> status;
	for (uint32_t id : nodelist) {
		corosync_cfg_node_status_v1 s;
		std::memset(&s, 0, sizeof s);
		const cs_error_t err = corosync_cfg_node_status_get(handle_, id, CFG_NODE_STATUS_V1, &s);
		if (err == CS_OK) {
			status.push_back(s);
		} else if (err == CS_ERR_LIBRARY || err == CS_ERR_BAD_HANDLE) {
			return err;  // the connection is gone
		}
		// Anything else (a node knet does not know, a transport without
		// link status): no entry for that node.
	}
	rings = make_rings(local, status, members);
	return CS_OK;
}

}  // namespace monitor
