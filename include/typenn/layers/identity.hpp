// SPDX-License-Identifier: BSL-1.0
#pragma once
// Identity: passes its input through; also the shortcut of Residual<Body>.
#include <string>

#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Identity : Pointwise<Identity> {
    static std::string name() { return "Identity"; }
    template <class V> static V value(V x) { return x; }
    template <class V> static V derivative(V) { return V(1); }
};

}  // namespace typenn
