// SPDX-License-Identifier: BSL-1.0
#pragma once
// Tape<Net, B, T>: what a training forward pass at batch B leaves for backward — the input,
// every intermediate activation, per-layer statistics — owned by the caller, so that a model
// can be trained without any allocation and several tapes can share one model.
#include <cstddef>
#include <type_traits>

#include "typenn/concepts/scalar.hpp"
#include "typenn/detail/dead_end.hpp"
#include "typenn/diagnostic/layer_contract.hpp"
#include "typenn/diagnostic/shape_errors.hpp"
#include "typenn/tensor.hpp"
#include "typenn/width.hpp"

namespace typenn {

namespace detail {
// A network can back a model when it meets the layer protocol, its shape rules hold and its
// input width is fixed.
template <class Net>
constexpr bool runnable() {
    if constexpr (!checked_shape<Net>::valid) {
        return false;
    } else {
        static_assert(Net::in_features != any_width,
                      "typenn: Model<Net> needs a network with a fixed input width, but every "
                      "layer of Net takes any width; start it with a Linear, a BatchNorm or a "
                      "PReLU<N>");
        return Net::in_features != any_width;
    }
}

template <class Net, class T, std::size_t B, bool Runnable = runnable<Net>()>
struct tape_of {
    using type = DeadEnd;
};
template <class Net, class T, std::size_t B>
struct tape_of<Net, T, B, true> {
    using type = typename Net::template tape<Net::in_features, T, B>;
};
}  // namespace detail

// Training on the first `count` rows of a batch only (a final partial batch):
// model.forward(x, tape, Rows{count}); BatchNorm then uses the statistics of those rows.
struct Rows {
    std::size_t count;
};

template <class Net, std::size_t B, Scalar T = float>
struct Tape {
    static_assert(B >= 1, "typenn: Tape<Net, B> needs a batch size B >= 1");
    static constexpr std::size_t batch = B;

    BasicTensor<T, B, checked_shape<Net>::in_features> input;
    BasicTensor<T, B, checked_shape<Net>::out_features> output;
    std::size_t rows = 0;  // rows of the last training forward; 0 before the first one
    typename detail::tape_of<Net, T, B>::type layers;
};

}  // namespace typenn
