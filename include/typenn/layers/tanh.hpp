// SPDX-License-Identifier: BSL-1.0
#pragma once
// Tanh; derivative 1 − y² from the saved output.
#include <string>

#include "typenn/kernels/simd/elementary_functions.hpp"
#include "typenn/kernels/simd/multiply_add.hpp"
#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Tanh : Pointwise<Tanh> {
    static std::string name() { return "Tanh"; }
    template <class V> static V value(V x) { return kernels::simd::tanh(x); }
    template <class V> static V derivative(V y) { return kernels::simd::multiply_add(-y, y, V(1)); }
};

}  // namespace typenn
