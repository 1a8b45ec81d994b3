// SPDX-License-Identifier: BSL-1.0
#pragma once
// BatchNorm<N>: PyTorch's nn.BatchNorm1d(N) (affine, tracking running statistics).
// Shape rule: takes and gives exactly N columns.
// Training normalises with the batch's biased variance and folds the unbiased one into
// running_var; inference normalises with the running statistics.
// Fused after a product (fusion::normalisation): at inference an affine map per column; in
// training its own forward once the product is done, and a backward in parts that a stage
// runs as the gradient passes by.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <type_traits>

#include "typenn/array.hpp"
#include "typenn/detail/raise.hpp"
#include "typenn/detail/square_root.hpp"
#include "typenn/diagnostic/shape_errors.hpp"
#include "typenn/fusion.hpp"
#include "typenn/kernels/reference.hpp"
#include "typenn/kernels/simd/load_store.hpp"
#include "typenn/kernels/simd/multiply_add.hpp"
#include "typenn/key_path.hpp"
#include "typenn/naming.hpp"
#include "typenn/tensor.hpp"

namespace typenn {

template <std::size_t N>
struct BatchNorm {
    static_assert(N > 0, "typenn: BatchNorm<N> needs N >= 1");
    using fusion = fusion::normalisation;

    static constexpr std::size_t in_features = N;
    static constexpr std::size_t out_features = N;
    static constexpr bool valid = true;
    // PyTorch's defaults.
    static constexpr double eps = 1e-5;
    static constexpr double momentum = 0.1;

    static std::string name() { return naming::templated("BatchNorm", N); }

    template <std::size_t W, class T>
    struct state {
        Array<T, N> weight, weight_grad, bias, bias_grad;
        Array<T, N> running_mean, running_var;
        std::int64_t num_batches_tracked = 0;
        // Inference's normalisation as one affine map per column, x·scale + shift, which a
        // fused stage applies as it stores its results; derived state, remade wherever the
        // running statistics or the affine parameters may have changed (Model::remake_derived
        // says where). Made per call, it cost a square root and a division per column: about
        // half the seed net's time at batch 1.
        Array<T, N> inference_scale, inference_shift;

        template <class Self, class F>
        static constexpr void visit(Self& self, const KeyPath& at, F& f) {
            f(at / "weight", Parameter{self.weight, self.weight_grad});
            f(at / "bias", Parameter{self.bias, self.bias_grad});
            f(at / "running_mean", Buffer{self.running_mean});
            f(at / "running_var", Buffer{self.running_var});
            f(at / "num_batches_tracked", Buffer{self.num_batches_tracked});
            if constexpr (!std::is_const_v<Self> && may_change_values<F>) self.remake_inference_affine();
        }

        constexpr void remake_inference_affine() {
            for (std::size_t c = 0; c < N; ++c) {
                const T scale = weight[c] / detail::square_root(running_var[c] + T(eps));
                inference_scale[c] = scale;
                inference_shift[c] = bias[c] - running_mean[c] * scale;
            }
        }
    };

    // The batch statistics that backward needs; x̂ is recomputed from the saved input. The
    // sums of the output gradient over the batch (add_gradient_sums), which a fused stage
    // gathers as the product after it stores that gradient.
    template <std::size_t W, class T, std::size_t B>
    struct tape {
        Array<T, N> mean, inv_std;
        Array<T, N> gradient_sum, gradient_centred_dot;
    };

    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>& s, Rng&) {
        s.weight.fill(T(1));
        s.bias.fill(T(0));
        s.running_mean.fill(T(0));
        s.running_var.fill(T(1));
        s.num_batches_tracked = 0;
        s.remake_inference_affine();
    }

    // From the running statistics, not the kept map: the Reference policy runs this, and
    // comparing it with a fused stage checks that map.
    template <std::size_t W, std::size_t B, class T>
    static void forward(const state<W, T>& s, const T* x, T* y) {
        Array<T, N> scale;
        for (std::size_t c = 0; c < N; ++c)
            scale.values[c] = s.weight[c] / std::sqrt(s.running_var[c] + T(eps));
        kernels::reference::column_affine<N>(x, s.running_mean.data(), scale.data(),
                                             s.bias.data(), y, B);
    }

    template <std::size_t W, class T, std::size_t B>
    static void forward_train(state<W, T>& s, tape<W, T, B>& t, const T* x, T* y,
                              std::size_t rows) {
        if (rows < 2)
            TYPENN_RAISE std::invalid_argument(
                "typenn: " + name() +
                " in training mode needs more than 1 row per batch to compute batch "
                "statistics, got " +
                std::to_string(rows) + " (PyTorch: 'Expected more than 1 value per channel "
                                       "when training')");
        Array<T, N> variance, scale;
        kernels::reference::column_mean_variance<N>(x, rows, t.mean.data(), variance.data());
        for (std::size_t c = 0; c < N; ++c) {
            t.inv_std.values[c] = T(1) / std::sqrt(variance.values[c] + T(eps));
            scale.values[c] = s.weight[c] * t.inv_std.values[c];
        }
        kernels::reference::column_affine<N>(x, t.mean.data(), scale.data(), s.bias.data(), y,
                                             rows);
        const T unbiased = T(rows) / T(rows - 1);
        for (std::size_t c = 0; c < N; ++c) {
            s.running_mean[c] = (T(1) - T(momentum)) * s.running_mean[c] +
                                T(momentum) * t.mean.values[c];
            s.running_var[c] = (T(1) - T(momentum)) * s.running_var[c] +
                               T(momentum) * variance.values[c] * unbiased;
        }
        ++s.num_batches_tracked;
        s.remake_inference_affine();
    }

    template <std::size_t W, class T, std::size_t B>
    static void backward(state<W, T>& s, tape<W, T, B>& t, const T* x, const T*, const T* dy,
                         T* dx, std::size_t rows) {
        begin_gradient_sums(t);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < N; ++c) add_gradient_sums(t, dy[r * N + c], x[r * N + c], c);
        const GradientCoefficients<T> k = gradient_coefficients(s, t, rows);
        if (!dx) return;
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < N; ++c)
                dx[r * N + c] = input_gradient(t, k, dy[r * N + c], x[r * N + c], c);
    }

    // Fused at inference: the affine map the state keeps, on a value or a batch of consecutive
    // columns from column c.
    template <class V, class State>
    static V forward_element(const State& s, V x, std::size_t c) {
        using kernels::simd::load_as;
        return kernels::simd::multiply_add(x, load_as<V>(s.inference_scale.data() + c),
                                           load_as<V>(s.inference_shift.data() + c));
    }

    // Backward in PyTorch's form: with the sums over the batch Σ dy and Σ (x − mean)·dy of
    // each column,
    //   dx = (dy − Σ dy / n − (x − mean) · Σ (x − mean)·dy · inv_std² / n) · inv_std · gamma,
    //   dgamma += Σ (x − mean)·dy · inv_std,  dbeta += Σ dy;
    // in parts, so that a fused stage gathers the sums value by value as another product
    // stores dy, and rounds as the layer run alone does.
    template <class Tape>
    static void begin_gradient_sums(Tape& t) {
        t.gradient_sum.fill(0);
        t.gradient_centred_dot.fill(0);
    }

    // dy and x (the layer's input) of one row, at columns from c.
    template <class V, class Tape>
    static void add_gradient_sums(Tape& t, V dy, V x, std::size_t c) {
        using kernels::simd::load_as, kernels::simd::store_at;
        const V centred = x - load_as<V>(t.mean.data() + c);
        store_at(t.gradient_sum.data() + c, load_as<V>(t.gradient_sum.data() + c) + dy);
        store_at(t.gradient_centred_dot.data() + c,
                 kernels::simd::multiply_add(centred, dy, load_as<V>(t.gradient_centred_dot.data() + c)));
    }

    template <class T>
    struct GradientCoefficients {
        Array<T, N> mean_dy, projection, scale;
    };

    // Once the sums are complete: the parameters' gradients, and what input_gradient takes.
    template <std::size_t W, class T, std::size_t B>
    static GradientCoefficients<T> gradient_coefficients(state<W, T>& s, const tape<W, T, B>& t,
                                                         std::size_t rows) {
        GradientCoefficients<T> k;
        const T n = T(rows);
        for (std::size_t c = 0; c < N; ++c) {
            const T inv_std = t.inv_std[c], centred_dot = t.gradient_centred_dot[c];
            s.weight_grad[c] += centred_dot * inv_std;
            s.bias_grad[c] += t.gradient_sum[c];
            k.mean_dy[c] = t.gradient_sum[c] / n;
            k.projection[c] = centred_dot * inv_std * inv_std / n;
            k.scale[c] = inv_std * s.weight[c];
        }
        return k;
    }

    template <class V, class Tape, class T>
    static V input_gradient(const Tape& t, const GradientCoefficients<T>& k, V dy, V x,
                            std::size_t c) {
        using kernels::simd::load_as;
        const V centred = x - load_as<V>(t.mean.data() + c);
        const V projected = kernels::simd::multiply_add(-centred, load_as<V>(k.projection.data() + c),
                                                        dy - load_as<V>(k.mean_dy.data() + c));
        return projected * load_as<V>(k.scale.data() + c);
    }
};

namespace diagnostic {
template <std::size_t N, class Position, class Receives>
struct input_width_mismatch<BatchNorm<N>, Position, takes_width<N>, Receives> {
    static_assert(N == Receives::value,
                  "typenn: BatchNorm<N> receives a width other than N from the layer before it "
                  "(position_in_seq and the widths are in the instantiation above)");
    static constexpr bool reported = true;
};
}  // namespace diagnostic

}  // namespace typenn
