#include "message.hpp"

#include "errors.hpp"

#include <utility>

namespace vq::ipc {

std::byte* Request::room()
{
	if (size_ <= kInlineBytes) {
		return inline_;
	}
	heap_ = std::make_unique_for_overwrite<std::byte[]>(size_);
	return heap_.get();
}

// A moved-from request is empty.
void Request::take(Request& other) noexcept
{
	size_ = std::exchange(other.size_, 0);
	heap_ = std::move(other.heap_);
	if (!heap_) {
		std::memcpy(inline_, other.inline_, size_);
	}
}

Request::Request(Request&& other) noexcept : size_(0)
{
	take(other);
}

Request& Request::operator=(Request&& other) noexcept
{
	if (this != &other) {
		take(other);
	}
	return *this;
}

void Request::set_header(int32_t id) noexcept
{
	RequestHeader header{};
	header.id = id;
	header.size = static_cast<int32_t>(size_);
	std::memcpy(data(), &header, sizeof header);
}

cs_error_t check_reply(std::span<const std::byte> reply, int32_t id, std::size_t min_size) noexcept
{
	if (!whole_message(reply)) {
		return CS_ERR_MESSAGE_ERROR;
	}
	const auto header = field<ResponseHeader>(reply, 0);
	if (header.error != CS_OK) {
		// A value that names no cs_error_t could not be returned as one
		// without undefined behaviour in C++: the reply is malformed.
		return is_cs_error(header.error) ? static_cast<cs_error_t>(header.error) : CS_ERR_MESSAGE_ERROR;
	}
	if (header.id != id || reply.size() < min_size) {
		return CS_ERR_MESSAGE_ERROR;
	}
	return CS_OK;
}

}  // namespace vq::ipc
