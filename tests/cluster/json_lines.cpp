// Reads votequorum-monitor --json lines on stdin: fails unless every line is
// a valid JSON object; prints "quorate total_votes ring_id members" per line.
#include <nlohmann/json.hpp>

#include <iostream>
#include <string>

int main()
{
	std::string line;
	int n = 0;
	while (std::getline(std::cin, line)) {
		++n;
		nlohmann::json j;
		try {
			j = nlohmann::json::parse(line);
		} catch (const std::exception& e) {
			std::cerr << "line " << n << " is not JSON: " << e.what() << "\n";
			return 1;
		}
		if (!j.is_object() || !j.contains("quorate") || !j.contains("members") || !j.contains("ring_id")) {
			std::cerr << "line " << n << " lacks fields\n";
			return 1;
		}
		std::cout << (j["quorate"].get<bool>() ? "quorate" : "inquorate") << " votes=" << j["total_votes"]
		          << " members=" << j["members"].size() << " ring=" << j["ring_id"].get<std::string>() << "\n";
	}
	return n > 0 ? 0 : 1;
}
