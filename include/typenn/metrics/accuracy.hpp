// SPDX-License-Identifier: BSL-1.0
#pragma once
// Classification accuracy: the fraction of samples whose highest output is their label,
// from inference passes over batches of B rows.
#include <algorithm>
#include <cstddef>

#include "typenn/concepts/model.hpp"
#include "typenn/data/batches.hpp"
#include "typenn/data/dataset.hpp"
#include "typenn/model.hpp"

namespace typenn::metrics {

template <std::size_t B, AnyModel M>
double accuracy(const M& model, const data::Dataset<M::in_features>& samples) {
    constexpr std::size_t classes = M::out_features;
    data::Batches<B, M::in_features> batches(samples);
    data::Batch<B, M::in_features, typename M::scalar> batch;
    std::size_t correct = 0;
    for (std::size_t b = 0; b < batches.count(); ++b) {
        batches.fill(b, batch);
        const auto scores = model.forward(batch.x);
        for (std::size_t r = 0; r < batch.count; ++r) {
            const auto* row = scores.data() + r * classes;
            const auto predicted = std::max_element(row, row + classes) - row;
            correct += predicted == batch.labels[r];
        }
    }
    return double(correct) / double(samples.size());
}

}  // namespace typenn::metrics
