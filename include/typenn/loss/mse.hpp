// SPDX-License-Identifier: BSL-1.0
#pragma once
// loss::mse: F.mse_loss(y, target) with mean reduction, mean((y − target)²) over the used
// rows' elements; writes dL/dy (zero past the used rows) and returns the loss.
#include <cstddef>

#include "typenn/concepts/scalar.hpp"
#include "typenn/loss/batch_rows.hpp"
#include "typenn/tensor.hpp"

namespace typenn::loss {

template <Scalar T, std::size_t B, std::size_t N>
T mse(const BasicTensor<T, B, N>& y, const BasicTensor<T, B, N>& target, BasicTensor<T, B, N>& dy,
      Rows rows = Rows{B}) {
    const std::size_t used = detail::checked_rows(rows, B, "mse") * N;
    const T scale = T(2) / T(used);
    double sum = 0;  // wide, so that large batches keep float's precision
    dy.fill(T(0));
    for (std::size_t k = 0; k < used; ++k) {
        const T d = y.data()[k] - target.data()[k];
        sum += double(d) * double(d);
        dy.data()[k] = scale * d;
    }
    return T(sum / double(used));
}

}  // namespace typenn::loss
