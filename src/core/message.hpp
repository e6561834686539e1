// What every corosync IPC service's messages share: libqb's request and
// response headers, a request ready to send, and the checks every decoder
// makes before it reads a field. A service's wire.hpp adds its own layouts
// (src/votequorum/wire.hpp, src/quorum/wire.hpp); nothing here knows one.
#pragma once

#include <corosync/corotypes.h>

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <type_traits>

namespace vq::ipc {

// libqb's headers as corosync's daemon lays them out: every field 8-byte
// aligned, on every architecture.
struct RequestHeader {
	alignas(8) int32_t id;
	alignas(8) int32_t size;
};

struct ResponseHeader {
	alignas(8) int32_t id;
	alignas(8) int32_t size;
	alignas(8) int32_t error;
};

static_assert(sizeof(RequestHeader) == 16);
static_assert(sizeof(ResponseHeader) == 24);
static_assert(offsetof(ResponseHeader, error) == 16);

// A request ready to send: the bytes the daemon expects, header included.
// Every fixed request of the three services fits the inline room, so a
// round trip allocates nothing; only a request carrying a large value (a
// cmap_set of more than a few hundred bytes) goes to the heap.
class Request {
public:
	template <class T>
	explicit Request(const T& body) : Request(body, sizeof(T), nullptr, 0)
	{
	}
	// A fixed part followed by variable data: as the daemon counts it, the
	// message is sizeof(body) + tail_len bytes, the data starting at tail_at
	// (inside the body's padding and beyond), then `zeros` zero bytes that
	// the message carries but no length field counts.
	template <class T>
	Request(const T& body, std::size_t tail_at, const void* tail, std::size_t tail_len, std::size_t zeros = 0)
		: size_(sizeof(T) + tail_len + zeros)
	{
		static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8);
		std::byte* p = room();
		std::memcpy(p, &body, sizeof(T));
		std::memset(p + sizeof(T), 0, size_ - sizeof(T));
		if (tail_len != 0) {
			std::memcpy(p + tail_at, tail, tail_len);
		}
		set_header(reinterpret_cast<const RequestHeader&>(body).id);
	}
	Request(Request&& other) noexcept;
	Request(const Request&) = delete;
	Request& operator=(const Request&) = delete;
	Request& operator=(Request&& other) noexcept;
	~Request() = default;

	std::span<const std::byte> bytes() const noexcept { return {data(), size_}; }
	bool on_heap() const noexcept { return heap_ != nullptr; }

	// The bytes a request may hold without an allocation.
	static constexpr std::size_t kInlineBytes = 384;

private:
	std::byte* room();  // size_ bytes, inline or on the heap (bad_alloc)
	std::byte* data() noexcept { return heap_ ? heap_.get() : inline_; }
	const std::byte* data() const noexcept { return heap_ ? heap_.get() : inline_; }
	void take(Request& other) noexcept;  // other's bytes; other left empty
	void set_header(int32_t id) noexcept;

	std::size_t size_;
	std::unique_ptr<std::byte[]> heap_;
	alignas(8) std::byte inline_[kInlineBytes];
};

// A zeroed message body of type T whose header carries `id` and T's size.
template <class T>
T make(int32_t id)
{
	T body{};
	body.header.id = id;
	body.header.size = sizeof(T);
	return body;
}

// The T at `offset` of a message known to hold it (aligned or not).
template <class T>
inline T field(std::span<const std::byte> msg, std::size_t offset) noexcept
{
	T value;
	std::memcpy(&value, msg.data() + offset, sizeof value);
	return value;
}

// The array of T at `offset` of an 8-byte aligned message, in place.
// Callers have checked that the entries fit.
template <class T>
inline const T* view(std::span<const std::byte> msg, std::size_t offset) noexcept
{
	static_assert(alignof(T) <= 8);
	assert(reinterpret_cast<std::uintptr_t>(msg.data()) % 8 == 0 && offset % alignof(T) == 0);
	return reinterpret_cast<const T*>(msg.data() + offset);
}

// Room for a response header, and header.size equal to the bytes received
// (read as unsigned: a negative size never equals a length). Replies and
// notifications alike.
inline bool whole_message(std::span<const std::byte> msg) noexcept
{
	return msg.size() >= sizeof(ResponseHeader) && field<uint32_t>(msg, offsetof(ResponseHeader, size)) == msg.size();
}

// Does `fixed + count * entry` bytes fit in `size`, without overflow?
inline bool entries_fit(std::size_t size, std::size_t fixed, uint64_t count, std::size_t entry) noexcept
{
	return size >= fixed && count <= (size - fixed) / entry;
}

// What every service's event sink has besides its notifications: a
// notification whose id the service does not know (a newer daemon's) is
// consumed and passed over, and the sink may take note of it.
class EventSinkBase {
public:
	virtual ~EventSinkBase() = default;
	virtual void on_unknown(int32_t id) { (void)id; }
};

// What a service's `by_id` returns for a notification id it does not know:
// 0 is no cs_error_t (CS_OK is 1).
inline constexpr cs_error_t kUnknownNotification = static_cast<cs_error_t>(0);

// The frame of every service's notification decoder: the message must be
// whole (whole_message), then `by_id` (cs_error_t(int32_t id)) decodes it
// and delivers it to the sink: CS_OK, CS_ERR_MESSAGE_ERROR when it does not
// hold what its id says, or kUnknownNotification for an id the service does
// not know, which the sink's on_unknown hears of. Inline, like the
// decoders: it runs once per notification, and each case's constant result
// folds into the test below.
template <class Sink, class ById>
inline cs_error_t decode_notification(std::span<const std::byte> msg, Sink& sink, ById&& by_id)
{
	if (!whole_message(msg)) [[unlikely]] {
		return CS_ERR_MESSAGE_ERROR;
	}
	const auto id = field<int32_t>(msg, offsetof(ResponseHeader, id));
	if (const cs_error_t result = by_id(id); result != kUnknownNotification) [[likely]] {
		return result;
	}
	sink.on_unknown(id);
	return CS_OK;
}

// A notification's counted list: the message holds its fixed part Fixed,
// whose uint32 at `count_at` counts the T entries starting at `list_at`,
// and they all fit. Then `deliver` gets the entries as a view in place
// (std::span<const T>) and the result is CS_OK; else CS_ERR_MESSAGE_ERROR
// and `deliver` is not called.
template <class Fixed, class T, class Deliver>
inline cs_error_t with_list(std::span<const std::byte> msg, std::size_t count_at, std::size_t list_at, Deliver&& deliver)
{
	if (msg.size() < sizeof(Fixed)) [[unlikely]] {
		return CS_ERR_MESSAGE_ERROR;
	}
	const auto count = field<uint32_t>(msg, count_at);
	if (!entries_fit(msg.size(), list_at, count, sizeof(T))) [[unlikely]] {
		return CS_ERR_MESSAGE_ERROR;
	}
	deliver(std::span<const T>(view<T>(msg, list_at), count));
	return CS_OK;
}

// The first check of every reply: the reply's own error if it carries one
// (passed through when it is a cs_error_t, CS_ERR_MESSAGE_ERROR for a value
// that names none); else CS_ERR_MESSAGE_ERROR unless the reply is a whole
// message of the expected id and at least min_size bytes; else CS_OK.
cs_error_t check_reply(std::span<const std::byte> reply, int32_t id, std::size_t min_size) noexcept;

}  // namespace vq::ipc
