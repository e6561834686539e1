// The C ABI's end of votequorum's event path: the sink of a handle
// (core/c_shim.hpp's CHandle) that hands each notification to the callbacks
// given to votequorum_initialize or votequorum_model_initialize, with the
// handle and the views' pointers.
#pragma once

#include "wire.hpp"

#include "core/reports_handle.hpp"

#include <corosync/votequorum.h>


namespace vq::votequorum {

// The user's callbacks; fixed for the life of the handle. Any may be null.
struct Callbacks {
	votequorum_quorum_notification_fn_t quorum = nullptr;
	votequorum_expectedvotes_notification_fn_t expected_votes = nullptr;
	votequorum_nodelist_notification_fn_t nodelist = nullptr;
	votequorum_qdevice_extra_info_fn_t extra_info = nullptr;
};

class CallbackSink final : public wire::EventSink, public ReportsHandle {
public:
	explicit CallbackSink(const Callbacks& callbacks) noexcept : callbacks_(callbacks) {}

	// The C callbacks take non-const pointers, as the reference's do; they
	// point into this thread's receive buffer (even for an empty list).
	void on(const wire::QuorumEvent& ev) override
	{
		if (callbacks_.quorum != nullptr) {
			callbacks_.quorum(handle(), ev.context, ev.quorate, static_cast<uint32_t>(ev.nodes.size()),
				const_cast<votequorum_node_t*>(ev.nodes.data()));
		}
	}
	void on(const wire::ExpectedVotesEvent& ev) override
	{
		if (callbacks_.expected_votes != nullptr) {
			callbacks_.expected_votes(handle(), ev.context, ev.expected_votes);
		}
	}
	void on(const wire::NodelistEvent& ev) override
	{
		if (callbacks_.nodelist != nullptr) {
			callbacks_.nodelist(handle(), ev.context, ev.ring_id, static_cast<uint32_t>(ev.nodes.size()),
				const_cast<uint32_t*>(ev.nodes.data()));
		}
	}
	void on(const wire::ExtraInfoEvent& ev) override
	{
		if (callbacks_.extra_info != nullptr) {
			callbacks_.extra_info(handle(), ev.context, ev.nodeid, static_cast<uint32_t>(ev.data.size()),
				const_cast<std::byte*>(ev.data.data()));
		}
	}

private:
	const Callbacks callbacks_;
};

}  // namespace vq::votequorum
