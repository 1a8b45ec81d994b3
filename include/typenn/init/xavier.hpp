// SPDX-License-Identifier: BSL-1.0
#pragma once
// Glorot initialisation, torch.nn.init.xavier_normal_ / xavier_uniform_ applied to every
// Linear weight matrix: std = gain·√(2/(fan_in + fan_out)); the uniform variant draws from
// U(−√3·std, √3·std). Pass .gain = calculate_gain(...) for the nonlinearity that follows.
#include <cmath>
#include <cstddef>
#include <random>

#include "typenn/concepts/model.hpp"
#include "typenn/init/linear_layers.hpp"
#include "typenn/random.hpp"

namespace typenn::init {

struct XavierOptions {
    double gain = 1;
    BiasInit bias = default_bias;
};

namespace detail {
inline double xavier_std(const XavierOptions& o, std::size_t fan_in, std::size_t fan_out) {
    return o.gain * std::sqrt(2.0 / double(fan_in + fan_out));
}
}  // namespace detail

template <AnyModel M, std::uniform_random_bit_generator Rng>
void xavier_normal(M& model, Rng& rng, XavierOptions options = {}) {
    using T = typename M::scalar;
    detail::redraw_linear_layers(model, rng, options.bias,
                                 [&](T* w, std::size_t count, std::size_t in, std::size_t out) {
                                     const T stddev = T(detail::xavier_std(options, in, out));
                                     random::fill_normal(w, count, T(0), stddev, rng);
                                 });
}

template <AnyModel M, std::uniform_random_bit_generator Rng>
void xavier_uniform(M& model, Rng& rng, XavierOptions options = {}) {
    using T = typename M::scalar;
    detail::redraw_linear_layers(
        model, rng, options.bias, [&](T* w, std::size_t count, std::size_t in, std::size_t out) {
            const T bound = T(std::sqrt(3.0) * detail::xavier_std(options, in, out));
            random::fill_uniform(w, count, -bound, bound, rng);
        });
}

}  // namespace typenn::init
