// cpp_status: the C++ API in a few lines. Prints the local node's quorum
// state, then every change for a few seconds, driven by the caller's own
// poll() loop.
#include <votequorum/client.hpp>

#include <poll.h>

#include <chrono>
#include <iostream>

int main()
{
	auto client = votequorum::Client::connect(
		[](const votequorum::Event& event) {
			if (auto* q = std::get_if<votequorum::QuorumEvent>(&event)) {
				std::cout << "quorum: " << (q->quorate ? "quorate" : "NOT quorate") << ", " << q->nodes.size()
				          << " node(s)\n";
			} else if (auto* n = std::get_if<votequorum::NodelistEvent>(&event)) {
				std::cout << "membership: ring " << n->ring.nodeid << "." << n->ring.seq << ", nodes:";
				for (uint32_t id : n->nodes) {
					std::cout << " " << id;
				}
				std::cout << "\n";
			} else if (auto* e = std::get_if<votequorum::ExpectedVotesEvent>(&event)) {
				std::cout << "expected votes: " << e->expected_votes << "\n";
			}
		},
		{std::chrono::seconds(5), std::chrono::seconds(5)});
	if (!client) {
		std::cerr << "cannot connect: " << client.error().message() << "\n";
		return 2;
	}
	if (auto info = client->info()) {
		std::cout << "node " << info->node_id << ": " << info->votes << " vote(s), quorum " << info->quorum << " of "
		          << info->total_votes << ", " << (info->quorate() ? "quorate" : "not quorate") << "\n";
	}
	if (auto ec = client->track(0)) {
		std::cerr << "track: " << ec.message() << "\n";
		return 2;
	}
	pollfd p{client->fd(), POLLIN, 0};
	const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
	while (std::chrono::steady_clock::now() < end) {
		if (poll(&p, 1, 100) == 1) {
			if (auto ec = client->dispatch(CS_DISPATCH_ALL)) {
				std::cerr << "dispatch: " << ec.message() << "\n";
				return 2;
			}
		}
	}
	return 0;
}
