// SPDX-License-Identifier: BSL-1.0
#pragma once
// PReLU<N>: x for x > 0, a·x otherwise, with a learnt slope per column (N > 1) or one slope
// shared by all columns (N = 1, PyTorch's default). Slopes start at 0.25.
// Shape rule: PReLU<1> takes any width; PReLU<N> takes exactly N columns.
#include <cstddef>
#include <string>

#include "typenn/array.hpp"
#include "typenn/diagnostic/shape_errors.hpp"
#include "typenn/key_path.hpp"
#include "typenn/naming.hpp"
#include "typenn/tensor.hpp"
#include "typenn/width.hpp"

namespace typenn {

template <std::size_t N = 1>
struct PReLU {
    static_assert(N > 0, "typenn: PReLU<N> needs N >= 1");

    static constexpr std::size_t in_features = N == 1 ? any_width : N;
    static constexpr std::size_t out_features = in_features;
    static constexpr bool valid = true;

    static std::string name() { return N == 1 ? "PReLU<>" : naming::templated("PReLU", N); }

    template <std::size_t W, class T>
    struct state {
        Array<T, N> weight, weight_grad;

        template <class Self, class F>
        static constexpr void visit(Self& self, const KeyPath& at, F& f) {
            f(at / "weight", Parameter{self.weight, self.weight_grad});
        }
    };

    template <std::size_t W, class T, std::size_t B>
    struct tape {};

    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>& s, Rng&) {
        s.weight.fill(T(0.25));
    }

    template <std::size_t W, std::size_t B, class T>
    static void forward(const state<W, T>& s, const T* x, T* y) {
        apply<W>(s, x, y, B);
    }

    template <std::size_t W, class T, std::size_t B>
    static void forward_train(state<W, T>& s, tape<W, T, B>&, const T* x, T* y,
                              std::size_t rows) {
        apply<W>(s, x, y, rows);
    }

    template <std::size_t W, class T, std::size_t B>
    static void backward(state<W, T>& s, tape<W, T, B>&, const T* x, const T*, const T* dy,
                         T* dx, std::size_t rows) {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < W; ++c) {
                const std::size_t k = r * W + c;
                const T slope = s.weight[slope_index(c)];
                if (x[k] > T(0)) {
                    if (dx) dx[k] = dy[k];
                } else {
                    s.weight_grad[slope_index(c)] += x[k] * dy[k];
                    if (dx) dx[k] = slope * dy[k];
                }
            }
    }

private:
    static constexpr std::size_t slope_index(std::size_t column) { return N == 1 ? 0 : column; }

    template <std::size_t W, class T>
    static void apply(const state<W, T>& s, const T* x, T* y, std::size_t rows) {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < W; ++c) {
                const std::size_t k = r * W + c;
                y[k] = x[k] > T(0) ? x[k] : s.weight[slope_index(c)] * x[k];
            }
    }
};

namespace diagnostic {
template <std::size_t N, class Position, class Receives>
struct input_width_mismatch<PReLU<N>, Position, takes_width<N>, Receives> {
    static_assert(N == Receives::value,
                  "typenn: PReLU<N> receives a width other than N from the layer before it; "
                  "PReLU<> shares one slope across any width (position_in_seq and the widths "
                  "are in the instantiation above)");
    static constexpr bool reported = true;
};
}  // namespace diagnostic

}  // namespace typenn
