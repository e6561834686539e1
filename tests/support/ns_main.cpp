// Test main for tests that need IPC: the process first moves into private
// namespaces (network and mounts), so every test process has its own
// "votequorum" service name, /run, /dev/shm and /var/lib/corosync.
#define CATCH_CONFIG_RUNNER
#include "namespace.hpp"

#include <catch2/catch.hpp>

int main(int argc, char* argv[])
{
	vqtest::enter_private_namespaces(true);
	return Catch::Session().run(argc, argv);
}
