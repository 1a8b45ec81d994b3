// SPDX-License-Identifier: BSL-1.0
#pragma once
// Elementwise<Layer>: the passes of a layer that maps each value on its own, given its
// column, written once from the layer's own element functions:
//   template <class V, class State> static V forward_element(const State&, V x, size_t column);
//   template <class V, class State> static V backward_element(State&, V dy, V saved,
//                                                            size_t column);
//   static constexpr Reads backward_reads;   // what `saved` is: the input or the output
// V is a scalar or an xsimd batch of consecutive columns. backward_element returns dL/dx and
// adds to the parameters' gradients. A fused stage applies the same functions to each result
// of its product before it stores it, and keeps on the tape only the value backward_reads
// names, so that the layer run alone (the Checked and Reference policies) and fused give the
// same bits.
#include <cstddef>
#include <type_traits>

#include "typenn/fusion.hpp"
#include "typenn/kernels/simd/load_store.hpp"
// What the element functions of a layer written on Elementwise divide and multiply-add with,
// so that their batch forms give their scalar forms' bits.
#include "typenn/kernels/simd/divide.hpp"
#include "typenn/kernels/simd/multiply_add.hpp"

namespace typenn {

enum class Reads { input, output };

template <class Layer>
struct Elementwise {
    using fusion = fusion::elementwise;

    template <std::size_t W, class T, std::size_t B>
    struct tape {};

    template <std::size_t W, std::size_t B, class T, class State>
    static void forward(const State& s, const T* x, T* y) {
        forward_rows<W>(s, x, y, B);
    }

    template <std::size_t W, class T, class State, class Tape>
    static void forward_train(State& s, Tape&, const T* x, T* y, std::size_t rows) {
        forward_rows<W>(s, x, y, rows);
    }

    // Without dx, it runs for the parameters' gradients only.
    template <std::size_t W, class T, class State, class Tape>
    static void backward(State& s, Tape&, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t rows) {
        using kernels::simd::load_as, kernels::simd::store_at;
        if constexpr (std::is_empty_v<State>)
            if (!dx) return;
        const T* saved = Layer::backward_reads == Reads::input ? x : y;
        for (std::size_t r = 0; r < rows; ++r)
            kernels::simd::for_each_batch<T>(W, [&](auto as, std::size_t c) {
                using V = typename decltype(as)::type;
                const std::size_t at = r * W + c;
                const V d = Layer::backward_element(s, load_as<V>(dy + at), load_as<V>(saved + at), c);
                if (dx) store_at(dx + at, d);
            });
    }

private:
    template <std::size_t W, class T, class State>
    static void forward_rows(const State& s, const T* x, T* y, std::size_t rows) {
        using kernels::simd::load_as, kernels::simd::store_at;
        for (std::size_t r = 0; r < rows; ++r)
            kernels::simd::for_each_batch<T>(W, [&](auto as, std::size_t c) {
                using V = typename decltype(as)::type;
                store_at(y + r * W + c, Layer::forward_element(s, load_as<V>(x + r * W + c), c));
            });
    }
};

}  // namespace typenn
