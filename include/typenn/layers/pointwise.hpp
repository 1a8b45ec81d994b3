#pragma once
// What every parameter-free elementwise activation shares: it takes any width, keeps it, and
// needs only its output for backward, so that a fused stage never stores the pre-activation.
// An activation states its function and its derivative, once, for scalars and SIMD batches:
//   template <class V> static V value(V x);
//   template <class V> static V derivative(V y);   // dy/dx expressed through y = value(x)
// and whether its batch form gives the scalar form's bits (exact_in_batches: comparisons,
// selections and products do; xsimd's exp and tanh do not round as std::'s).
#include <cstddef>
#include <type_traits>

#include "typenn/kernels/reference.hpp"
#include "typenn/key_path.hpp"
#include "typenn/width.hpp"

namespace typenn {

template <class Activation>
struct Pointwise {
    static constexpr std::size_t in_features = any_width;
    static constexpr std::size_t out_features = any_width;
    static constexpr bool valid = true;

    template <std::size_t W, class T>
    struct state {
        template <class Self, class F>
        static constexpr void visit(Self&, const KeyPath&, F&) {}
    };

    template <std::size_t W, class T, std::size_t B>
    struct tape {};

    static constexpr bool exact_in_batches = false;

    // The activation of a value or of a batch of them, bit for bit what value() gives each
    // element alone: a fused stage's epilogue and the layer run on its own must agree
    // (execution::Checked trains bit-identically to Fused).
    template <class V>
    static V apply(V x) {
        if constexpr (std::is_arithmetic_v<V> || Activation::exact_in_batches) {
            return Activation::value(x);
        } else {
            typename V::value_type lanes[V::size];
            x.store_unaligned(lanes);
            for (auto& lane : lanes) lane = Activation::value(lane);
            return V::load_unaligned(lanes);
        }
    }

    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>&, Rng&) {}

    template <std::size_t W, std::size_t B, class T>
    static void forward(const state<W, T>&, const T* x, T* y) {
        kernels::reference::map(x, y, B * W, [](T v) { return Activation::value(v); });
    }

    template <std::size_t W, class T, std::size_t B>
    static void forward_train(state<W, T>&, tape<W, T, B>&, const T* x, T* y,
                              std::size_t rows) {
        kernels::reference::map(x, y, rows * W, [](T v) { return Activation::value(v); });
    }

    template <std::size_t W, class T, std::size_t B>
    static void backward(state<W, T>&, tape<W, T, B>&, const T*, const T* y, const T* dy, T* dx,
                         std::size_t rows) {
        if (!dx) return;
        kernels::reference::map_backward(y, dy, dx, rows * W,
                                         [](T v) { return Activation::derivative(v); });
    }
};

}  // namespace typenn
