# Debian packages (cpack -G DEB):
#   libvotequorum8-cpp     the library, in place of Debian's libvotequorum8
#   libvotequorum-cpp-dev  headers, .so link, pkg-config, CMake package, man pages
#
# The runtime package coexists with libvotequorum8: its preinst diverts the
# libvotequorum.so.8 link (owned by libvotequorum8) and ships its own, pointing
# at libvotequorum.so.8.1.0, so every program on the system, Debian's
# corosync-quorumtool and corosync-qdevice included, loads this library;
# removing the package gives the link back. It Provides libvotequorum8 for
# systems without it. Depends are computed from the binary (dpkg-shlibdeps).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME votequorum-cpp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "votequorum-cpp maintainers <votequorum-cpp@localhost>")
set(CPACK_PACKAGE_VENDOR "votequorum-cpp")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev cpp tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Our own libraries, for the packages that link them (votequorum-monitor).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR})
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)

execute_process(COMMAND dpkg-architecture -qDEB_HOST_MULTIARCH
	OUTPUT_VARIABLE VQ_MULTIARCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT VQ_MULTIARCH)
	set(VQ_MULTIARCH x86_64-linux-gnu)
endif()
# A cross build (cmake/toolchain-ARCH.cmake) packages for its architecture;
# dpkg-shlibdeps cannot see the target's libraries in this machine's dpkg
# database, so tests/cross/package.sh computes the Depends against the root.
if(CMAKE_CROSSCOMPILING AND VQ_CROSS_ARCH)
	set(VQ_MULTIARCH ${CMAKE_LIBRARY_ARCHITECTURE})
	set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${VQ_CROSS_ARCH})
	set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
endif()
foreach(script preinst postinst postrm)
	configure_file(cmake/deb/${script} ${PROJECT_BINARY_DIR}/deb/${script} @ONLY)
	file(CHMOD ${PROJECT_BINARY_DIR}/deb/${script}
		PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libvotequorum8-cpp)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "A re-implementation of corosync's libvotequorum with the same C ABI and
symbol versions. Installing it makes every program, corosync-quorumtool and
corosync-qdevice included, use it instead of libvotequorum8 (which may stay
installed; removing this package switches back).")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_PROVIDES "libvotequorum8 (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
	${PROJECT_BINARY_DIR}/deb/preinst ${PROJECT_BINARY_DIR}/deb/postinst ${PROJECT_BINARY_DIR}/deb/postrm)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libvotequorum-cpp-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION "Development files: the headers <corosync/votequorum.h> and
<corosync/corotypes.h>, the libvotequorum pkg-config file, the votequorum
CMake package and the manual pages of the votequorum C API.")
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libvotequorum8-cpp (= ${PROJECT_VERSION}), libvotequorum-cpp1 (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_DEV_PACKAGE_PROVIDES "libvotequorum-dev (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_DEV_PACKAGE_CONFLICTS "libvotequorum-dev")
# corotypes.h is also shipped by libcorosync-common-dev; ours is compatible.
set(CPACK_DEBIAN_DEV_PACKAGE_REPLACES "libvotequorum-dev, libcorosync-common-dev")

set(CPACK_DEBIAN_CPP_PACKAGE_NAME libvotequorum-cpp1)
set(CPACK_DEBIAN_CPP_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_CPP_DESCRIPTION "The votequorum C++ API library (votequorum::Client): typed events,
std::error_code results, connect and request timeouts.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME votequorum-monitor)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "Prints the local node's quorum state once or as it changes, as text,
JSON lines or Prometheus text exposition; the exit status tells quorate,
not quorate or cannot connect. With --listen (and the votequorum-monitor
systemd unit) it is a Prometheus exporter that follows corosync's
notifications, serving its own metrics and ha_cluster_exporter's names.")

include(CPack)
