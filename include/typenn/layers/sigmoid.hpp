// SPDX-License-Identifier: BSL-1.0
#pragma once
// Sigmoid: 1 / (1 + e⁻ˣ); derivative y·(1 − y) from the saved output.
#include <string>

#include "typenn/kernels/simd/elementary_functions.hpp"
#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Sigmoid : Pointwise<Sigmoid> {
    static std::string name() { return "Sigmoid"; }
    template <class V> static V value(V x) { return kernels::simd::sigmoid(x); }
    template <class V> static V derivative(V y) { return y * (V(1) - y); }
};

}  // namespace typenn
