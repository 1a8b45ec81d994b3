// SPDX-License-Identifier: BSL-1.0
#pragma once
// LeakyReLU<slope>: x for x > 0, slope·x otherwise (PyTorch's default slope 0.01).
#include <string>

#include "typenn/detail/where.hpp"
#include "typenn/layers/pointwise.hpp"
#include "typenn/naming.hpp"

namespace typenn {

template <float Slope = 0.01f>
struct LeakyReLU : Pointwise<LeakyReLU<Slope>> {
    static_assert(Slope >= 0, "typenn: LeakyReLU<slope> needs slope >= 0 (its derivative is read "
                              "from the sign of its output, as PyTorch's in-place variant does)");
    static constexpr float negative_slope = Slope;
    static std::string name() { return naming::templated("LeakyReLU", Slope); }
    template <class V> static V value(V x) { return detail::where(x > V(0), x, x * V(Slope)); }
    template <class V> static V derivative(V y) {
        return detail::where(y > V(0), V(1), V(Slope));
    }
};

}  // namespace typenn
