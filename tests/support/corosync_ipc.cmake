# corosync's own IPC layouts for the fake server: include/corosync/
# ipc_votequorum.h, ipc_quorum.h and ipc_cmap.h, with the two headers they include
# (mar_gen.h, swab.h), taken from corosync's source tarball into the build
# tree. Only what links vqtest_corosync_ipc sees them (the fake server and
# the tests that build or read messages themselves), never the libraries:
# a layout our library gets wrong then cannot agree with itself.
#
# The tarball is the one tests/mainline/build.sh builds: $VQ_MAINLINE_TARBALL,
# by default ../shared/upstream/corosync-65235a81.tar.gz beside the source
# tree. Sets VQ_COROSYNC_IPC_TARBALL (the path looked at) and defines the
# target only when the tarball is there; the caller decides what a missing
# one means.
if(TARGET vqtest_corosync_ipc)
	return()
endif()
set(VQ_COROSYNC_IPC_TARBALL "$ENV{VQ_MAINLINE_TARBALL}")
if(NOT VQ_COROSYNC_IPC_TARBALL)
	set(VQ_COROSYNC_IPC_TARBALL "${PROJECT_SOURCE_DIR}/../shared/upstream/corosync-65235a81.tar.gz")
endif()
get_filename_component(VQ_COROSYNC_IPC_TARBALL "${VQ_COROSYNC_IPC_TARBALL}" ABSOLUTE)
if(NOT EXISTS "${VQ_COROSYNC_IPC_TARBALL}")
	return()
endif()

set(vq_ipc_dir "${CMAKE_BINARY_DIR}/corosync-ipc")
set(vq_ipc_headers ipc_votequorum.h ipc_quorum.h ipc_cmap.h mar_gen.h swab.h)
# Extracted again only when the tarball or the list changes (their sha256
# names the stamp), so a re-configure does not rebuild what includes them.
file(SHA256 "${VQ_COROSYNC_IPC_TARBALL}" vq_ipc_sha)
string(SHA256 vq_ipc_sha "${vq_ipc_sha} ${vq_ipc_headers}")
set(vq_ipc_stamp "${vq_ipc_dir}/from-${vq_ipc_sha}")
if(NOT EXISTS "${vq_ipc_stamp}")
	file(REMOVE_RECURSE "${vq_ipc_dir}")
	set(vq_ipc_patterns "")
	foreach(header IN LISTS vq_ipc_headers)
		list(APPEND vq_ipc_patterns "*/include/corosync/${header}")
	endforeach()
	file(ARCHIVE_EXTRACT INPUT "${VQ_COROSYNC_IPC_TARBALL}" DESTINATION "${vq_ipc_dir}/unpacked"
		PATTERNS ${vq_ipc_patterns})
	foreach(header IN LISTS vq_ipc_headers)
		file(GLOB found "${vq_ipc_dir}/unpacked/*/include/corosync/${header}")
		list(LENGTH found count)
		if(NOT count EQUAL 1)
			message(FATAL_ERROR "${VQ_COROSYNC_IPC_TARBALL} holds ${count} include/corosync/${header} (one expected): "
				"not corosync's source tree?")
		endif()
		file(COPY ${found} DESTINATION "${vq_ipc_dir}/include/corosync")
	endforeach()
	file(REMOVE_RECURSE "${vq_ipc_dir}/unpacked")
	file(TOUCH "${vq_ipc_stamp}")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${VQ_COROSYNC_IPC_TARBALL}")

# SYSTEM: corosync's headers are C, compiled here as C++ too; their warnings
# (unused parameters, signed comparisons) are not ours to fix.
add_library(vqtest_corosync_ipc INTERFACE)
target_include_directories(vqtest_corosync_ipc SYSTEM INTERFACE "${vq_ipc_dir}/include")
target_link_libraries(vqtest_corosync_ipc INTERFACE PkgConfig::LIBQB)
