// SPDX-License-Identifier: BSL-1.0
#pragma once
#include <cstddef>
#include <random>

namespace typenn::random {

// U[low, high) over `count` values, as torch.nn.init.uniform_ draws them.
template <class T, class Rng>
void fill_uniform(T* values, std::size_t count, T low, T high, Rng& rng) {
    std::uniform_real_distribution<T> draw(low, high);
    for (std::size_t k = 0; k < count; ++k) values[k] = draw(rng);
}

template <class T, class Rng>
void fill_normal(T* values, std::size_t count, T mean, T stddev, Rng& rng) {
    std::normal_distribution<T> draw(mean, stddev);
    for (std::size_t k = 0; k < count; ++k) values[k] = draw(rng);
}

}  // namespace typenn::random
