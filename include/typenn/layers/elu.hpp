#pragma once
// ELU<alpha>: x for x > 0, alpha·(eˣ − 1) otherwise (PyTorch's default alpha 1).
#include <cmath>
#include <string>

#include "typenn/layers/pointwise.hpp"
#include "typenn/naming.hpp"

namespace typenn {

template <float Alpha = 1.0f>
struct ELU : Pointwise<ELU<Alpha>> {
    static constexpr float alpha = Alpha;
    static std::string name() { return naming::templated("ELU", Alpha); }
    template <class T> static T value(T x) { return x > T(0) ? x : T(Alpha) * std::expm1(x); }
    // alpha·eˣ = y + alpha below zero: no second exponential.
    template <class T> static T derivative(T x, T y) { return x > T(0) ? T(1) : y + T(Alpha); }
};

}  // namespace typenn
