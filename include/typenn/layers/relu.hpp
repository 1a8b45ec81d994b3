#pragma once
// ReLU: max(0, x); its derivative at 0 is 0, as in PyTorch.
#include <string>

#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct ReLU : Pointwise<ReLU> {
    static std::string name() { return "ReLU"; }
    template <class T> static T value(T x) { return x > T(0) ? x : T(0); }
    template <class T> static T derivative(T, T y) { return y > T(0) ? T(1) : T(0); }
};

}  // namespace typenn
