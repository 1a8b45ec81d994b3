// SPDX-License-Identifier: BSL-1.0
#pragma once
// The three reference networks every framework implements, as plain shapes, and the one rule
// that turns a shape into floating-point operations. Framework-neutral on purpose: each
// benchmark file builds its own version of these nets from here, so all of them time the
// same work and report it with the same FLOP count.
#include <array>
#include <cmath>
#include <cstddef>
#include <random>

namespace bench::nets {

// seed: Linear<10,20>, BatchNorm<20>, ReLU, Linear<20,1>
struct Seed {
    static constexpr const char* name = "seed";
    static constexpr std::array<std::size_t, 3> widths{10, 20, 1};
    static constexpr std::size_t batch = 32;
    static constexpr bool batchnorm_after_first = true;
};

// digits: Linear<64,128>, ReLU, Linear<128,128>, ReLU, Linear<128,10>
struct Digits {
    static constexpr const char* name = "digits";
    static constexpr std::array<std::size_t, 4> widths{64, 128, 128, 10};
    static constexpr std::size_t batch = 64;
    static constexpr bool batchnorm_after_first = false;
};

// wide: 4 × Linear<256,256>, ReLU between
struct Wide {
    static constexpr const char* name = "wide";
    static constexpr std::array<std::size_t, 5> widths{256, 256, 256, 256, 256};
    static constexpr std::size_t batch = 64;
    static constexpr bool batchnorm_after_first = false;
};

template <class Shape>
constexpr std::size_t in_features = Shape::widths.front();
template <class Shape>
constexpr std::size_t out_features = Shape::widths.back();
template <class Shape>
constexpr std::size_t linear_layers = Shape::widths.size() - 1;

// FLOP counting rule: a Linear<In, Out> forward costs 2·In·Out per row (one multiply and one
// add per weight); a training step costs three such products per Linear (forward, dX = dY·W,
// dW = dYᵀ·X), the first layer's dX included, whether or not an implementation computes it.
// Bias, BatchNorm, activations, loss and optimizer are not counted.
template <class Shape>
constexpr double forward_flop(std::size_t rows) {
    double flop = 0;
    for (std::size_t i = 0; i + 1 < Shape::widths.size(); ++i)
        flop += 2.0 * double(Shape::widths[i]) * double(Shape::widths[i + 1]) * double(rows);
    return flop;
}
template <class Shape>
constexpr double training_step_flop() {
    return 3 * forward_flop<Shape>(Shape::batch);
}

// The same inputs, targets and initial parameters for every framework, so that check.cpp can
// demand that they compute the same numbers: U[-bound, bound) from fixed seeds.
inline void fill_data(float* values, std::size_t count, unsigned seed, float bound = 1.0f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> draw(-bound, bound);
    for (std::size_t k = 0; k < count; ++k) values[k] = draw(rng);
}
inline constexpr unsigned input_seed = 1, target_seed = 2;

// Linear layer `index` (counting Linears from 0) of In inputs: weight [Out, In] row-major and
// bias, drawn as nn.Linear draws them, U(±1/√In).
inline void linear_weight(std::size_t index, std::size_t in, std::size_t out, float* w) {
    fill_data(w, out * in, unsigned(10 + index), 1.0f / std::sqrt(float(in)));
}
inline void linear_bias(std::size_t index, std::size_t in, std::size_t out, float* b) {
    fill_data(b, out, unsigned(1000 + index), 1.0f / std::sqrt(float(in)));
}

// The training step every framework runs: MSE loss, then SGD with these settings.
inline constexpr double learning_rate = 0.01;
inline constexpr double momentum = 0.9;

}  // namespace bench::nets
