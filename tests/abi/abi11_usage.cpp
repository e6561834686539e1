// The ABI 1.1 usage check, compiled as C++20.
#include "abi11_usage.c"
