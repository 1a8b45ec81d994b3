#pragma once
// Identity: passes its input through; also the shortcut of Residual<Body>.
#include <string>

#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Identity : Pointwise<Identity> {
    static std::string name() { return "Identity"; }
    template <class T> static T value(T x) { return x; }
    template <class T> static T derivative(T, T) { return T(1); }
};

}  // namespace typenn
