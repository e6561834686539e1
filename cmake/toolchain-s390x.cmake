# Cross build for Debian s390x against a Debian 12 s390x root as the sysroot
# (tests/cross/roots.sh makes it): cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-s390x.cmake
# -DVQ_CROSS_ROOT=ROOT. ctest runs the foreign programs inside the root
# (tests/cross/in-root.sh: chroot in a private mount namespace; the root's
# own libraries and loader, s390x code through qemu-user-static and binfmt_misc).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER s390x-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE s390x-linux-gnu)
set(VQ_CROSS_ARCH s390x)
include(${CMAKE_CURRENT_LIST_DIR}/cross-common.cmake)
