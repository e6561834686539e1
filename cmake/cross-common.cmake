# The part of cmake/toolchain-ARCH.cmake common to every architecture.
# VQ_CROSS_ROOT (a cache variable, or the environment) names the root.
if(NOT VQ_CROSS_ROOT AND DEFINED ENV{VQ_CROSS_ROOT})
	set(VQ_CROSS_ROOT "$ENV{VQ_CROSS_ROOT}")
endif()
if(NOT VQ_CROSS_ROOT OR NOT EXISTS "${VQ_CROSS_ROOT}/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}")
	message(FATAL_ERROR "VQ_CROSS_ROOT must name a Debian ${VQ_CROSS_ARCH} root (tests/cross/roots.sh ${VQ_CROSS_ARCH})")
endif()
set(VQ_CROSS_ROOT "${VQ_CROSS_ROOT}" CACHE PATH "The Debian root of the target architecture (sysroot)")
# try_compile projects read this file again: they need the root too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES VQ_CROSS_ROOT)
set(ENV{VQ_CROSS_ROOT} "${VQ_CROSS_ROOT}")

set(CMAKE_SYSROOT "${VQ_CROSS_ROOT}")
set(CMAKE_FIND_ROOT_PATH "${VQ_CROSS_ROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config reads the root's .pc files and prefixes their paths with it.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${VQ_CROSS_ROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
	"${VQ_CROSS_ROOT}/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig:${VQ_CROSS_ROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
# Test programs (and Catch's test discovery at build time) run in the root.
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../tests/cross/in-root.sh;${VQ_CROSS_ROOT}")
# Debian's multiarch library directory (GNUInstallDirs picks it only for
# native builds), so the packages install where the root's loader looks.
set(CMAKE_INSTALL_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}" CACHE PATH "Object code libraries" FORCE)
