// SPDX-License-Identifier: BSL-1.0
#pragma once
// ElementwiseLayer: a layer that maps each value on its own, given its column, and so joins a
// fused stage after a product (fusion::elementwise). Elementwise<L> (layers/elementwise.hpp)
// makes its passes from the members below; activations get them from Pointwise<A>.
#include <cstddef>

#include <xsimd/xsimd.hpp>

#include "typenn/concepts/layer_with_parameters.hpp"
#include "typenn/layers/elementwise.hpp"

namespace typenn {

namespace requirement {
// backward_reads: Reads::input or Reads::output, the value backward_element is given.
template <class L>
concept backward_reads = requires {
    { L::backward_reads } -> std::convertible_to<Reads>;
};
// forward_element(state, x, column): the output of one value, or of a batch of consecutive
// columns; in float and double.
template <class L>
concept forward_element = requires(const probe_state<L>& s, const probe_state<L, double>& sd,
                                   float f, double d, xsimd::batch<float> b, std::size_t column) {
    { L::forward_element(s, f, column) } -> std::same_as<float>;
    { L::forward_element(sd, d, column) } -> std::same_as<double>;
    { L::forward_element(s, b, column) } -> std::same_as<xsimd::batch<float>>;
};
// backward_element(state, dy, saved, column): dL/dx of one value, or of a batch of
// consecutive columns; adds to the parameters' gradients.
template <class L>
concept backward_element = requires(probe_state<L>& s, probe_state<L, double>& sd, float f,
                                    double d, xsimd::batch<float> b, std::size_t column) {
    { L::backward_element(s, f, f, column) } -> std::same_as<float>;
    { L::backward_element(sd, d, d, column) } -> std::same_as<double>;
    { L::backward_element(s, b, b, column) } -> std::same_as<xsimd::batch<float>>;
};
// in_features == out_features: it keeps the width, which a fused stage indexes by.
template <class L>
concept keeps_width = L::in_features == L::out_features;
}  // namespace requirement

template <class L>
concept ElementwiseLayer = LayerWithParameters<L> && requirement::keeps_width<L> &&
                           requirement::backward_reads<L> &&
                           requirement::forward_element<L> && requirement::backward_element<L>;

}  // namespace typenn
