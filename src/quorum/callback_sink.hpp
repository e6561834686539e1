// The C ABI's end of the quorum service's event path: the sink of a handle
// (core/c_shim.hpp's CHandle) that hands each notification to the callbacks
// of the handle's model, with the handle and the views' pointers.
#pragma once

#include "wire.hpp"

#include "core/reports_handle.hpp"

#include <corosync/quorum.h>

namespace vq::quorum {

// The user's callbacks; fixed for the life of the handle. A V0 handle has
// only `quorum`, a V1 handle only the other two. Any may be null.
struct Callbacks {
	quorum_notification_fn_t quorum = nullptr;
	quorum_v1_quorum_notification_fn_t v1_quorum = nullptr;
	quorum_v1_nodelist_notification_fn_t v1_nodelist = nullptr;
};

class CallbackSink final : public wire::EventSink, public ReportsHandle {
public:
	explicit CallbackSink(const Callbacks& callbacks) noexcept : callbacks_(callbacks) {}

	// The lists point into this thread's receive buffer (even when empty).
	void on(const wire::QuorumEvent& ev) override
	{
		if (callbacks_.quorum != nullptr) {
			callbacks_.quorum(handle(), ev.quorate, ev.ring_seq, static_cast<uint32_t>(ev.members.size()),
				const_cast<uint32_t*>(ev.members.data()));  // V0's callback takes a non-const pointer
		}
	}
	void on(const wire::V1QuorumEvent& ev) override
	{
		if (callbacks_.v1_quorum != nullptr) {
			callbacks_.v1_quorum(handle(), ev.quorate, ev.ring_id, static_cast<uint32_t>(ev.members.size()),
				ev.members.data());
		}
	}
	void on(const wire::NodelistEvent& ev) override
	{
		if (callbacks_.v1_nodelist != nullptr) {
			callbacks_.v1_nodelist(handle(), ev.ring_id, static_cast<uint32_t>(ev.members.size()), ev.members.data(),
				static_cast<uint32_t>(ev.joined.size()), ev.joined.data(), static_cast<uint32_t>(ev.left.size()),
				ev.left.data());
		}
	}

private:
	const Callbacks callbacks_;
};

}  // namespace vq::quorum
