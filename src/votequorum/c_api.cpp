// The C ABI of libvotequorum.so.8: every exported entry point, and nothing
// else. Each validates its arguments, resolves the handle, calls the core
// and returns a cs_error_t; no exception leaves this file.
#include "callback_sink.hpp"
#include "requests.hpp"
#include "wire.hpp"

#include "core/c_shim.hpp"

#include <corosync/votequorum.h>

#include <cstring>

namespace {

namespace calls = vq::votequorum::calls;
using Shim = vq::CShim<vq::votequorum::CallbackSink>;
using Handle = Shim::Handle;

// A qdevice name is 1 to VOTEQUORUM_QDEVICE_MAX_NAME_LEN - 1 characters.
bool valid_name(const char* name)
{
	return name != nullptr && vq::votequorum::wire::name_length_fits(strnlen(name, vq::votequorum::wire::kNameLen));
}

cs_error_t open_handle(votequorum_handle_t* handle, const vq::votequorum::Callbacks& callbacks)
{
	return Shim::open(vq::votequorum::kService, handle, nullptr, [](Handle&) { return CS_OK; }, callbacks);
}

// Runs `call` (a function of the calls layer) with `args` on the handle's
// connection, inside the guarded call: encoding allocates, and no exception
// may leave an exported function.
template <class Call, class... Args>
cs_error_t on_handle(votequorum_handle_t handle, Call&& call, const Args&... args)
{
	return Shim::with(handle, [&](Handle& h) { return call(*h.connection, args...); });
}

}  // namespace

VQ_EXPORT cs_error_t votequorum_initialize(votequorum_handle_t* handle, votequorum_callbacks_t* callbacks)
{
	if (handle == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	vq::votequorum::Callbacks cb;
	if (callbacks != nullptr) {
		cb.quorum = callbacks->votequorum_quorum_notify_fn;
		cb.expected_votes = callbacks->votequorum_expectedvotes_notify_fn;
		cb.nodelist = callbacks->votequorum_nodelist_notify_fn;
	}
	return open_handle(handle, cb);
}

VQ_EXPORT cs_error_t votequorum_model_initialize(votequorum_handle_t* handle,
	const votequorum_model_v1_data_t* model)
{
	if (handle == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	vq::votequorum::Callbacks cb;
	if (model != nullptr) {
		if (vq::raw_int(model->model) != VOTEQUORUM_MODEL_V1) {
			return CS_ERR_INVALID_PARAM;
		}
		cb.quorum = model->votequorum_quorum_notify_fn;
		cb.expected_votes = model->votequorum_expectedvotes_notify_fn;
		cb.nodelist = model->votequorum_nodelist_notify_fn;
		cb.extra_info = model->votequorum_qdevice_extra_info_fn;
	}
	return open_handle(handle, cb);
}

VQ_EXPORT cs_error_t votequorum_finalize(votequorum_handle_t handle)
{
	return Shim::finalize(handle);
}

VQ_EXPORT cs_error_t votequorum_dispatch(votequorum_handle_t handle, cs_dispatch_flags_t dispatch_types)
{
	return Shim::dispatch(handle, dispatch_types);
}

// getinfo checks the handle before the out-pointer, in the reference's
// order (which then crashes on the NULL; we refuse it).

VQ_EXPORT cs_error_t votequorum_fd_get(votequorum_handle_t handle, int* fd)
{
	return Shim::fd_get(handle, fd);
}

VQ_EXPORT cs_error_t votequorum_getinfo(votequorum_handle_t handle, unsigned int nodeid,
	struct votequorum_info* info)
{
	return Shim::with(handle, [&](Handle& h) {
		return info == nullptr ? CS_ERR_INVALID_PARAM : calls::getinfo(*h.connection, nodeid, *info);
	});
}

VQ_EXPORT cs_error_t votequorum_setexpected(votequorum_handle_t handle, unsigned int expected_votes)
{
	return on_handle(handle, calls::setexpected, expected_votes);
}

VQ_EXPORT cs_error_t votequorum_setvotes(votequorum_handle_t handle, unsigned int nodeid, unsigned int votes)
{
	return on_handle(handle, calls::setvotes, nodeid, votes);
}

VQ_EXPORT cs_error_t votequorum_trackstart(votequorum_handle_t handle, uint64_t context, unsigned int flags)
{
	return on_handle(handle, calls::trackstart, context, flags);
}

VQ_EXPORT cs_error_t votequorum_trackstop(votequorum_handle_t handle)
{
	return on_handle(handle, calls::trackstop);
}

VQ_EXPORT cs_error_t votequorum_context_get(votequorum_handle_t handle, void** context)
{
	return Shim::context_get(handle, context);
}

VQ_EXPORT cs_error_t votequorum_context_set(votequorum_handle_t handle, void* context)
{
	return Shim::context_set(handle, context);
}

VQ_EXPORT cs_error_t votequorum_qdevice_register(votequorum_handle_t handle, const char* name)
{
	if (!valid_name(name)) {
		return CS_ERR_INVALID_PARAM;
	}
	return on_handle(handle, calls::qdevice_register, name);
}

VQ_EXPORT cs_error_t votequorum_qdevice_unregister(votequorum_handle_t handle, const char* name)
{
	if (!valid_name(name)) {
		return CS_ERR_INVALID_PARAM;
	}
	return on_handle(handle, calls::qdevice_unregister, name);
}

VQ_EXPORT cs_error_t votequorum_qdevice_update(votequorum_handle_t handle, const char* oldname,
	const char* newname)
{
	if (!valid_name(oldname) || !valid_name(newname)) {
		return CS_ERR_INVALID_PARAM;
	}
	return on_handle(handle, calls::qdevice_update, oldname, newname);
}

VQ_EXPORT cs_error_t votequorum_qdevice_poll(votequorum_handle_t handle, const char* name, unsigned int cast_vote,
	votequorum_ring_id_t ring_id)
{
	if (!valid_name(name)) {
		return CS_ERR_INVALID_PARAM;
	}
	return on_handle(handle, calls::qdevice_poll, name, cast_vote, ring_id);
}

VQ_EXPORT cs_error_t votequorum_qdevice_master_wins(votequorum_handle_t handle, const char* name,
	unsigned int allow)
{
	if (!valid_name(name)) {
		return CS_ERR_INVALID_PARAM;
	}
	return on_handle(handle, calls::qdevice_master_wins, name, allow);
}

VQ_EXPORT cs_error_t votequorum_set_qdevice_extra_info(votequorum_handle_t handle, uint32_t ei_size,
	const void* extra_info)
{
	// The handle first, then the size, in the main-line library's order.
	return on_handle(handle, calls::set_extra_info, extra_info, ei_size);
}

VQ_EXPORT cs_error_t votequorum_get_qdevice_extra_info(votequorum_handle_t handle, unsigned int nodeid,
	uint32_t* ei_size, void* extra_info)
{
	if (ei_size == nullptr || extra_info == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	return Shim::with(handle, [&](Handle& h) { return calls::get_extra_info(*h.connection, nodeid, *ei_size, extra_info); });
}
