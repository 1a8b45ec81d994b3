// SPDX-License-Identifier: BSL-1.0
#pragma once
// loss::bce_with_logits: F.binary_cross_entropy_with_logits(logits, targets) with mean
// reduction over the used rows' elements, targets in [0, 1]; writes
// dL/dlogits = (sigmoid(x) − t)/count and returns the loss. Computed as
// max(x, 0) − x·t + log1p(e^−|x|), which never exponentiates a positive number, so logits of
// any finite size (±1e4 and beyond) give finite, exact results.
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "typenn/concepts/scalar.hpp"
#include "typenn/loss/batch_rows.hpp"
#include "typenn/tensor.hpp"

namespace typenn::loss {

template <Scalar T, std::size_t B, std::size_t N>
T bce_with_logits(const BasicTensor<T, B, N>& logits, const BasicTensor<T, B, N>& targets,
                  BasicTensor<T, B, N>& dlogits, Rows rows = Rows{B}) {
    const std::size_t used = detail::checked_rows(rows, B, "bce_with_logits") * N;
    const T inv_count = T(1) / T(used);
    double sum = 0;
    dlogits.fill(T(0));
    for (std::size_t k = 0; k < used; ++k) {
        const T x = logits.data()[k], t = targets.data()[k];
        const T e = std::exp(-std::abs(x));  // in (0, 1]
        const T sigmoid = x >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
        sum += double(std::max(x, T(0)) - x * t + std::log1p(e));
        dlogits.data()[k] = (sigmoid - t) * inv_count;
    }
    return T(sum / double(used));
}

}  // namespace typenn::loss
