// The C++ API's smoke test (debian/tests/cpp-api): votequorum::Client and
// quorum::Client on the local corosync. Prints one line,
//   quorate Q node N expected E total T quorum Q members M
// (M from quorum::Client's notification of the current state) and exits 0
// only if every call succeeded.
#include <quorum/client.hpp>
#include <votequorum/client.hpp>

#include <poll.h>

#include <cstdio>
#include <variant>

int main()
{
	auto vq = votequorum::Client::connect();
	if (!vq) {
		std::fprintf(stderr, "votequorum::Client::connect: %s\n", vq.error().message().c_str());
		return 1;
	}
	const auto info = vq->info();
	if (!info) {
		std::fprintf(stderr, "votequorum::Client::info: %s\n", info.error().message().c_str());
		return 1;
	}
	std::size_t members = 0;
	int events = 0;
	auto q = quorum::Client::connect([&](const quorum::Event& event) {
		if (const auto* e = std::get_if<quorum::QuorumEvent>(&event)) {
			events++;
			members = e->members.size();
		}
	});
	if (!q) {
		std::fprintf(stderr, "quorum::Client::connect: %s\n", q.error().message().c_str());
		return 1;
	}
	const auto quorate = q->quorate();
	if (!quorate) {
		std::fprintf(stderr, "quorum::Client::quorate: %s\n", quorate.error().message().c_str());
		return 1;
	}
	if (const auto ec = q->track(CS_TRACK_CURRENT)) {
		std::fprintf(stderr, "quorum::Client::track: %s\n", ec.message().c_str());
		return 1;
	}
	// The current state arrives as notifications (a node list, then the
	// quorum): wait for them with poll(), as an event loop would.
	for (int waits = 0; events == 0 && waits < 50; waits++) {
		pollfd p{q->fd(), POLLIN, 0};
		if (poll(&p, 1, 100) == 1) {
			if (const auto ec = q->dispatch(CS_DISPATCH_ALL)) {
				std::fprintf(stderr, "quorum::Client::dispatch: %s\n", ec.message().c_str());
				return 1;
			}
		}
	}
	if (events != 1 || *quorate != info->quorate()) {
		std::fprintf(stderr, "%d quorum events; quorate %d, votequorum says %d\n", events, *quorate ? 1 : 0,
			info->quorate() ? 1 : 0);
		return 1;
	}
	std::printf("quorate %d node %u expected %u total %u quorum %u members %zu\n", info->quorate() ? 1 : 0,
		info->node_id, info->expected_votes, info->total_votes, info->quorum, members);
	return 0;
}
