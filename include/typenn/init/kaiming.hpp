// SPDX-License-Identifier: BSL-1.0
#pragma once
// He initialisation, torch.nn.init.kaiming_normal_ / kaiming_uniform_ applied to every Linear
// weight matrix: std = gain / √fan with gain = calculate_gain(nonlinearity, a) and fan the
// layer's fan_in or fan_out; the uniform variant draws from U(−√3·std, √3·std).
// Defaults as PyTorch's: a = 0, mode fan_in, nonlinearity leaky_relu (so gain √2).
#include <cmath>
#include <cstddef>
#include <random>

#include "typenn/concepts/model.hpp"
#include "typenn/init/gain.hpp"
#include "typenn/init/linear_layers.hpp"
#include "typenn/random.hpp"

namespace typenn::init {

enum class FanMode { fan_in, fan_out };
inline constexpr FanMode fan_in = FanMode::fan_in;    // keeps the forward pass's variance
inline constexpr FanMode fan_out = FanMode::fan_out;  // keeps the backward pass's variance

struct KaimingOptions {
    double a = 0;  // the negative slope of the leaky_relu that follows
    FanMode mode = fan_in;
    Nonlinearity nonlinearity = leaky_relu;
    BiasInit bias = default_bias;
};

namespace detail {
inline double kaiming_std(const KaimingOptions& o, std::size_t fan_in, std::size_t fan_out) {
    const double fan = double(o.mode == FanMode::fan_in ? fan_in : fan_out);
    return calculate_gain(o.nonlinearity, o.a) / std::sqrt(fan);
}
}  // namespace detail

template <AnyModel M, std::uniform_random_bit_generator Rng>
void kaiming_normal(M& model, Rng& rng, KaimingOptions options = {}) {
    using T = typename M::scalar;
    detail::redraw_linear_layers(model, rng, options.bias,
                                 [&](T* w, std::size_t count, std::size_t in, std::size_t out) {
                                     const T stddev = T(detail::kaiming_std(options, in, out));
                                     random::fill_normal(w, count, T(0), stddev, rng);
                                 });
}

template <AnyModel M, std::uniform_random_bit_generator Rng>
void kaiming_uniform(M& model, Rng& rng, KaimingOptions options = {}) {
    using T = typename M::scalar;
    detail::redraw_linear_layers(
        model, rng, options.bias, [&](T* w, std::size_t count, std::size_t in, std::size_t out) {
            const T bound = T(std::sqrt(3.0) * detail::kaiming_std(options, in, out));
            random::fill_uniform(w, count, -bound, bound, rng);
        });
}

}  // namespace typenn::init
