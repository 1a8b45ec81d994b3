#pragma once
// Tanh; derivative 1 − y² from the saved output.
#include <cmath>
#include <string>

#include "typenn/detail/where.hpp"
#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Tanh : Pointwise<Tanh> {
    static std::string name() { return "Tanh"; }
    template <class V> static V value(V x) {
        using std::tanh;
        return tanh(x);
    }
    template <class V> static V derivative(V y) { return V(1) - y * y; }
};

}  // namespace typenn
