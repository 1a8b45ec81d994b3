// SPDX-License-Identifier: BSL-1.0
#pragma once
// Mini-batches of a compile-time size B over a Dataset, in an order reshuffled every epoch.
// A batch is what Model::forward takes: a BasicTensor<T, B, Features>, its labels, and the
// number of valid rows, which is B except in the final partial batch of an epoch:
//
//   data::Batches<32, 64> batches(train);
//   data::Batch<32, 64> batch;
//   for (int epoch = 0; epoch < epochs; ++epoch) {
//       batches.shuffle(rng);
//       for (std::size_t b = 0; b < batches.count(); ++b) {
//           batches.fill(b, batch);
//           auto y = model.forward(batch.x, tape, batch.rows());
//           ...
//       }
//   }
#include <algorithm>
#include <array>
#include <cstddef>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "typenn/concepts/scalar.hpp"
#include "typenn/data/dataset.hpp"
#include "typenn/data/shuffle.hpp"
#include "typenn/detail/raise.hpp"
#include "typenn/tape.hpp"
#include "typenn/tensor.hpp"

namespace typenn::data {

template <std::size_t B, std::size_t Features, Scalar T = float>
struct Batch {
    static_assert(B >= 1, "typenn: Batch<B, Features> needs a batch size B >= 1");

    BasicTensor<T, B, Features> x;
    std::array<int, B> labels;
    std::size_t count = 0;  // valid rows; x and labels are zero past them

    Rows rows() const noexcept { return Rows{count}; }
};

template <std::size_t B, std::size_t Features>
class Batches {
public:
    // Keeps a reference: the dataset must outlive the batches.
    explicit Batches(const Dataset<Features>& data) : data_(&data), order_(data.size()) {
        if (data.size() == 0)
            TYPENN_RAISE std::invalid_argument("typenn: Batches: the dataset is empty");
        std::iota(order_.begin(), order_.end(), std::size_t(0));
    }
    explicit Batches(Dataset<Features>&&) = delete;

    // A new order for the next epoch; until the first call, the dataset's own order.
    template <FullRangeBitGenerator Rng>
    void shuffle(Rng& rng) {
        data::shuffle(std::span(order_), rng);
    }

    // Batches per epoch; the last one holds the remaining size() mod B samples, if any.
    std::size_t count() const noexcept { return (order_.size() + B - 1) / B; }

    std::span<const std::size_t> order() const noexcept { return order_; }

    // Writes batch `index` of the current epoch into `batch`, allocating nothing.
    template <Scalar T>
    void fill(std::size_t index, Batch<B, Features, T>& batch) const {
        if (index >= count())
            TYPENN_RAISE std::out_of_range("typenn: Batches::fill: batch " + std::to_string(index) +
                                           " of an epoch of " + std::to_string(count()));
        const std::size_t first = index * B;
        batch.count = std::min(B, order_.size() - first);
        for (std::size_t r = 0; r < batch.count; ++r) {
            const std::size_t sample = order_[first + r];
            const auto row = data_->row(sample);
            for (std::size_t c = 0; c < Features; ++c) batch.x(r, c) = T(row[c]);
            batch.labels[r] = data_->labels[sample];
        }
        for (std::size_t r = batch.count; r < B; ++r) {
            for (std::size_t c = 0; c < Features; ++c) batch.x(r, c) = T(0);
            batch.labels[r] = 0;
        }
    }

private:
    const Dataset<Features>* data_;
    std::vector<std::size_t> order_;
};

}  // namespace typenn::data
