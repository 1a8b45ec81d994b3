// SPDX-License-Identifier: BSL-1.0
#pragma once
// ELU<alpha>: x for x > 0, alpha·(eˣ − 1) otherwise (PyTorch's default alpha 1).
#include <string>

#include "typenn/detail/where.hpp"
#include "typenn/kernels/simd/elementary_functions.hpp"
#include "typenn/layers/pointwise.hpp"
#include "typenn/naming.hpp"

namespace typenn {

template <float Alpha = 1.0f>
struct ELU : Pointwise<ELU<Alpha>> {
    static_assert(Alpha > 0, "typenn: ELU<alpha> needs alpha > 0 (its derivative is read from its "
                             "output)");
    static constexpr float alpha = Alpha;
    static std::string name() { return naming::templated("ELU", Alpha); }
    template <class V> static V value(V x) {
        return detail::where(x > V(0), x, V(Alpha) * kernels::simd::expm1(x));
    }
    // alpha·eˣ = y + alpha below zero: no second exponential.
    template <class V> static V derivative(V y) { return detail::where(y > V(0), V(1), y + V(Alpha)); }
};

}  // namespace typenn
