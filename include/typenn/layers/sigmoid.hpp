#pragma once
// Sigmoid: 1 / (1 + e⁻ˣ); derivative y·(1 − y) from the saved output.
#include <cmath>
#include <string>

#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Sigmoid : Pointwise<Sigmoid> {
    static std::string name() { return "Sigmoid"; }
    template <class T> static T value(T x) { return T(1) / (T(1) + std::exp(-x)); }
    template <class T> static T derivative(T, T y) { return y * (T(1) - y); }
};

}  // namespace typenn
