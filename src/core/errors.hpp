// errno -> cs_error_t, the one table every libqb result goes through.
#pragma once

#include <corosync/corotypes.h>

#include <cstdint>
#include <new>

namespace vq {

// Maps a libqb result (>= 0 success, otherwise a negative errno) to the
// cs_error_t corosync's libraries return for it.
cs_error_t from_qb_result(long result) noexcept;

// The enumerator's name ("CS_ERR_LIBRARY") of a cs_error_t value, or null
// when `value` names none: the one list of valid values.
const char* cs_error_name(int32_t value) noexcept;
inline bool is_cs_error(int32_t value) noexcept { return cs_error_name(value) != nullptr; }

// As cs_error_name, but "CS_ERR_<number>" for a value outside the enum.
// Used by tests and tools; never by the C ABI.
const char* error_name(cs_error_t error) noexcept;

// Runs `body`, turning any exception into the error it stands for; no
// exception leaves either API.
template <class F>
cs_error_t guarded(F&& body) noexcept
{
	try {
		return body();
	} catch (const std::bad_alloc&) {
		return CS_ERR_NO_MEMORY;
	} catch (...) {
		return CS_ERR_LIBRARY;
	}
}

}  // namespace vq
