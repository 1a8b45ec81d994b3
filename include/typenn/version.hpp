// SPDX-License-Identifier: BSL-1.0
#pragma once
// typenn's version, which CMakeLists.txt's project() also states; tests/version_test.cpp
// fails the build if the two differ.
#define TYPENN_VERSION_MAJOR 0
#define TYPENN_VERSION_MINOR 1
#define TYPENN_VERSION_PATCH 0
// One number that compares as the version does: 0.1.0 is 100, 1.2.3 is 10203.
#define TYPENN_VERSION \
    (TYPENN_VERSION_MAJOR * 10000 + TYPENN_VERSION_MINOR * 100 + TYPENN_VERSION_PATCH)
#define TYPENN_VERSION_STRING "0.1.0"
