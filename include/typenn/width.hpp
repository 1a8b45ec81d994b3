// SPDX-License-Identifier: BSL-1.0
#pragma once
// How widths flow through layers. Layers that work on any width (activations, PReLU<>) say
// so with any_width, and then take the width they receive.
#include <cstddef>

namespace typenn {

inline constexpr std::size_t any_width = 0;

template <class Layer>
constexpr std::size_t output_width(std::size_t received) {
    return Layer::out_features == any_width ? received : Layer::out_features;
}

constexpr bool widths_agree(std::size_t a, std::size_t b) {
    return a == any_width || b == any_width || a == b;
}

}  // namespace typenn
