// Reading and writing fields of a message by offset, for tests that build
// or check bytes at the daemon's offsets by hand.
#pragma once

#include <catch2/catch.hpp>

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

inline std::vector<std::byte> bytes_of(const void* p, std::size_t n)
{
	auto* b = static_cast<const std::byte*>(p);
	return {b, b + n};
}

}  // namespace vqtest
