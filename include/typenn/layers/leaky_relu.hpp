#pragma once
// LeakyReLU<slope>: x for x > 0, slope·x otherwise (PyTorch's default slope 0.01).
#include <string>

#include "typenn/layers/pointwise.hpp"
#include "typenn/naming.hpp"

namespace typenn {

template <float Slope = 0.01f>
struct LeakyReLU : Pointwise<LeakyReLU<Slope>> {
    static constexpr float negative_slope = Slope;
    static std::string name() { return naming::templated("LeakyReLU", Slope); }
    template <class T> static T value(T x) { return x > T(0) ? x : x * T(Slope); }
    template <class T> static T derivative(T x, T) { return x > T(0) ? T(1) : T(Slope); }
};

}  // namespace typenn
