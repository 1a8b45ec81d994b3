// SPDX-License-Identifier: BSL-1.0
#pragma once
// Normalisation: a layer that a fused stage takes right after a product
// (fusion::normalisation, BatchNorm): at inference an affine map per column, in training its
// own forward_train over the whole batch, and its backward in parts that the stage runs as
// the gradient passes by (layers/batchnorm.hpp shows them).
#include <cstddef>

#include "typenn/concepts/elementwise_layer.hpp"
#include "typenn/concepts/layer_with_parameters.hpp"

namespace typenn {

namespace requirement {
// forward_element(state, x, column): inference's map of one value.
template <class L>
concept inference_element = requires(const probe_state<L>& s, float x, std::size_t column) {
    { L::forward_element(s, x, column) } -> std::same_as<float>;
};
// begin_gradient_sums(tape) and add_gradient_sums(tape, dy, x, column): the sums over the
// batch that backward needs, gathered one value at a time.
template <class L>
concept gradient_sums = requires(probe_tape<L>& t, float dy, float x, std::size_t column) {
    L::begin_gradient_sums(t);
    L::add_gradient_sums(t, dy, x, column);
};
// gradient_coefficients(state, tape, rows), once the sums are complete: the parameters'
// gradients, and what input_gradient(tape, coefficients, dy, x, column) takes.
template <class L>
concept input_gradient = requires(probe_state<L>& s, probe_tape<L>& t, float dy, float x,
                                  std::size_t rows, std::size_t column) {
    { L::input_gradient(t, L::gradient_coefficients(s, t, rows), dy, x, column) }
        -> std::same_as<float>;
};
}  // namespace requirement

template <class L>
concept Normalisation = LayerWithParameters<L> && requirement::keeps_width<L> &&
                        requirement::inference_element<L> &&
                        requirement::gradient_sums<L> && requirement::input_gradient<L>;

}  // namespace typenn
