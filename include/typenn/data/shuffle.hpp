// SPDX-License-Identifier: BSL-1.0
#pragma once
// Fisher–Yates shuffling that gives the same permutation on every platform for the same
// generator state: std::shuffle and std::uniform_int_distribution leave their algorithms to
// the standard library, which would make a documented, seeded split library-dependent.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "typenn/detail/raise.hpp"

namespace typenn::data {

// A generator whose outputs are uniform over [0, 2^w) for some w (std::mt19937,
// std::mt19937_64), so that draws need no rescaling.
template <class Rng>
concept FullRangeBitGenerator = std::uniform_random_bit_generator<Rng> && Rng::min() == 0 &&
                                (Rng::max() & (Rng::max() + 1)) == 0 &&
                                Rng::max() <= std::numeric_limits<std::uint64_t>::max();

// Uniform in [0, bound) without modulo bias: the lowest (max + 1) mod bound outputs are
// redrawn, so that every remainder is equally likely.
template <FullRangeBitGenerator Rng>
std::size_t draw_below(std::size_t bound, Rng& rng) {
    constexpr std::uint64_t max = Rng::max();
    if (bound == 0 || bound - 1 > max)
        TYPENN_RAISE std::invalid_argument("typenn: draw_below: bound " + std::to_string(bound) +
                                           " is outside the generator's range");
    const std::uint64_t threshold = (max - bound + 1) % bound;
    std::uint64_t r;
    do r = rng();
    while (r < threshold);
    return std::size_t(r % bound);
}

template <FullRangeBitGenerator Rng>
void shuffle(std::span<std::size_t> values, Rng& rng) {
    for (std::size_t i = values.size(); i > 1; --i)
        std::swap(values[i - 1], values[draw_below(i, rng)]);
}

}  // namespace typenn::data
