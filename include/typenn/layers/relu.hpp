// SPDX-License-Identifier: BSL-1.0
#pragma once
// ReLU: max(0, x); its derivative at 0 is 0, as in PyTorch.
#include <string>

#include "typenn/detail/where.hpp"
#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct ReLU : Pointwise<ReLU> {
    static std::string name() { return "ReLU"; }
    template <class V> static V value(V x) { return detail::where(x > V(0), x, V(0)); }
    template <class V> static V derivative(V y) { return detail::where(y > V(0), V(1), V(0)); }
};

}  // namespace typenn
