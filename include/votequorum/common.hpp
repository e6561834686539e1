// Kept for programs written against the first C++ API, which had what every
// client shares here, in namespace votequorum. It now lives in
// <corosync/client.hpp>, in namespace corosync; these names still work.
#pragma once

#include <corosync/client.hpp>

#define VOTEQUORUM_CPP_API COROSYNC_CPP_API

namespace votequorum {
using corosync::error_category;
using corosync::Options;
using corosync::Result;
}  // namespace votequorum
