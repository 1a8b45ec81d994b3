#pragma once
// Identity: passes its input through; also the shortcut of Residual<Body>.
#include <string>

#include "typenn/detail/where.hpp"
#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Identity : Pointwise<Identity> {
    static constexpr bool exact_in_batches = true;
    static std::string name() { return "Identity"; }
    template <class V> static V value(V x) { return x; }
    template <class V> static V derivative(V) { return V(1); }
};

}  // namespace typenn
