// SPDX-License-Identifier: BSL-1.0
#pragma once
// loss::cross_entropy: F.cross_entropy(logits, labels) with mean reduction over the used
// rows, labels being class indices; writes dL/dlogits = (softmax − one_hot)/rows and returns
// the loss. Log-softmax subtracts each row's maximum first, so logits of any finite size
// (±1e4 and beyond) give finite, exact results.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>

#include "typenn/concepts/scalar.hpp"
#include "typenn/detail/raise.hpp"
#include "typenn/loss/batch_rows.hpp"
#include "typenn/tensor.hpp"

namespace typenn::loss {

template <Scalar T, std::size_t B, std::size_t C>
T cross_entropy(const BasicTensor<T, B, C>& logits, std::span<const int> labels,
                BasicTensor<T, B, C>& dlogits, Rows rows = Rows{B}) {
    const std::size_t n = detail::checked_rows(rows, B, "cross_entropy");
    if (labels.size() < n)
        TYPENN_RAISE std::invalid_argument("typenn: loss::cross_entropy: " + std::to_string(n) +
                                           " rows but only " + std::to_string(labels.size()) +
                                           " labels");
    dlogits.fill(T(0));
    const T inv_n = T(1) / T(n);
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r) {
        const int label = labels[r];
        if (label < 0 || std::size_t(label) >= C)
            TYPENN_RAISE std::invalid_argument("typenn: loss::cross_entropy: label " +
                                               std::to_string(label) + " of row " +
                                               std::to_string(r) + " is outside 0.." +
                                               std::to_string(C - 1));
        const T* z = logits.data() + r * C;
        T* dz = dlogits.data() + r * C;
        T peak = z[0];
        for (std::size_t c = 1; c < C; ++c) peak = std::max(peak, z[c]);
        T total = 0;
        for (std::size_t c = 0; c < C; ++c) total += std::exp(z[c] - peak);
        const T log_total = std::log(total);
        for (std::size_t c = 0; c < C; ++c)
            dz[c] = std::exp(z[c] - peak - log_total) * inv_n;  // softmax / n
        dz[label] -= inv_n;
        sum -= double(z[label] - peak - log_total);
    }
    return T(sum / double(n));
}

}  // namespace typenn::loss
