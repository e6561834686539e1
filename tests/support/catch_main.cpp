// The one Catch runner of every test program, compiled once per build and
// without optimisation or debug info: Catch's implementation is by far the
// slowest file of the tree to compile (minutes under ASan at -O2). Each
// program defines vqtest::before_tests(): unit tests do nothing, the tests
// that talk IPC enter private namespaces (ns_main.cpp).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

namespace vqtest {
void before_tests();
}

int main(int argc, char* argv[])
{
	vqtest::before_tests();
	return Catch::Session().run(argc, argv);
}
