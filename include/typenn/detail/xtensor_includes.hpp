// SPDX-License-Identifier: BSL-1.0
#pragma once
// The xtensor headers typenn's own headers use. xtensor 0.26 moved every header into a
// subdirectory (xtensor/xfixed.hpp became xtensor/containers/xfixed.hpp) and kept no
// forwarding headers, so typenn looks for the new layout and falls back to the old one
// (0.24, 0.25) here, once, instead of in each header.
#if __has_include(<xtensor/containers/xfixed.hpp>)
#include <xtensor/containers/xfixed.hpp>
#include <xtensor/containers/xtensor.hpp>
#include <xtensor/core/xexpression.hpp>
#include <xtensor/utils/xutils.hpp>
#else
#include <xtensor/xexpression.hpp>
#include <xtensor/xfixed.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xutils.hpp>
#endif
