// SPDX-License-Identifier: BSL-1.0
// The version the headers state is the one CMake's project() states (TYPENN_PROJECT_VERSION,
// passed by tests/CMakeLists.txt): compiling this file is the test.
#include <string_view>

#include <typenn/version.hpp>

#define TYPENN_STRINGIFY(x) #x
#define TYPENN_JOIN_VERSION(major, minor, patch) \
    TYPENN_STRINGIFY(major) "." TYPENN_STRINGIFY(minor) "." TYPENN_STRINGIFY(patch)

static_assert(std::string_view(TYPENN_VERSION_STRING) == TYPENN_PROJECT_VERSION,
              "typenn/version.hpp and project(typenn VERSION ...) in CMakeLists.txt differ");
static_assert(std::string_view(TYPENN_JOIN_VERSION(TYPENN_VERSION_MAJOR, TYPENN_VERSION_MINOR,
                                                   TYPENN_VERSION_PATCH)) ==
                  TYPENN_VERSION_STRING,
              "TYPENN_VERSION_STRING differs from TYPENN_VERSION_MAJOR.MINOR.PATCH");
static_assert(TYPENN_VERSION_MINOR < 100 && TYPENN_VERSION_PATCH < 100,
              "TYPENN_VERSION packs MINOR and PATCH in two decimal digits each");
