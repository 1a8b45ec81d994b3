// SPDX-License-Identifier: BSL-1.0
#pragma once
// Pointwise<Activation>: what every parameter-free activation shares. It takes any width,
// keeps it, and is elementwise (layers/elementwise.hpp), so that it joins a fused stage after
// a product. An activation states its function and its derivative once, for scalars and SIMD
// batches alike:
//   template <class V> static V value(V x);
//   template <class V> static V derivative(V at);   // dy/dx, given the input or the output
//   static constexpr Reads backward_reads;           // which of them `at` is; the output unless
//                                                    // the activation says otherwise
// The batch form must give each lane the bits the scalar form gives, wherever it is inlined: a
// fused stage computes in batches what the layer alone may compute in scalars (the Checked
// policy trains bit for bit as Fused). Comparisons, selections, + − × do; multiply-adds go
// through kernels::simd::multiply_add and divisions through kernels::simd::divide, and
// kernels/simd's tanh, sigmoid, expm1 and exp follow the rule; std::'s and xsimd's own do not.
#include <cstddef>

#include "typenn/key_path.hpp"
#include "typenn/layers/elementwise.hpp"
#include "typenn/width.hpp"

namespace typenn {

template <class Activation>
struct Pointwise : Elementwise<Activation> {
    using activation = Activation;
    static constexpr std::size_t in_features = any_width;
    static constexpr std::size_t out_features = any_width;
    static constexpr bool valid = true;
    static constexpr Reads backward_reads = Reads::output;

    template <std::size_t W, class T>
    struct state {
        template <class Self, class F>
        static constexpr void visit(Self&, const KeyPath&, F&) {}
    };

    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>&, Rng&) {}

    template <class V, class State>
    static V forward_element(const State&, V x, std::size_t) {
        return Activation::value(x);
    }

    template <class V, class State>
    static V backward_element(const State&, V dy, V at, std::size_t) {
        return dy * Activation::derivative(at);
    }
};

}  // namespace typenn
