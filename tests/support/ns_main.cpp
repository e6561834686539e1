// Before any test of a program that needs IPC: the process moves into
// private namespaces (network and mounts), so every test process has its
// own "votequorum" service name, /run, /dev/shm and /var/lib/corosync.
#include "namespace.hpp"

namespace vqtest {
void before_tests()
{
	enter_private_namespaces(true);
}
}  // namespace vqtest
