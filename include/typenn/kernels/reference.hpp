// SPDX-License-Identifier: BSL-1.0
#pragma once
// Plain-loop kernels: the reference that defines what every optimised kernel must compute.
// Layers call these through their own semantics; no layer knows how a product is computed.
// All matrices are row-major; `rows` is the number of valid batch rows (<= the batch size).
#include <cstddef>

namespace typenn::kernels::reference {

// y[r, o] = b[o] + sum_i x[r, i] * w[o, i]   (w is [Out, In], as PyTorch stores it)
template <std::size_t In, std::size_t Out, class T>
void affine_forward(const T* w, const T* b, const T* x, T* y, std::size_t rows) {
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t o = 0; o < Out; ++o) {
            T sum = b ? b[o] : T(0);
            for (std::size_t i = 0; i < In; ++i) sum += x[r * In + i] * w[o * In + i];
            y[r * Out + o] = sum;
        }
}

// dw += dyᵀ·x, db += column sums of dy, dx = dy·w (dx and db may be null: not wanted).
template <std::size_t In, std::size_t Out, class T>
void affine_backward(const T* w, const T* x, const T* dy, T* dw, T* db, T* dx,
                     std::size_t rows) {
    for (std::size_t o = 0; o < Out; ++o) {
        for (std::size_t i = 0; i < In; ++i) {
            T sum = 0;
            for (std::size_t r = 0; r < rows; ++r) sum += dy[r * Out + o] * x[r * In + i];
            dw[o * In + i] += sum;
        }
        if (db) {
            T sum = 0;
            for (std::size_t r = 0; r < rows; ++r) sum += dy[r * Out + o];
            db[o] += sum;
        }
    }
    if (!dx) return;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t i = 0; i < In; ++i) {
            T sum = 0;
            for (std::size_t o = 0; o < Out; ++o) sum += dy[r * Out + o] * w[o * In + i];
            dx[r * In + i] = sum;
        }
}

// Batch statistics per column: mean and biased variance over `rows` rows. Rows outermost, so
// that the sums of all columns advance together (and vectorise); each column still adds its
// rows in order.
template <std::size_t N, class T>
void column_mean_variance(const T* x, std::size_t rows, T* mean, T* variance) {
    for (std::size_t c = 0; c < N; ++c) mean[c] = variance[c] = T(0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < N; ++c) mean[c] += x[r * N + c];
    for (std::size_t c = 0; c < N; ++c) mean[c] /= T(rows);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < N; ++c) {
            const T d = x[r * N + c] - mean[c];
            variance[c] += d * d;
        }
    for (std::size_t c = 0; c < N; ++c) variance[c] /= T(rows);
}

// y = (x - shift[c]) * scale[c] + offset[c], per column.
template <std::size_t N, class T>
void column_affine(const T* x, const T* shift, const T* scale, const T* offset, T* y,
                   std::size_t rows) {
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < N; ++c)
            y[r * N + c] = (x[r * N + c] - shift[c]) * scale[c] + offset[c];
}

// y += x elementwise.
template <class T>
void add_into(T* y, const T* x, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) y[k] += x[k];
}

}  // namespace typenn::kernels::reference
