// The fuzz target (tests/fuzz/decode_fuzz.cpp) without libFuzzer: a replay
// driver for the cross tiers, where clang's libFuzzer is not at hand. Each
// file named on the command line goes through LLVMFuzzerTestOneInput whole
// and cut at every shorter length, each cut three ways:
//   - as it is (a cut message's header.size no longer matches: refused);
//   - with header.size set to the cut length, so the size checks of the
//     decoders (entry counts, data sizes against the bytes) are what must
//     refuse it;
//   - with every 32-bit word of the message byte-swapped, then the size
//     set: the corpus was written on a little-endian machine, so on a
//     big-endian one this is the variant whose ids, sizes and counts mean
//     what they meant there (on a little-endian one, more odd input).
// The target aborts on any check that fails; UBSan (built in) on undefined
// behaviour.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

namespace {

// The input's first byte picks the decoding path; the message follows.
constexpr std::size_t kMessage = 1;
constexpr std::size_t kSizeField = kMessage + 8;  // header.size: int32 at 8

std::size_t g_inputs = 0;

void run(std::vector<uint8_t> input)
{
	// A copy of exactly the input's bytes, so a read past it is past the allocation.
	LLVMFuzzerTestOneInput(input.data(), input.size());
	++g_inputs;
}

void with_size(std::vector<uint8_t> input)
{
	if (input.size() >= kSizeField + 4) {
		const auto size = static_cast<int32_t>(input.size() - kMessage);
		std::memcpy(input.data() + kSizeField, &size, sizeof size);
	}
	run(std::move(input));
}

}  // namespace

int main(int argc, char** argv)
{
	std::size_t files = 0;
	for (int i = 1; i < argc; ++i) {
		std::ifstream in(argv[i], std::ios::binary);
		if (!in) {
			std::fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
		std::vector<uint8_t> swapped = bytes;
		for (std::size_t at = kMessage; at + 4 <= swapped.size(); at += 4) {
			std::reverse(swapped.begin() + static_cast<std::ptrdiff_t>(at), swapped.begin() + static_cast<std::ptrdiff_t>(at + 4));
		}
		for (std::size_t len = 0; len <= bytes.size(); ++len) {
			const auto cut = static_cast<std::ptrdiff_t>(len);
			run({bytes.begin(), bytes.begin() + cut});
			with_size({bytes.begin(), bytes.begin() + cut});
			with_size({swapped.begin(), swapped.begin() + cut});
		}
		++files;
	}
	std::printf("replay: %zu corpus files, %zu inputs (each file and every prefix, as is, with header.size set, "
		"and 32-bit words swapped), no failure\n", files, g_inputs);
	return files == 0 ? 1 : 0;
}
