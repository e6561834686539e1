// A private single-node corosync for tests of the real daemon. Call
// enter_private_namespaces(true) first: the daemon then runs in the test's
// own network and mount namespaces and never meets a corosync outside.
#pragma once

#include <string>
#include <sys/types.h>

namespace vqtest {

class PrivateCorosync {
public:
	// Starts `corosync -f` and waits until votequorum answers and is quorate.
	PrivateCorosync();
	~PrivateCorosync();
	PrivateCorosync(const PrivateCorosync&) = delete;
	PrivateCorosync& operator=(const PrivateCorosync&) = delete;

	void start();
	// SIGKILL, as a crash; waits for the process to be gone.
	void kill();
	pid_t pid() const { return pid_; }
	const std::string& log_path() const { return log_; }

private:
	pid_t pid_ = -1;
	std::string config_;
	std::string log_;
};

}  // namespace vqtest
