// SPDX-License-Identifier: BSL-1.0
#pragma once
// What a layer contributes to a fused stage, which it declares in its own file as
// `using fusion = fusion::...;`. The planner (execution/plan.hpp) forms stages from these
// roles alone: a product, then a normalisation if one follows, then every elementwise layer
// that follows, run as one pass over the product's results. A layer that declares none runs
// as a stage of its own.
#include <type_traits>

namespace typenn::fusion {

// Runs alone.
struct none {};

// Starts a stage: a matrix product whose results the stage's other layers take in registers
// before they are stored (Linear). Its state has weight, weight_grad and, where has_bias,
// bias and bias_grad; keeps_transposed<T> says whether it also keeps weight_t.
struct product {};

// Right after a product: at inference an affine map per column (forward_element); in
// training batch statistics, so it runs its own forward_train once the product is done, and
// its backward in two parts, sums gathered value by value (add_gradient_sums) and a pass that
// makes its input gradient (input_gradient) (BatchNorm).
struct normalisation {};

// After a product or a normalisation: a function of each value and its column, forward and
// backward (forward_element, backward_element), that reads either its input or its output
// in backward (backward_reads) (activations, layers/elementwise.hpp).
struct elementwise {};

namespace detail {
template <class L>
struct role_of {
    using type = none;
};
template <class L>
    requires requires { typename L::fusion; }
struct role_of<L> {
    using type = typename L::fusion;
};
}  // namespace detail

template <class L>
using role_of = typename detail::role_of<L>::type;

template <class L, class Role>
inline constexpr bool has_role = std::is_same_v<role_of<L>, Role>;

}  // namespace typenn::fusion
