#pragma once
// Tanh; derivative 1 − y² from the saved output.
#include <cmath>
#include <string>

#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Tanh : Pointwise<Tanh> {
    static std::string name() { return "Tanh"; }
    template <class T> static T value(T x) { return std::tanh(x); }
    template <class T> static T derivative(T, T y) { return T(1) - y * y; }
};

}  // namespace typenn
