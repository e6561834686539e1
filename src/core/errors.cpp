#include "errors.hpp"

#include <cerrno>
#include <cstdio>

namespace vq {

cs_error_t from_qb_result(long result) noexcept
{
	if (result >= 0) {
		return CS_OK;
	}
	switch (-result) {
	case EBADF: return CS_ERR_BAD_HANDLE;
	case ENOMEM: return CS_ERR_NO_MEMORY;
	case ENOMSG:
	case ENOBUFS:
	case ETIMEDOUT:
	case EAGAIN: return CS_ERR_TRY_AGAIN;
	case EBADE: return CS_ERR_FAILED_OPERATION;
	case ETIME: return CS_ERR_TIMEOUT;
	case EINVAL: return CS_ERR_INVALID_PARAM;
	case EBUSY: return CS_ERR_BUSY;
	case EACCES: return CS_ERR_ACCESS;
	case EOVERFLOW: return CS_ERR_NAME_TOO_LONG;
	case EEXIST: return CS_ERR_EXIST;
	case ENOSPC: return CS_ERR_NO_SPACE;
	case EINTR: return CS_ERR_INTERRUPT;
	case ENOENT:
	case ENODEV: return CS_ERR_NOT_EXIST;
	case ENOSYS:
	case ENOTSUP: return CS_ERR_NOT_SUPPORTED;
	case EBADMSG: return CS_ERR_MESSAGE_ERROR;
	case EMSGSIZE:
	case E2BIG: return CS_ERR_TOO_BIG;
	default: return CS_ERR_LIBRARY;
	}
}

namespace {

// Every cs_error_t value with its name: the one list of valid values.
struct NamedError {
	cs_error_t value;
	const char* name;
};
#define VQ_NAMED(e) NamedError{e, #e}
constexpr NamedError kErrors[] = {
	VQ_NAMED(CS_OK), VQ_NAMED(CS_ERR_LIBRARY), VQ_NAMED(CS_ERR_VERSION), VQ_NAMED(CS_ERR_INIT),
	VQ_NAMED(CS_ERR_TIMEOUT), VQ_NAMED(CS_ERR_TRY_AGAIN), VQ_NAMED(CS_ERR_INVALID_PARAM),
	VQ_NAMED(CS_ERR_NO_MEMORY), VQ_NAMED(CS_ERR_BAD_HANDLE), VQ_NAMED(CS_ERR_BUSY), VQ_NAMED(CS_ERR_ACCESS),
	VQ_NAMED(CS_ERR_NOT_EXIST), VQ_NAMED(CS_ERR_NAME_TOO_LONG), VQ_NAMED(CS_ERR_EXIST), VQ_NAMED(CS_ERR_NO_SPACE),
	VQ_NAMED(CS_ERR_INTERRUPT), VQ_NAMED(CS_ERR_NAME_NOT_FOUND), VQ_NAMED(CS_ERR_NO_RESOURCES),
	VQ_NAMED(CS_ERR_NOT_SUPPORTED), VQ_NAMED(CS_ERR_BAD_OPERATION), VQ_NAMED(CS_ERR_FAILED_OPERATION),
	VQ_NAMED(CS_ERR_MESSAGE_ERROR), VQ_NAMED(CS_ERR_QUEUE_FULL), VQ_NAMED(CS_ERR_QUEUE_NOT_AVAILABLE),
	VQ_NAMED(CS_ERR_BAD_FLAGS), VQ_NAMED(CS_ERR_TOO_BIG), VQ_NAMED(CS_ERR_NO_SECTIONS),
	VQ_NAMED(CS_ERR_CONTEXT_NOT_FOUND), VQ_NAMED(CS_ERR_TOO_MANY_GROUPS), VQ_NAMED(CS_ERR_SECURITY),
};
#undef VQ_NAMED

}  // namespace

const char* cs_error_name(int32_t value) noexcept
{
	for (const NamedError& e : kErrors) {
		if (static_cast<int32_t>(e.value) == value) {
			return e.name;
		}
	}
	return nullptr;
}

const char* error_name(cs_error_t error) noexcept
{
	if (const char* name = cs_error_name(static_cast<int32_t>(error))) {
		return name;
	}
	// Values outside the enum: a small rotating set of buffers keeps the
	// result valid for a while without allocating.
	static thread_local char buf[4][24];
	static thread_local unsigned next;
	char* out = buf[next++ % 4];
	std::snprintf(out, sizeof buf[0], "CS_ERR_%d", static_cast<int>(error));
	return out;
}

}  // namespace vq
