// Test isolation: every test process moves into namespaces of its own, so
// its votequorum service name (an abstract unix socket) and, for tests of the
// real daemon, /run, /dev/shm and /var/lib/corosync are private to it.
#pragma once

namespace vqtest {

// A private network namespace with loopback up. With `private_mounts`, also a
// private mount namespace with fresh tmpfs on /run, /dev/shm,
// /var/lib/corosync and /var/log/corosync. Needs root; aborts the test
// program with a message when it cannot be done (never skips).
void enter_private_namespaces(bool private_mounts);

}  // namespace vqtest
