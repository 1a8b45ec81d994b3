#pragma once
// Sigmoid: 1 / (1 + e⁻ˣ); derivative y·(1 − y) from the saved output.
#include <cmath>
#include <string>

#include "typenn/detail/where.hpp"
#include "typenn/layers/pointwise.hpp"

namespace typenn {

struct Sigmoid : Pointwise<Sigmoid> {
    static std::string name() { return "Sigmoid"; }
    template <class V> static V value(V x) {
        using std::exp;
        return V(1) / (V(1) + exp(-x));
    }
    template <class V> static V derivative(V y) { return y * (V(1) - y); }
};

}  // namespace typenn
