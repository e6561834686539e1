#include "corosync.hpp"

#include <corosync/votequorum.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace vqtest {

namespace {

// The end of the daemon's log, for failure messages (the log lives in the
// test's private /run and is gone with it).
std::string log_tail(const std::string& path)
{
	std::ifstream in(path);
	std::string line, tail;
	std::vector<std::string> lines;
	while (std::getline(in, line)) {
		lines.push_back(line);
	}
	for (std::size_t i = lines.size() > 15 ? lines.size() - 15 : 0; i < lines.size(); ++i) {
		tail += "\n    " + lines[i];
	}
	return tail;
}

bool quorate_now()
{
	votequorum_handle_t handle;
	if (votequorum_initialize(&handle, nullptr) != CS_OK) {
		return false;
	}
	votequorum_info info{};
	const bool ok = votequorum_getinfo(handle, 0, &info) == CS_OK && (info.flags & VOTEQUORUM_INFO_QUORATE);
	votequorum_finalize(handle);
	return ok;
}

}  // namespace

PrivateCorosync::PrivateCorosync()
{
	mkdir("/run/vqtest", 0755);
	config_ = VQ_COROSYNC_CONF;  // tests/support/corosync.conf
	log_ = "/run/vqtest/corosync.log";
	start();
}

PrivateCorosync::~PrivateCorosync()
{
	kill();
}

void PrivateCorosync::start()
{
	std::fflush(nullptr);
	pid_ = fork();
	if (pid_ < 0) {
		throw std::runtime_error("fork corosync");
	}
	if (pid_ == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int log = open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(log, 1);
		dup2(log, 2);
		execlp("corosync", "corosync", "-f", "-c", config_.c_str(), static_cast<char*>(nullptr));
		_exit(127);
	}
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
	while (!quorate_now()) {
		int status;
		if (waitpid(pid_, &status, WNOHANG) == pid_) {
			pid_ = -1;
			throw std::runtime_error("corosync exited at start:" + log_tail(log_));
		}
		if (std::chrono::steady_clock::now() > deadline) {
			throw std::runtime_error("corosync not quorate after 20 s:" + log_tail(log_));
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
}

void PrivateCorosync::kill()
{
	if (pid_ > 0) {
		::kill(pid_, SIGKILL);
		waitpid(pid_, nullptr, 0);
		pid_ = -1;
	}
}

}  // namespace vqtest
