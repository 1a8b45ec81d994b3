// SPDX-License-Identifier: BSL-1.0
#pragma once
// Which tensors the initialisers redraw: the weight matrices that Linear layers declare as
// such (parameter_role::weight_matrix, with PyTorch's fan_in and fan_out), and their biases,
// decided at compile time by the role each layer gives its parameters. BatchNorm, PReLU and
// any other parameter keep the values their layers gave them.
#include <cmath>
#include <cstddef>
#include <type_traits>

#include "typenn/concepts/model.hpp"
#include "typenn/key_path.hpp"
#include "typenn/model.hpp"
#include "typenn/random.hpp"

namespace typenn::init {

// A layer's bias after an initialiser redraws its weights.
enum class BiasInit {
    pytorch_default,  // U(−1/√fan_in, 1/√fan_in), as nn.Linear.reset_parameters draws it
    zero,
};
inline constexpr BiasInit default_bias = BiasInit::pytorch_default;
inline constexpr BiasInit zero_bias = BiasInit::zero;

namespace detail {
template <class Role>
inline constexpr bool is_weight_matrix = false;
template <std::size_t FanIn, std::size_t FanOut>
inline constexpr bool is_weight_matrix<parameter_role::weight_matrix<FanIn, FanOut>> = true;

template <class Role>
inline constexpr bool is_matrix_bias = false;
template <std::size_t FanIn>
inline constexpr bool is_matrix_bias<parameter_role::matrix_bias<FanIn>> = true;
}  // namespace detail

// The visited entries (Parameter{value, grad}) that initialisers redraw.
template <class Entry>
concept WeightMatrix = requires { typename Entry::role; } &&
                       detail::is_weight_matrix<typename Entry::role>;
template <class Entry>
concept MatrixBias = requires { typename Entry::role; } &&
                     detail::is_matrix_bias<typename Entry::role>;

namespace detail {
// draw_weight(values, count, fan_in, fan_out) fills one weight matrix; biases follow `bias`.
// Everything is drawn from rng in state_dict order, so the same seed gives the same model.
template <AnyModel M, class Rng, class DrawWeight>
void redraw_linear_layers(M& model, Rng& rng, BiasInit bias, DrawWeight&& draw_weight) {
    using T = typename M::scalar;
    model.visit([&](const KeyPath&, auto entry) {
        using Entry = decltype(entry);
        if constexpr (WeightMatrix<Entry>) {
            draw_weight(entry.value.data(), entry.value.size(), Entry::role::fan_in,
                        Entry::role::fan_out);
        } else if constexpr (MatrixBias<Entry>) {
            if (bias == BiasInit::zero) {
                entry.value.fill(T(0));
            } else {
                const T bound = T(1) / std::sqrt(T(Entry::role::fan_in));
                random::fill_uniform(entry.value.data(), entry.value.size(), -bound, bound, rng);
            }
        }
    });
}
}  // namespace detail

}  // namespace typenn::init
