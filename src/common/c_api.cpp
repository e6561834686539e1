// The C ABI of libcorosync_common.so.4: the three error helpers every
// corosync client library and tool calls, and nothing else (Debian's table:
// three unversioned functions). No exception leaves; nothing allocates.
#include "core/c_shim.hpp"
#include "core/errors.hpp"

#include <corosync/corotypes.h>

#include <cerrno>

// A libqb result (>= 0, or a negative errno) as a cs_error_t: the table the
// client libraries of this project use themselves (core/errors.cpp).
VQ_EXPORT cs_error_t qb_to_cs_error(int result)
{
	return vq::from_qb_result(result);
}

// A result of corosync's handle database (hdb.h: 0, or a negative errno)
// as a cs_error_t. The handle database fails in four ways; anything else,
// positive values included, is a library error.
VQ_EXPORT cs_error_t hdb_error_to_cs(int res)
{
	switch (res) {
	case 0: return CS_OK;
	case -EBADF: return CS_ERR_BAD_HANDLE;
	case -ENOMEM: return CS_ERR_NO_MEMORY;
	case -EMFILE: return CS_ERR_NO_RESOURCES;
	case -EACCES: return CS_ERR_ACCESS;
	default: return CS_ERR_LIBRARY;
	}
}

// What a program prints for an error: "success" for CS_OK, the
// enumerator's name for every other value of the enum, and "unknown error"
// for anything else (the values between the enumerators included).
VQ_EXPORT const char* cs_strerror(cs_error_t err)
{
	const int32_t value = static_cast<int32_t>(vq::raw_int(err));
	if (value == static_cast<int32_t>(CS_OK)) {
		return "success";
	}
	const char* name = vq::cs_error_name(value);
	return name != nullptr ? name : "unknown error";
}
