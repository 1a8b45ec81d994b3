// SPDX-License-Identifier: BSL-1.0
#pragma once
// Combinator: a layer made of layers (Seq, Residual). Besides a layer's shape it has a state
// and a tape holding its parts', visit and reset_parameters as a layer with parameters has
// (concepts/layer_with_parameters.hpp), and forward, forward_train and backward that take the
// execution policy after the sizes, to run their parts under it. Only its shape and its kind
// are checked here: its other members exist once its parts' do, which it checks itself.
#include "typenn/concepts/layer.hpp"

namespace typenn {

namespace requirement {
// is_combinator: true; what tells a combinator from a layer.
template <class L>
concept is_combinator = requires {
    requires bool(L::is_combinator);
};
}  // namespace requirement

template <class L>
concept Combinator = Layer<L> && requirement::is_combinator<L>;

}  // namespace typenn
