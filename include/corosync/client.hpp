// What every C++ client of this project shares, whatever its service
// (votequorum::Client, quorum::Client, and the services to come): the
// cs_error_t error category, Result<T>, the connection Options, the ring id,
// and ClientBase, the connection every client is (fd, dispatch, close).
// Included by each service's <SERVICE/client.hpp>; link -lvotequorum-cpp.
#pragma once

#include <corosync/corotypes.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>

#define COROSYNC_CPP_API __attribute__((visibility("default")))

namespace corosync {

// The error category of cs_error_t values (its name is "cs_error_t");
// make_error_code(CS_ERR_...) and comparisons like `ec == CS_ERR_TRY_AGAIN`
// work through it, for every service alike.
COROSYNC_CPP_API const std::error_category& error_category() noexcept;

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
	T& operator*() & { return *value_; }
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

// A membership's ring id: the node that formed it and its sequence number.
struct RingId {
	uint32_t nodeid = 0;
	uint64_t seq = 0;

	bool operator==(const RingId&) const = default;
};

// The connection every client is: a move-only RAII handle on one
// connection to a corosync service, whose calls are all safe from several
// threads. A service's Client derives from it and adds its requests.
class COROSYNC_CPP_API ClientBase {
public:
	// For the caller's event loop: readable when dispatch() has work or the
	// daemon has gone away.
	int fd() const noexcept;
	// CS_DISPATCH_ONE, _ALL, _BLOCKING or _ONE_NONBLOCKING, exactly as the
	// C libraries' SERVICE_dispatch(3).
	std::error_code dispatch(cs_dispatch_flags_t mode = CS_DISPATCH_ALL) const;

	// Closes the connection now; every call after it, and any call blocked
	// in another thread, returns CS_ERR_BAD_HANDLE. The destructor does this.
	void close() noexcept;
	bool is_open() const noexcept;

	ClientBase(ClientBase&&) noexcept;
	ClientBase& operator=(ClientBase&&) noexcept;  // the old connection closes
	ClientBase(const ClientBase&) = delete;
	ClientBase& operator=(const ClientBase&) = delete;
	~ClientBase();

	// The library's side of a client (opaque here).
	class Impl;

protected:
	explicit ClientBase(std::unique_ptr<Impl> impl) noexcept;
	Impl* impl() const noexcept { return impl_.get(); }

private:
	std::unique_ptr<Impl> impl_;
};

}  // namespace corosync

// cs_error_t is an error-code enum: std::error_code ec = CS_ERR_TIMEOUT works.
// CS_OK (which is 1) becomes the empty error_code, so `if (ec)` means failure.
namespace std {
template <>
struct is_error_code_enum<cs_error_t> : true_type {};
}  // namespace std

COROSYNC_CPP_API std::error_code make_error_code(cs_error_t e) noexcept;
