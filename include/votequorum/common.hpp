// What the C++ clients of this project share: the cs_error_t error
// category, Result<T>, and the connection Options. Included by
// <votequorum/client.hpp> and <quorum/client.hpp>; link -lvotequorum-cpp.
#pragma once

#include <corosync/corotypes.h>

#include <chrono>
#include <optional>
#include <system_error>
#include <utility>

#define VOTEQUORUM_CPP_API __attribute__((visibility("default")))

namespace votequorum {

// The error category of cs_error_t values; make_error_code(CS_ERR_...) and
// comparisons like `ec == CS_ERR_TRY_AGAIN` work through it.
VOTEQUORUM_CPP_API const std::error_category& error_category() noexcept;

// A T, or the error_code of why there is none.
template <class T>
class Result {
public:
	Result(T value) : value_(std::move(value)) {}
	Result(std::error_code error) : error_(error) {}
	explicit operator bool() const noexcept { return value_.has_value(); }
	const T& value() const& { return *value_; }
	T& value() & { return *value_; }
	T&& value() && { return std::move(*value_); }
	const T* operator->() const { return &*value_; }
	T* operator->() { return &*value_; }
	const T& operator*() const& { return *value_; }
	std::error_code error() const noexcept { return error_; }

private:
	std::optional<T> value_;
	std::error_code error_;
};

struct Options {
	// How long connecting may take; unset: as long as it takes (the C
	// ABI's behaviour). A stopped daemon accepts the socket but never
	// completes the connection.
	std::optional<std::chrono::milliseconds> connect_timeout;
	// How long one request may wait for its reply; unset: for ever. When it
	// expires the request returns CS_ERR_TIMEOUT and the client is closed
	// (a late reply could otherwise answer the next request): connect again.
	std::optional<std::chrono::milliseconds> request_timeout;

	// The two in milliseconds, -1 when unset.
	int connect_ms() const noexcept { return connect_timeout ? static_cast<int>(connect_timeout->count()) : -1; }
	int request_ms() const noexcept { return request_timeout ? static_cast<int>(request_timeout->count()) : -1; }
};

}  // namespace votequorum

// cs_error_t is an error-code enum: std::error_code ec = CS_ERR_TIMEOUT works.
// CS_OK (which is 1) becomes the empty error_code, so `if (ec)` means failure.
namespace std {
template <>
struct is_error_code_enum<cs_error_t> : true_type {};
}  // namespace std

VOTEQUORUM_CPP_API std::error_code make_error_code(cs_error_t e) noexcept;
