// The same header check, compiled as C++ (see header_check.c).
#include "header_check.c"
