// Unit tests need no set-up: no IPC, no namespaces.
namespace vqtest {
void before_tests() {}
}  // namespace vqtest
