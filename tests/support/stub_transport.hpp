// The one in-memory vq::Transport for tests that exercise the core without
// libqb (unit tests, the fuzzer): notifications are queued by the test,
// requests fail as if the peer were gone, credentials are whatever the test
// sets. Its fd is an eventfd whose counter mirrors the queue length, so it is
// readable exactly while a notification is queued (blocking dispatch works).
#pragma once

#include "core/transport.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <sys/eventfd.h>
#include <unistd.h>
#include <vector>

namespace vqtest {

class StubTransport final : public vq::Transport {
public:
	// State the test keeps a handle on after the connection owns the transport.
	struct State {
		std::deque<std::vector<std::byte>> queue;
		bool gone = false;  // once the queue is empty: -ENOTCONN, not -EAGAIN
		bool credentials_known = false;
		pid_t pid = 1;
		uid_t uid = 0;
		gid_t gid = 0;
	};

	explicit StubTransport(std::size_t max_message = 65536)
		: fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE)), max_(max_message)
	{
		if (fd_ < 0) {
			std::abort();
		}
	}
	~StubTransport() override { close(fd_); }
	StubTransport(const StubTransport&) = delete;
	StubTransport& operator=(const StubTransport&) = delete;

	void push(std::vector<std::byte> msg)
	{
		state_->queue.push_back(std::move(msg));
		const uint64_t one = 1;
		if (write(fd_, &one, sizeof one) != sizeof one) {
			std::abort();
		}
	}
	void push(const void* data, std::size_t size)
	{
		const auto* p = static_cast<const std::byte*>(data);
		push(std::vector<std::byte>(p, p + size));
	}
	void hang_up() { state_->gone = true; }
	std::shared_ptr<State> state() const { return state_; }

	ssize_t call(std::span<const std::byte>, std::span<std::byte>, const std::atomic<bool>&, int) override
	{
		return -ENOTCONN;
	}
	EventReceiver event_receiver() override
	{
		// Itself as the argument: only this function ever reads it back.
		return {[](qb_ipcc_connection* self, void* buf, std::size_t size, int32_t) {
			        return reinterpret_cast<StubTransport*>(self)->receive_event({static_cast<std::byte*>(buf), size});
		        },
			reinterpret_cast<qb_ipcc_connection*>(this)};
	}
	ssize_t receive_event(std::span<std::byte> buf)
	{
		if (state_->queue.empty()) {
			return state_->gone ? -ENOTCONN : -EAGAIN;
		}
		auto msg = std::move(state_->queue.front());
		state_->queue.pop_front();
		uint64_t n;
		if (read(fd_, &n, sizeof n) != sizeof n) {
			std::abort();
		}
		if (msg.size() > buf.size()) {
			return -EMSGSIZE;
		}
		if (!msg.empty()) {
			std::memcpy(buf.data(), msg.data(), msg.size());
		}
		return static_cast<ssize_t>(msg.size());
	}
	int fd() const override { return fd_; }
	std::size_t max_message_size() const override { return max_; }
	bool peer_credentials(pid_t& pid, uid_t& uid, gid_t& gid) const override
	{
		pid = state_->pid;
		uid = state_->uid;
		gid = state_->gid;
		return state_->credentials_known;
	}

private:
	std::shared_ptr<State> state_ = std::make_shared<State>();
	int fd_;
	std::size_t max_;
};

}  // namespace vqtest
