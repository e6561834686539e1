// The C ABI's end of the cmap service's event path: the sink of a handle
// (core/c_shim.hpp's CHandle) holds the handle's tracks and hands each
// notification to its track's callback, with the track's user data.
#pragma once

#include "wire.hpp"

#include "core/reports_handle.hpp"

#include <corosync/cmap.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <span>

namespace vq::cmap {

// The tracks of one handle, by the inst number the daemon echoes in each
// notification of a track. A track is entered before its TRACK_ADD is sent
// (a notification may come before the reply does) and leaves when the
// daemon has deleted it, or with the handle.
class Tracks {
public:
	struct Track {
		cmap_notify_fn_t fn;
		void* user_data;
		cmap_track_handle_t handle;  // the daemon's, once TRACK_ADD's reply came
	};

	// A new entry's inst number (never 0).
	uint64_t enter(cmap_notify_fn_t fn, void* user_data)
	{
		const std::lock_guard lock(mutex_);
		const uint64_t inst = ++last_inst_;
		tracks_.emplace(inst, Track{fn, user_data, 0});
		return inst;
	}
	void set_handle(uint64_t inst, cmap_track_handle_t handle) noexcept
	{
		const std::lock_guard lock(mutex_);
		if (auto it = tracks_.find(inst); it != tracks_.end()) {
			it->second.handle = handle;
		}
	}
	void leave(uint64_t inst) noexcept
	{
		const std::lock_guard lock(mutex_);
		tracks_.erase(inst);
	}
	// A copy of the entry (the callback runs on it with no lock held, and
	// may delete its own track): false if there is none.
	bool find(uint64_t inst, Track& out) const noexcept
	{
		const std::lock_guard lock(mutex_);
		const auto it = tracks_.find(inst);
		if (it == tracks_.end()) {
			return false;
		}
		out = it->second;
		return true;
	}

private:
	mutable std::mutex mutex_;
	uint64_t last_inst_ = 0;
	std::map<uint64_t, Track> tracks_;
};

// Stores the daemon's type byte into a cmap_value_types_t, whatever it
// holds (a newer daemon may send a type this header does not name). Through
// memcpy: C++ may not load a value outside the enumerators' range through
// the enum type, and C callers may hold any int in it.
inline void put_value_type(cmap_value_types_t* out, uint8_t type) noexcept
{
	static_assert(sizeof(cmap_value_types_t) == sizeof(int));
	const int raw = type;
	std::memcpy(out, &raw, sizeof raw);
}

// A value of a notification as the callback takes it.
inline cmap_notify_value notify_value(uint8_t type, std::span<const std::byte> bytes) noexcept
{
	cmap_notify_value value;
	put_value_type(&value.type, type);
	value.len = bytes.size();
	value.data = bytes.data();
	return value;
}

class CallbackSink final : public wire::EventSink, public ReportsHandle {
public:
	// The key and values point into this thread's receive buffer. A
	// notification of a track deleted meanwhile is passed over.
	void on(const wire::NotifyEvent& ev) override
	{
		Tracks::Track track{};
		if (!tracks.find(ev.track_inst, track)) {
			return;
		}
		track.fn(handle(), track.handle, ev.event, ev.key, notify_value(ev.new_type, ev.new_value),
			notify_value(ev.old_type, ev.old_value), track.user_data);
	}

	Tracks tracks;
};

}  // namespace vq::cmap
