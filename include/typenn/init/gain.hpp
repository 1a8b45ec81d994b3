// SPDX-License-Identifier: BSL-1.0
#pragma once
// init::calculate_gain: torch.nn.init.calculate_gain, the factor that keeps activations'
// variance steady through a nonlinearity: linear and sigmoid 1, tanh 5/3, relu √2,
// leaky_relu √(2/(1 + slope²)) (slope 0.01 unless given), selu 3/4.
#include <cmath>

namespace typenn::init {

enum class Nonlinearity { linear, sigmoid, tanh, relu, leaky_relu, selu };
inline constexpr Nonlinearity linear = Nonlinearity::linear;
inline constexpr Nonlinearity sigmoid = Nonlinearity::sigmoid;
inline constexpr Nonlinearity tanh = Nonlinearity::tanh;
inline constexpr Nonlinearity relu = Nonlinearity::relu;
inline constexpr Nonlinearity leaky_relu = Nonlinearity::leaky_relu;
inline constexpr Nonlinearity selu = Nonlinearity::selu;

// negative_slope matters for leaky_relu only.
inline double calculate_gain(Nonlinearity nonlinearity, double negative_slope = 0.01) {
    switch (nonlinearity) {
        case Nonlinearity::tanh: return 5.0 / 3;
        case Nonlinearity::relu: return std::sqrt(2.0);
        case Nonlinearity::leaky_relu:
            return std::sqrt(2.0 / (1 + negative_slope * negative_slope));
        case Nonlinearity::selu: return 3.0 / 4;
        case Nonlinearity::linear:
        case Nonlinearity::sigmoid: break;
    }
    return 1;
}

}  // namespace typenn::init
