// Reading and writing fields of a message by offset, for tests that build
// or check bytes at the daemon's offsets by hand.
#pragma once

#include "core/message.hpp"

#include <catch2/catch.hpp>
#include <corosync/corotypes.h>

#include <cstdint>

#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

namespace vqtest {

template <class T>
T read_at(std::span<const std::byte> bytes, std::size_t offset)
{
	REQUIRE(offset + sizeof(T) <= bytes.size());
	T value;
	std::memcpy(&value, bytes.data() + offset, sizeof value);
	return value;
}

template <class T>
void set_at(std::vector<std::byte>& bytes, std::size_t offset, T value)
{
	REQUIRE(offset + sizeof(T) <= bytes.size());
	std::memcpy(bytes.data() + offset, &value, sizeof value);
}

// A request's header: its id and its size field.
inline int32_t header_id(const vq::ipc::Request& r)
{
	return read_at<int32_t>(r.bytes(), 0);
}
inline int32_t header_size(const vq::ipc::Request& r)
{
	return read_at<int32_t>(r.bytes(), 8);
}

// A reply or notification of `size` bytes: a header saying `id`, `size`
// (or `claimed_size`) and `error`, the rest zero.
inline std::vector<std::byte> message(int32_t id, std::size_t size, int32_t error = CS_OK, int64_t claimed_size = -1)
{
	std::vector<std::byte> m(size);
	set_at<int32_t>(m, 0, id);
	set_at<int32_t>(m, 8, static_cast<int32_t>(claimed_size >= 0 ? claimed_size : static_cast<int64_t>(size)));
	if (size >= 24) {
		set_at<int32_t>(m, 16, error);
	}
	return m;
}

inline std::vector<std::byte> bytes_of(const void* p, std::size_t n)
{
	auto* b = static_cast<const std::byte*>(p);
	return {b, b + n};
}

}  // namespace vqtest
