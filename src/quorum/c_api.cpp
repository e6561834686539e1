// The C ABI of libquorum.so.5: every exported entry point, and nothing
// else. What every service's shim does alike is core/c_shim.hpp's; this
// file adds the quorum service's initialization and requests. No exception
// leaves it.
#include "callback_sink.hpp"
#include "requests.hpp"

#include "core/c_shim.hpp"

#include <corosync/quorum.h>


namespace {

using Shim = vq::CShim<vq::quorum::CallbackSink>;
using Handle = Shim::Handle;

cs_error_t open_handle(quorum_handle_t* handle, quorum_model_t model, const vq::quorum::Callbacks& callbacks,
	uint32_t* quorum_type, const void* context)
{
	return Shim::open(vq::quorum::kService, handle, context, [&](Handle& h) {
		uint32_t type = 0;
		const cs_error_t err = vq::quorum::calls::quorum_type(*h.connection, model, type);
		if (err == CS_OK && quorum_type != nullptr) {
			*quorum_type = type;
		}
		return err;
	}, callbacks);
}

}  // namespace

VQ_EXPORT cs_error_t quorum_initialize(quorum_handle_t* handle, quorum_callbacks_t* callbacks, uint32_t* quorum_type)
{
	if (handle == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	vq::quorum::Callbacks cb;
	if (callbacks != nullptr) {
		cb.quorum = callbacks->quorum_notify_fn;
	}
	return open_handle(handle, QUORUM_MODEL_V0, cb, quorum_type, nullptr);
}

VQ_EXPORT cs_error_t quorum_model_initialize(quorum_handle_t* handle, quorum_model_t model,
	quorum_model_data_t* model_data, uint32_t* quorum_type, void* context)
{
	// The model first, before the handle, in the reference's order. The
	// callbacks are read as `model` says, whatever model_data's own first
	// member holds (as the reference does).
	const int raw_model = vq::raw_int(model);
	if (raw_model != QUORUM_MODEL_V0 && raw_model != QUORUM_MODEL_V1) {
		return CS_ERR_INVALID_PARAM;
	}
	if (handle == nullptr) {
		return CS_ERR_INVALID_PARAM;
	}
	vq::quorum::Callbacks cb;
	if (model_data != nullptr && raw_model == QUORUM_MODEL_V0) {
		cb.quorum = reinterpret_cast<const quorum_model_v0_data_t*>(model_data)->quorum_notify_fn;
	} else if (model_data != nullptr) {
		const auto* v1 = reinterpret_cast<const quorum_model_v1_data_t*>(model_data);
		cb.v1_quorum = v1->quorum_notify_fn;
		cb.v1_nodelist = v1->nodelist_notify_fn;
	}
	return open_handle(handle, static_cast<quorum_model_t>(raw_model), cb, quorum_type, context);
}

VQ_EXPORT cs_error_t quorum_finalize(quorum_handle_t handle)
{
	return Shim::finalize(handle);
}

VQ_EXPORT cs_error_t quorum_fd_get(quorum_handle_t handle, int* fd)
{
	return Shim::fd_get(handle, fd);
}

VQ_EXPORT cs_error_t quorum_dispatch(quorum_handle_t handle, cs_dispatch_flags_t dispatch_types)
{
	return Shim::dispatch(handle, dispatch_types);
}

// The handle before the out-pointer, in the reference's order (which then
// crashes on the NULL; we refuse it).
VQ_EXPORT cs_error_t quorum_getquorate(quorum_handle_t handle, int* quorate)
{
	return Shim::with(handle, [&](Handle& h) {
		return quorate == nullptr ? CS_ERR_INVALID_PARAM : vq::quorum::calls::getquorate(*h.connection, *quorate);
	});
}

VQ_EXPORT cs_error_t quorum_trackstart(quorum_handle_t handle, unsigned int flags)
{
	return Shim::with(handle, [&](Handle& h) { return vq::quorum::calls::trackstart(*h.connection, flags); });
}

VQ_EXPORT cs_error_t quorum_trackstop(quorum_handle_t handle)
{
	return Shim::with(handle, [&](Handle& h) { return vq::quorum::calls::trackstop(*h.connection); });
}

VQ_EXPORT cs_error_t quorum_context_set(quorum_handle_t handle, const void* context)
{
	return Shim::context_set(handle, context);
}

VQ_EXPORT cs_error_t quorum_context_get(quorum_handle_t handle, const void** context)
{
	return Shim::context_get(handle, context);
}
