// SPDX-License-Identifier: BSL-1.0
#pragma once
// What the numerical edge-case tests share: their fixtures, tests/fixtures/numerics/*.safetensors
// (tools/make_numerics_fixtures.py), read with the training tests' reader and compared with
// its require_close; every tensor there exists as float32 (".f32") and float64 (".f64").
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include "training_fixtures.hpp"

namespace typenn::numerics_test {

using training_test::Fixture;
using training_test::require_close;
using training_test::Tolerance;

inline Fixture fixture(std::string_view name) {
    // The reader resolves names under tests/fixtures/training.
    return Fixture("../numerics/" + std::string(name));
}

// The key of a fixture tensor computed in T's precision.
template <class T>
std::string key(std::string_view name) {
    return std::string(name) + (std::is_same_v<T, float> ? ".f32" : ".f64");
}

// PyTorch and typenn order their sums differently; the absolute term covers values that
// cancel to (nearly) zero, where only rounding noise is left.
template <class T>
inline constexpr Tolerance tolerance = std::is_same_v<T, float> ? Tolerance{1e-4, 1e-5}
                                                                  : Tolerance{1e-9, 1e-12};

template <class Range>
bool all_finite(const Range& values) {
    return std::all_of(std::begin(values), std::end(values),
                       [](auto v) { return std::isfinite(v); });
}

}  // namespace typenn::numerics_test
