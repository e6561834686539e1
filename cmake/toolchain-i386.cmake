# Cross build for Debian i386 against a Debian 12 i386 root as the sysroot
# (tests/cross/roots.sh makes it): cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-i386.cmake
# -DVQ_CROSS_ROOT=ROOT. ctest runs the foreign programs inside the root
# (tests/cross/in-root.sh: chroot in a private mount namespace; the root's
# own libraries and loader; i386 code natively on an x86_64 machine that runs
# it, else through qemu-user: tests/cross/binfmt.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i386)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)
set(VQ_CROSS_ARCH i386)
include(${CMAKE_CURRENT_LIST_DIR}/cross-common.cmake)
