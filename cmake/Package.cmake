# Debian packages (cpack -G DEB):
#   libvotequorum8-cpp     libvotequorum.so.8, in place of Debian's libvotequorum8
#   libquorum5-cpp         libquorum.so.5, in place of Debian's libquorum5
#   libvotequorum-cpp-dev  headers, .so links, pkg-config files, CMake package,
#                          man pages, of both libraries
#
# Each runtime package coexists with Debian's: its preinst diverts the
# library's SONAME link (owned by Debian's package) and ships its own,
# pointing at our file, so every program on the system, Debian's
# corosync-quorumtool and corosync-qdevice included, loads this library;
# removing the package gives the link back. (Our file's version must sort
# after Debian's, or ldconfig points the link back at Debian's file.) Each
# Provides its Debian package for systems without it. Depends are computed
# from the binary (dpkg-shlibdeps).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME votequorum-cpp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "votequorum-cpp maintainers <votequorum-cpp@localhost>")
set(CPACK_PACKAGE_VENDOR "votequorum-cpp")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime quorum dev cpp tools)
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
# The runtime package of each C library: its CPack component, package name,
# the SONAME link it diverts, and Debian's package that owns that link. The
# maintainer scripts (cmake/deb) are filled in for each.
set(VQ_DEB_RUNTIMES
	"runtime libvotequorum8-cpp libvotequorum.so.8 libvotequorum8"
	"quorum libquorum5-cpp libquorum.so.5 libquorum5")
foreach(spec IN LISTS VQ_DEB_RUNTIMES)
	separate_arguments(spec)
	list(GET spec 0 component)
	list(GET spec 1 VQ_DEB_PACKAGE)
	list(GET spec 2 VQ_DEB_LINK)
	list(GET spec 3 VQ_DEB_REFERENCE)
	string(TOUPPER ${component} COMPONENT)
	set(scripts)
	foreach(script preinst postinst postrm)
		set(out ${PROJECT_BINARY_DIR}/deb/${VQ_DEB_PACKAGE}/${script})
		configure_file(cmake/deb/${script} ${out} @ONLY)
		file(CHMOD ${out} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
		list(APPEND scripts ${out})
	endforeach()
	set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_NAME ${VQ_DEB_PACKAGE})
	set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_SECTION libs)
	set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_PROVIDES "${VQ_DEB_REFERENCE} (= ${PROJECT_VERSION})")
	set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_CONTROL_EXTRA ${scripts})
	set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_CONTROL_STRICT_PERMISSION ON)
endforeach()
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "A re-implementation of corosync's libvotequorum with the same C ABI and
symbol versions. Installing it makes every program, corosync-quorumtool and
corosync-qdevice included, use it instead of libvotequorum8 (which may stay
installed; removing this package switches back).")
set(CPACK_DEBIAN_QUORUM_DESCRIPTION "A re-implementation of corosync's libquorum (the quorum service's client
library) with the same C ABI and symbol versions. Installing it makes every
program, corosync-quorumtool and pacemaker included, use it instead of
libquorum5 (which may stay installed; removing this package switches back).")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libvotequorum-cpp-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION "Development files of libvotequorum and libquorum: the headers
<corosync/votequorum.h>, <corosync/quorum.h> and <corosync/corotypes.h>, the
C++ API headers <votequorum/client.hpp> and <quorum/client.hpp>, the
libvotequorum and libquorum pkg-config files, the votequorum CMake package
and the manual pages of both C APIs.")
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
	"libvotequorum8-cpp (= ${PROJECT_VERSION}), libquorum5-cpp (= ${PROJECT_VERSION}), libvotequorum-cpp1 (= ${PROJECT_VERSION})")
# One package in place of Debian's two: the CMake package exports both
# libraries, and both need the same corotypes.h.
set(CPACK_DEBIAN_DEV_PACKAGE_PROVIDES "libvotequorum-dev (= ${PROJECT_VERSION}), libquorum-dev (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_DEV_PACKAGE_CONFLICTS "libvotequorum-dev, libquorum-dev")
# corotypes.h is also shipped by libcorosync-common-dev; ours is compatible.
set(CPACK_DEBIAN_DEV_PACKAGE_REPLACES "libvotequorum-dev, libquorum-dev, libcorosync-common-dev")

set(CPACK_DEBIAN_CPP_PACKAGE_NAME libvotequorum-cpp1)
set(CPACK_DEBIAN_CPP_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_CPP_DESCRIPTION "The C++ API library of the votequorum and quorum services
(votequorum::Client, quorum::Client): typed events, std::error_code
results, connect and request timeouts.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME votequorum-monitor)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "Prints the local node's quorum state once or as it changes, as text,
JSON lines or Prometheus text exposition; the exit status tells quorate,
not quorate or cannot connect. With --listen (and the votequorum-monitor
systemd unit) it is a Prometheus exporter that follows corosync's
notifications, serving its own metrics and ha_cluster_exporter's names.")

include(CPack)
