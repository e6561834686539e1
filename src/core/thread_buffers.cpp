#include "thread_buffers.hpp"

#include <new>
#include <pthread.h>
#include <sys/mman.h>

namespace vq {

// The receive buffers (thread_buffers.hpp): the thread's state, and the
// rarely taken paths that map and unmap.
constinit thread_local ThreadBuffers t_buffers __attribute__((tls_model("initial-exec"))) = {};

namespace {

void release_buffers(void* state) noexcept
{
	auto* b = static_cast<ThreadBuffers*>(state);
	for (unsigned i = 0; i < kDepths; ++i) {
		if (b->data[i] != nullptr) {
			munmap(b->data[i], b->size[i]);
			b->data[i] = nullptr;
			b->size[i] = 0;
		}
	}
}

pthread_key_t buffers_key()
{
	static const pthread_key_t key = [] {
		pthread_key_t k;
		if (pthread_key_create(&k, release_buffers) != 0) {
			throw std::bad_alloc();
		}
		return k;
	}();
	return key;
}

}  // namespace

std::byte* map_bytes(std::size_t size)
{
	void* mem = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		throw std::bad_alloc();
	}
	return static_cast<std::byte*>(mem);
}

void unmap_bytes(std::byte* data, std::size_t size) noexcept
{
	munmap(data, size);
}

std::byte* grow_buffer(unsigned depth, std::size_t size)
{
	ThreadBuffers& b = t_buffers;
	// release_buffers at thread exit: registered before anything is mapped
	// (a mapping nobody would release is never made).
	if (pthread_getspecific(buffers_key()) == nullptr && pthread_setspecific(buffers_key(), &b) != 0) {
		throw std::bad_alloc();
	}
	std::byte* mem = map_bytes(size);
	if (b.data[depth] != nullptr) {
		munmap(b.data[depth], b.size[depth]);
	}
	b.data[depth] = mem;
	b.size[depth] = size;
	return mem;
}

}  // namespace vq
