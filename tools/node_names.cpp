#include "node_names.hpp"

#include <cstdlib>
#include <fstream>
#include <vector>

namespace monitor {

namespace {

std::string trim(const std::string& s)
{
	const auto b = s.find_first_not_of(" \t\r");
	if (b == std::string::npos) {
		return "";
	}
	return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

std::map<uint32_t, std::string> read_node_names(const std::string& path)
{
	// corosync.conf is sections ("name {" ... "}") holding "key: value"
	// lines; '#' starts a comment line. Only nodelist { node { ... } } matters.
	std::map<uint32_t, std::string> names;
	std::ifstream in(path);
	std::vector<std::string> sections;
	std::map<std::string, std::string> node;  // the keys of the node section being read
	auto finish_node = [&] {
		auto id = node.find("nodeid");
		auto name = node.count("name") ? node.find("name") : node.find("ring0_addr");
		if (id != node.end() && name != node.end()) {
			char* end = nullptr;
			const unsigned long n = std::strtoul(id->second.c_str(), &end, 10);
			if (end != id->second.c_str() && *end == '\0' && n <= UINT32_MAX) {
				names[static_cast<uint32_t>(n)] = name->second;
			}
		}
		node.clear();
	};
	for (std::string line; std::getline(in, line);) {
		line = trim(line);
		if (line.empty() || line[0] == '#') {
			continue;
		}
		if (line.back() == '{') {
			sections.push_back(trim(line.substr(0, line.size() - 1)));
		} else if (line == "}") {
			if (sections.size() == 2 && sections[0] == "nodelist" && sections[1] == "node") {
				finish_node();
			}
			if (!sections.empty()) {
				sections.pop_back();
			}
		} else if (auto colon = line.find(':'); colon != std::string::npos && sections.size() == 2 &&
		           sections[0] == "nodelist" && sections[1] == "node") {
			node[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
		}
	}
	return names;
}

}  // namespace monitor
