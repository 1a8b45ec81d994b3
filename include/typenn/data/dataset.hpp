// SPDX-License-Identifier: BSL-1.0
#pragma once
// Dataset<Features>: labelled samples of a fixed number of features, in memory, and the
// seeded train/test split.
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "typenn/data/shuffle.hpp"
#include "typenn/detail/raise.hpp"

namespace typenn::data {

template <std::size_t Features>
struct Dataset {
    static constexpr std::size_t features = Features;

    std::vector<float> values;  // row-major: size() rows of Features values
    std::vector<int> labels;

    std::size_t size() const noexcept { return labels.size(); }

    std::span<const float, Features> row(std::size_t i) const {
        return std::span<const float, Features>(values.data() + i * Features, Features);
    }

    void push_back(std::span<const float, Features> row, int label) {
        values.insert(values.end(), row.begin(), row.end());
        labels.push_back(label);
    }
};

template <std::size_t Features>
struct Split {
    Dataset<Features> train, test;
};

// The samples in the order of a Fisher–Yates shuffle seeded with `seed` (std::mt19937_64):
// the first size() − test_count form the training set, the rest the test set, both in that
// shuffled order. The same on every platform.
template <std::size_t Features>
Split<Features> split(const Dataset<Features>& all, std::size_t test_count, std::uint64_t seed) {
    if (test_count > all.size())
        TYPENN_RAISE std::invalid_argument("typenn: split: " + std::to_string(test_count) +
                                           " test samples requested from a dataset of " +
                                           std::to_string(all.size()));
    std::vector<std::size_t> order(all.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::mt19937_64 rng(seed);
    shuffle(std::span(order), rng);
    Split<Features> out;
    const std::size_t train_count = all.size() - test_count;
    for (std::size_t k = 0; k < order.size(); ++k)
        (k < train_count ? out.train : out.test).push_back(all.row(order[k]), all.labels[order[k]]);
    return out;
}

}  // namespace typenn::data
