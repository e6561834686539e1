// The quorum service's C++ API (quorum::Client) through the imported target
// votequorum::cpp alone: connects, asks, tracks the current state and
// prints what it learnt.
#include <quorum/client.hpp>

#include <cstdio>
#include <variant>

int main()
{
	int quorums = 0;
	int nodelists = 0;
	std::size_t members = 0;
	auto client = quorum::Client::connect([&](const quorum::Event& event) {
		if (const auto* q = std::get_if<quorum::QuorumEvent>(&event)) {
			quorums++;
			members = q->members.size();
		} else {
			nodelists++;
		}
	});
	if (!client) {
		std::printf("connect: %s\n", client.error().message().c_str());
		return 1;
	}
	const auto quorate = client->quorate();
	if (!quorate) {
		std::printf("quorate: %s\n", quorate.error().message().c_str());
		return 1;
	}
	for (const auto ec : {client->track(CS_TRACK_CURRENT), client->dispatch(CS_DISPATCH_ALL)}) {
		if (ec) {
			std::printf("track/dispatch: %s\n", ec.message().c_str());
			return 1;
		}
	}
	std::printf("quorum::Client: provider %d quorate %d nodelists %d quorums %d members %zu\n",
		client->has_provider() ? 1 : 0, *quorate ? 1 : 0, nodelists, quorums, members);
	return 0;
}
