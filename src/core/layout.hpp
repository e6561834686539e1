// What every service's wire.hpp pins its layouts with: VQ_LAYOUT, the one
// rule that differs between Debian's architectures (where a uint64_t inside
// a struct goes), and the two ways corosync's services lay out a ring id.
#pragma once

#include <cstddef>
#include <cstdint>

// Asserts that TYPE.FIELD is at OFFSET, naming both when it is not.
#define VQ_LAYOUT(type, field, offset) static_assert(offsetof(type, field) == (offset), #type "." #field)

namespace vq::ipc {

// A uint64_t inside a struct is 8-aligned on every 64-bit ABI and on armhf,
// but 4-aligned on i386.
#if defined(__i386__)
inline constexpr std::size_t kU64InStruct = 4;
#else
inline constexpr std::size_t kU64InStruct = 8;
#endif

// A ring id as a plain C struct {nodeid; seq}: seq's place and the size
// follow the ABI (votequorum's messages).
struct PlainRingId {
	uint32_t nodeid;
	uint64_t seq;
};
static_assert(sizeof(PlainRingId) == kU64InStruct + 8);
VQ_LAYOUT(PlainRingId, seq, kU64InStruct);

// A ring id whose fields the daemon aligns to 8 on every architecture (the
// quorum service's messages).
struct AlignedRingId {
	alignas(8) uint32_t nodeid;
	alignas(8) uint64_t seq;
};
static_assert(sizeof(AlignedRingId) == 16);
VQ_LAYOUT(AlignedRingId, seq, 8);

}  // namespace vq::ipc
