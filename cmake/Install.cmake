# Install tree: library, headers, pkg-config file, CMake package, man pages.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS votequorum EXPORT votequorumTargets
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev)
# libquorum.so.5, the quorum service's client, in its own runtime package;
# exported as votequorum::quorum.
install(TARGETS quorum EXPORT votequorumTargets
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT quorum NAMELINK_COMPONENT dev
	INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# libcmap.so.4, the cmap service's client, in its own runtime package. Not
# in the CMake package: the C++ API (cmap::Client) is votequorum::cpp's,
# and C programs find libcmap with pkg-config, as Debian's.
install(TARGETS cmap
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT cmap NAMELINK_COMPONENT dev)
# libcorosync_common.so.4, the error helpers every corosync client library
# and tool calls. Not in the CMake package (none of its targets links it).
# debian/ packages the library (libcorosync-common4-cpp); its link and .pc
# are left to Debian's libcorosync-common-dev (debian/not-installed).
install(TARGETS corosync_common
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT common NAMELINK_COMPONENT dev)
install(FILES include/corosync/votequorum.h include/corosync/quorum.h include/corosync/cmap.h
	include/corosync/corotypes.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/corosync COMPONENT dev)

# The C++ API of both services (its own library) and the monitor tool.
install(TARGETS votequorum-cpp EXPORT votequorumTargets
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT cpp NAMELINK_COMPONENT dev)
# Its headers: <votequorum/client.hpp>, <quorum/client.hpp> and what they
# include, among them what every client shares, <corosync/client.hpp>.
install(DIRECTORY include/votequorum include/quorum include/cmap DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
	FILES_MATCHING PATTERN "*.hpp")
install(FILES include/corosync/client.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/corosync COMPONENT dev)
if(TARGET votequorum-monitor)  # VQ_TOOLS
	install(TARGETS votequorum-monitor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)
	# The exporter's systemd unit, under the prefix (systemd reads /usr/lib/systemd/system and /usr/local/lib/systemd/system).
	set(VQ_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING "Where votequorum-monitor.service is installed (under the prefix)")
	install(FILES tools/votequorum-monitor.service DESTINATION ${VQ_SYSTEMD_UNIT_DIR} COMPONENT tools)
endif()

# pkg-config: same names (libvotequorum, libquorum, libcmap,
# libcorosync_common) and fields as corosync's files. Unless installing to
# /usr, the prefix is found from the file's own place, so the tree can be
# installed anywhere (cmake --install --prefix).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR CMAKE_INSTALL_PREFIX STREQUAL "/usr")
	set(VQ_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")  # a distribution's install: plain paths
else()
	file(RELATIVE_PATH VQ_PC_UP "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
	string(REGEX REPLACE "/$" "" VQ_PC_UP "${VQ_PC_UP}")
	set(VQ_PC_PREFIX "\${pcfiledir}/${VQ_PC_UP}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
	set(VQ_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
	set(VQ_PC_LIBDIR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
	set(VQ_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
	set(VQ_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
foreach(pc libvotequorum libquorum libcmap libcorosync_common)
	configure_file(cmake/${pc}.pc.in ${pc}.pc @ONLY)
	install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
endforeach()

# CMake package: find_package(votequorum) -> votequorum::votequorum,
# votequorum::quorum and votequorum::cpp.
set(VQ_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/votequorum)
install(EXPORT votequorumTargets NAMESPACE votequorum:: DESTINATION ${VQ_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(cmake/votequorumConfig.cmake.in votequorumConfig.cmake INSTALL_DESTINATION ${VQ_CMAKE_DIR})
write_basic_package_version_file(votequorumConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/votequorumConfig.cmake ${PROJECT_BINARY_DIR}/votequorumConfigVersion.cmake
	DESTINATION ${VQ_CMAKE_DIR} COMPONENT dev)

# Man pages, compressed as Debian ships them.
file(GLOB VQ_MAN_PAGES ${PROJECT_SOURCE_DIR}/man/*.3 ${PROJECT_SOURCE_DIR}/man/*.8)
set(VQ_MAN_GZ)
foreach(page ${VQ_MAN_PAGES})
	get_filename_component(name ${page} NAME)
	set(out ${PROJECT_BINARY_DIR}/man/${name}.gz)
	add_custom_command(OUTPUT ${out}
		COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
		COMMAND sh -c "gzip -9n -c \"$1\" > \"$2\"" gzip ${page} ${out}
		DEPENDS ${page} VERBATIM)
	list(APPEND VQ_MAN_GZ ${out})
endforeach()
add_custom_target(man_pages ALL DEPENDS ${VQ_MAN_GZ})
foreach(gz ${VQ_MAN_GZ})
	if(gz MATCHES "\\.8\\.gz$")
		if(TARGET votequorum-monitor)
			install(FILES ${gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man8 COMPONENT tools)
		endif()
	else()
		install(FILES ${gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man3 COMPONENT dev)
	endif()
endforeach()
