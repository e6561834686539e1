// What every service's C ABI does the same way. A handle maps to a CHandle:
// the C-ABI object that holds the session (the connection and the service's
// callback sink, core/session.hpp) and the context of *_context_set. CShim<Sink> implements the calls whose
// behaviour is the same in every service (open, finalize, dispatch, fd_get,
// the context pair, and resolving a handle for the others); a service's
// c_api.cpp exports its names over them and adds its own requests.
//
// The Sink is a session's (session.hpp) that also derives from
// ReportsHandle: the handle its callbacks report.
#pragma once

#include "errors.hpp"
#include "handle_table.hpp"
#include "reports_handle.hpp"
#include "session.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

// Every exported entry point of a C library is declared with this: C
// linkage, default visibility (everything else is hidden).
#define VQ_EXPORT extern "C" __attribute__((visibility("default")))

namespace vq {

template <class Sink>
struct CHandle : Session<Sink> {
	using Session<Sink>::Session;
	std::atomic<const void*> context{nullptr};
};

template <class Sink>
struct CShim {
	using Handle = CHandle<Sink>;

	static Handles<Handle>& table() { return Handles<Handle>::global(); }

	// Resolves `handle` and runs `body` on its CHandle, which stays alive
	// for the whole call even if another thread finalizes the handle
	// meanwhile. No exception leaves.
	template <class F>
	static cs_error_t with(uint64_t handle, F&& body) noexcept
	{
		return guarded([&]() -> cs_error_t {
			const std::shared_ptr<Handle> h = table().find(handle);
			if (!h || h->connection->closed()) {
				return CS_ERR_BAD_HANDLE;
			}
			return body(*h);
		});
	}

	// Connects to `service`, makes the handle's CHandle with `sink_args`,
	// runs `ready` (cs_error_t(Handle&): the service's first requests, if
	// any) and only then issues the handle into *out.
	template <class Ready, class... SinkArgs>
	static cs_error_t open(const Service& service, uint64_t* out, const void* context, Ready&& ready,
		SinkArgs&&... sink_args) noexcept
	{
		return guarded([&]() -> cs_error_t {
			std::shared_ptr<Connection> connection;
			if (cs_error_t err = Connection::open(service, connection); err != CS_OK) {
				return err;
			}
			auto h = std::make_shared<Handle>(connection, std::forward<SinkArgs>(sink_args)...);
			h->context.store(context, std::memory_order_relaxed);
			if (cs_error_t err = ready(*h); err != CS_OK) {
				connection->close();
				return err;
			}
			const uint64_t issued = table().insert(h);
			h->sink.set_handle(issued);
			*out = issued;
			return CS_OK;
		});
	}

	static cs_error_t finalize(uint64_t handle) noexcept
	{
		return guarded([&]() -> cs_error_t {
			const std::shared_ptr<Handle> h = table().remove(handle);
			if (!h) {
				return CS_ERR_BAD_HANDLE;
			}
			h->connection->close();
			return CS_OK;
		});
	}

	static cs_error_t dispatch(uint64_t handle, const cs_dispatch_flags_t& types) noexcept
	{
		cs_dispatch_flags_t mode;
		if (!dispatch_mode(types, mode)) {
			return CS_ERR_INVALID_PARAM;  // before the handle, as the references do
		}
		return with(handle, [&](Handle& h) { return h.dispatch(mode); });
	}

	// fd_get and context_get check the handle before the out-pointer, in
	// the references' order (which then crash on the NULL; we refuse it).
	static cs_error_t fd_get(uint64_t handle, int* fd) noexcept
	{
		return with(handle, [&](Handle& h) {
			if (fd == nullptr) {
				return CS_ERR_INVALID_PARAM;
			}
			*fd = h.connection->fd();
			return CS_OK;
		});
	}

	template <class Pointer>  // void* or const void*, as the service declares it
	static cs_error_t context_get(uint64_t handle, Pointer* context) noexcept
	{
		return with(handle, [&](Handle& h) {
			if (context == nullptr) {
				return CS_ERR_INVALID_PARAM;
			}
			*context = const_cast<Pointer>(h.context.load(std::memory_order_acquire));
			return CS_OK;
		});
	}

	static cs_error_t context_set(uint64_t handle, const void* context) noexcept
	{
		return with(handle, [&](Handle& h) {
			h.context.store(context, std::memory_order_release);
			return CS_OK;
		});
	}
};

}  // namespace vq
