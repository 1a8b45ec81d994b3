// SPDX-License-Identifier: BSL-1.0
#pragma once
// Layer: what every layer states about its shape, whatever its kind. The kinds, each in a
// header of its own, add what the layer must do: layer_with_parameters.hpp,
// pointwise_activation.hpp, elementwise_layer.hpp, normalisation.hpp, combinator.hpp.
// Each requirement is a concept of its own (namespace requirement), so that
// diagnostic/layer_contract.hpp can name the first one a layer misses.
#include <concepts>
#include <cstddef>
#include <string>

namespace typenn {

namespace requirement {
// The width it takes, or any_width where it takes the width it receives.
template <class L>
concept in_features = requires {
    { L::in_features } -> std::convertible_to<std::size_t>;
};
// The width it gives, or any_width where it gives the width it receives.
template <class L>
concept out_features = requires {
    { L::out_features } -> std::convertible_to<std::size_t>;
};
// Whether its shape rules hold (false once a typenn: diagnostic has been printed).
template <class L>
concept valid = requires {
    { L::valid } -> std::convertible_to<bool>;
};
// How describe(), diagnostics and errors print it, e.g. "Linear<10, 20>".
template <class L>
concept name = requires {
    { L::name() } -> std::convertible_to<std::string>;
};
}  // namespace requirement

template <class L>
concept Layer = requirement::in_features<L> && requirement::out_features<L> &&
                requirement::valid<L> && requirement::name<L>;

}  // namespace typenn
