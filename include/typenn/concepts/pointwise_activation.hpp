// SPDX-License-Identifier: BSL-1.0
#pragma once
// PointwiseActivation: what a parameter-free activation states to Pointwise<A>
// (layers/pointwise.hpp), which makes a whole layer of it. V is a scalar or an xsimd batch;
// the batch form must give each lane the scalar form's bits (a fused stage computes in
// batches what the layer alone may compute in scalars).
#include <xsimd/xsimd.hpp>

#include "typenn/concepts/layer.hpp"

namespace typenn {

namespace requirement {
// value(x): the activation, of a float, a double and a batch of floats.
template <class A>
concept value = requires(float f, double d, xsimd::batch<float> b) {
    { A::value(f) } -> std::same_as<float>;
    { A::value(d) } -> std::same_as<double>;
    { A::value(b) } -> std::same_as<xsimd::batch<float>>;
};
// derivative(at): dy/dx, given the input or the output, as backward_reads says; of the same.
template <class A>
concept derivative = requires(float f, double d, xsimd::batch<float> b) {
    { A::derivative(f) } -> std::same_as<float>;
    { A::derivative(d) } -> std::same_as<double>;
    { A::derivative(b) } -> std::same_as<xsimd::batch<float>>;
};
}  // namespace requirement

template <class A>
concept PointwiseActivation = requirement::name<A> && requirement::value<A> &&
                              requirement::derivative<A>;

}  // namespace typenn
