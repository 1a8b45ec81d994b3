#pragma once
// Plain-loop kernels: the reference that defines what every optimised kernel must compute.
// Layers call these through their own semantics; no layer knows how a product is computed.
// All matrices are row-major; `rows` is the number of valid batch rows (<= the batch size).
#include <cmath>
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

// Backward of batch normalisation in training mode, in PyTorch's form: with the sums over the
// batch Σ dy and Σ (x − mean)·dy of each column,
//   dx = (dy − Σ dy / n − (x − mean) · Σ (x − mean)·dy · inv_std² / n) · inv_std · gamma,
//   dgamma += Σ (x − mean)·dy · inv_std,  dbeta += Σ dy.
// Its parts, each for a value or a batch of them, are shared with the fused stage, which
// gathers the sums as another product stores dy and so must round as this does.
template <class V>
void add_batchnorm_gradient_sums(V dy, V centred, V& sum, V& centred_dot) {
    sum = sum + dy;
    centred_dot = centred_dot + centred * dy;
}

// Per column c < N, from the sums: the coefficients batchnorm_input_gradient takes (mean_dy,
// projection, scale), and the parameters' gradients.
template <std::size_t N, class T>
void batchnorm_gradient_coefficients(const T* sum, const T* centred_dot, const T* inv_std,
                                     const T* gamma, std::size_t rows, T* dgamma, T* dbeta,
                                     T* mean_dy, T* projection, T* scale) {
    const T n = T(rows);
    for (std::size_t c = 0; c < N; ++c) {
        dgamma[c] += centred_dot[c] * inv_std[c];
        dbeta[c] += sum[c];
        mean_dy[c] = sum[c] / n;
        projection[c] = centred_dot[c] * inv_std[c] * inv_std[c] / n;
        scale[c] = inv_std[c] * gamma[c];
    }
}

template <class V>
V batchnorm_input_gradient(V dy, V centred, V mean_dy, V projection, V scale) {
    return (dy - mean_dy - centred * projection) * scale;
}

template <std::size_t N, class T>
void batchnorm_backward(const T* x, const T* mean, const T* inv_std, const T* gamma,
                        const T* dy, T* dgamma, T* dbeta, T* dx, std::size_t rows) {
    T sum[N] = {}, centred_dot[N] = {}, mean_dy[N], projection[N], scale[N];
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < N; ++c)
            add_batchnorm_gradient_sums(dy[r * N + c], x[r * N + c] - mean[c], sum[c],
                                        centred_dot[c]);
    batchnorm_gradient_coefficients<N>(sum, centred_dot, inv_std, gamma, rows, dgamma, dbeta,
                                       mean_dy, projection, scale);
    if (!dx) return;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < N; ++c)
            dx[r * N + c] = batchnorm_input_gradient(dy[r * N + c], x[r * N + c] - mean[c],
                                                     mean_dy[c], projection[c], scale[c]);
}

// y = f(x) elementwise over `count` values.
template <class T, class F>
void map(const T* x, T* y, std::size_t count, F f) {
    for (std::size_t k = 0; k < count; ++k) y[k] = f(x[k]);
}

// dx = dy * f'(y) elementwise, the derivative expressed through the output.
template <class T, class DF>
void map_backward(const T* y, const T* dy, T* dx, std::size_t count, DF df) {
    for (std::size_t k = 0; k < count; ++k) dx[k] = dy[k] * df(y[k]);
}

// y += x elementwise.
template <class T>
void add_into(T* y, const T* x, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) y[k] += x[k];
}

}  // namespace typenn::kernels::reference
