// SPDX-License-Identifier: BSL-1.0
// The hand-written baseline: the three nets in Eigen 3.4 with every size fixed at compile
// time, written as carefully as one would by hand — activations stored feature × batch
// (column-major, so each sample is a contiguous column, the same bytes as typenn's row-major
// batch × feature), noalias() products, bias and ReLU applied in one pass after each product,
// no dX for the first layer, dW written rather than zeroed and accumulated. Same math as
// PyTorch: Linear with bias, BatchNorm1d in training mode (batch statistics, running-stat
// update with the unbiased variance), MSE with mean reduction, SGD with momentum (velocity
// starting at zero, so the first step is the plain gradient, as torch.optim.SGD's is).
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

// Fixed-size matrices up to 1 MiB: the 256×256 weights exceed Eigen's default 128 KiB limit
// for objects that may live on the stack; these live in one heap block built before timing.
#define EIGEN_STACK_ALLOCATION_LIMIT (1 << 20)
#include <Eigen/Core>

#include "cases.hpp"
#include "nets.hpp"

namespace {

// A fixed-size matrix in the preferred storage order, except where Eigen insists on one
// (single-row matrices are row-major, single-column ones column-major).
template <int Rows, int Cols, int Preferred = Eigen::ColMajor>
using Mat = Eigen::Matrix<float, Rows, Cols,
                          Rows == 1 && Cols != 1   ? Eigen::RowMajor
                          : Cols == 1 && Rows != 1 ? Eigen::ColMajor
                                                   : Preferred>;
template <int N>
using Vec = Eigen::Matrix<float, N, 1>;

template <std::size_t... I, class F>
void for_each_index(std::index_sequence<I...>, F&& f) {
    (f(std::integral_constant<std::size_t, I>{}), ...);
}
template <std::size_t N, class F>
void for_each_layer(F&& f) {
    for_each_index(std::make_index_sequence<N>{}, f);
}
template <std::size_t N, class F>
void for_each_layer_reverse(F&& f) {
    for_each_index(std::make_index_sequence<N>{},
                   [&](auto i) { f(std::integral_constant<std::size_t, N - 1 - i>{}); });
}

// velocity = momentum·velocity + grad; param −= lr·velocity
template <class P>
void sgd_momentum(P& param, const P& grad, P& velocity) {
    velocity = float(bench::nets::momentum) * velocity + grad;
    param.noalias() -= float(bench::nets::learning_rate) * velocity;
}

// y = W·x + b. W is [Out, In], row-major as PyTorch stores it (measured fastest here), except
// for short rows: with In < 16 a batch-1 product is faster as a sum of columns than as dot
// products that fill less than a vector.
template <int In, int Out>
struct Dense {
    using Weight = Mat<Out, In, (In >= 16 ? Eigen::RowMajor : Eigen::ColMajor)>;
    Weight w, dw, w_velocity = Weight::Zero();
    Vec<Out> b, db, b_velocity = Vec<Out>::Zero();

    void initialise(std::size_t index) {
        Mat<Out, In, Eigen::RowMajor> row_major;
        bench::nets::linear_weight(index, In, Out, row_major.data());
        w = row_major;
        bench::nets::linear_bias(index, In, Out, b.data());
    }
    void step() {
        sgd_momentum(w, dw, w_velocity);
        sgd_momentum(b, db, b_velocity);
    }
};

// BatchNorm1d(N) after the first Linear, and what its backward keeps from the forward pass.
template <int N, int Batch>
struct Norm {
    static constexpr float eps = 1e-5f, momentum = 0.1f;
    Vec<N> gamma = Vec<N>::Ones(), beta = Vec<N>::Zero(), dgamma, dbeta;
    Vec<N> gamma_velocity = Vec<N>::Zero(), beta_velocity = Vec<N>::Zero();
    Vec<N> running_mean = Vec<N>::Zero(), running_var = Vec<N>::Ones();
    Mat<N, Batch> xhat;
    Vec<N> inv_std;

    // Inference: one scale and shift per feature (from the running statistics, on every call,
    // as nothing tells a hand-written net when they change), then ReLU, in one pass.
    template <int Cols>
    void infer_relu(Mat<N, Cols>& z) const {
        const Eigen::Array<float, N, 1> scale =
            gamma.array() * (running_var.array() + eps).rsqrt();
        const Eigen::Array<float, N, 1> shift = beta.array() - running_mean.array() * scale;
        z.array() = ((z.array().colwise() * scale).colwise() + shift).max(0.0f);
    }

    // Training: batch statistics, running statistics updated, then ReLU.
    void train_relu(Mat<N, Batch>& z) {
        const Vec<N> mean = z.rowwise().mean();
        xhat = z.colwise() - mean;
        const Eigen::Array<float, N, 1> variance = xhat.array().square().rowwise().mean();
        inv_std = (variance + eps).rsqrt().matrix();
        xhat.array().colwise() *= inv_std.array();
        z.array() = ((xhat.array().colwise() * gamma.array()).colwise() + beta.array()).max(0.0f);
        running_mean = (1 - momentum) * running_mean + momentum * mean;
        running_var = (1 - momentum) * running_var +
                      (momentum * float(Batch) / float(Batch - 1)) * variance.matrix();
    }

    // dy (already through ReLU's mask) becomes dL/dz in place.
    void backward(Mat<N, Batch>& dy) {
        dbeta = dy.rowwise().sum();
        dgamma = (dy.array() * xhat.array()).rowwise().sum().matrix();
        const Eigen::Array<float, N, 1> k = gamma.array() * inv_std.array() / float(Batch);
        dy.array() = (float(Batch) * dy.array() - xhat.array().colwise() * dgamma.array())
                         .colwise() -
                     dbeta.array();
        dy.array().colwise() *= k;
    }

    void step() {
        sgd_momentum(gamma, dgamma, gamma_velocity);
        sgd_momentum(beta, dbeta, beta_velocity);
    }
};
struct NoNorm {
    void step() {}
};

template <class Shape>
class EigenNet {
    static constexpr std::size_t L = bench::nets::linear_layers<Shape>;
    static constexpr int B = int(Shape::batch);
    template <std::size_t I>
    static constexpr int width = int(Shape::widths[I]);
    static constexpr bool normed = Shape::batchnorm_after_first;

    template <std::size_t... I>
    static auto dense_layers(std::index_sequence<I...>)
        -> std::tuple<Dense<width<I>, width<I + 1>>...>;
    // Activation I is the input of layer I (0: the net's input, L: its output).
    template <int Cols, std::size_t... I>
    static auto activations(std::index_sequence<I...>) -> std::tuple<Mat<width<I>, Cols>...>;
    // Gradient I is dL/d(output of layer I, before its activation).
    template <std::size_t... I>
    static auto gradients(std::index_sequence<I...>) -> std::tuple<Mat<width<I + 1>, B>...>;

    template <int Cols>
    using Activations = decltype(activations<Cols>(std::make_index_sequence<L + 1>{}));

public:
    using shape = Shape;
    static constexpr bool heap_free = true;

    explicit EigenNet(bench::Task task) : task_(task) {
        for_each_layer<L>([&](auto i) { std::get<i>(layers_).initialise(i); });
        bench::nets::fill_data(std::get<0>(one_).data(), width<0>, bench::nets::input_seed);
        bench::nets::fill_data(std::get<0>(batch_).data(), B * width<0>,
                               bench::nets::input_seed);
        bench::nets::fill_data(target_.data(), target_.size(), bench::nets::target_seed);
    }

    void infer_one() { forward<false>(one_); }
    void infer_batch() { forward<false>(batch_); }

    void train_step() {
        forward<true>(batch_);
        const auto diff = std::get<L>(batch_) - target_;
        const float scale = 2.0f / float(target_.size());
        loss_ = diff.squaredNorm() / float(target_.size());
        std::get<L - 1>(gradients_).noalias() = scale * diff;
        for_each_layer_reverse<L>([&](auto i) {
            auto& layer = std::get<i>(layers_);
            auto& dz = std::get<i>(gradients_);
            const auto& input = std::get<i>(batch_);
            layer.dw.noalias() = dz * input.transpose();
            layer.db = dz.rowwise().sum();
            if constexpr (i > 0) {
                auto& dinput = std::get<i - 1>(gradients_);
                dinput.noalias() = layer.w.transpose() * dz;
                dinput = (input.array() > 0.0f).select(dinput, 0.0f);
                if constexpr (i == 1 && normed) norm_.backward(dinput);
            }
        });
        for_each_layer<L>([&](auto i) { std::get<i>(layers_).step(); });
        norm_.step();
    }

    double result() const {
        switch (task_) {
            case bench::Task::infer_one: return std::get<L>(one_).sum();
            case bench::Task::infer_batch: return std::get<L>(batch_).sum();
            case bench::Task::train_step: return loss_;
        }
        return 0;
    }

private:
    template <bool Training, class Activations>
    void forward(Activations& a) {
        for_each_layer<L>([&](auto i) {
            const auto& layer = std::get<i>(layers_);
            auto& out = std::get<i + 1>(a);
            out.noalias() = layer.w * std::get<i>(a);
            if constexpr (i + 1 == L) {
                out.colwise() += layer.b;
            } else if constexpr (i == 0 && normed) {
                out.colwise() += layer.b;
                if constexpr (Training)
                    norm_.train_relu(out);
                else
                    norm_.infer_relu(out);
            } else {
                out.array() = (out.array().colwise() + layer.b.array()).max(0.0f);
            }
        });
    }

    bench::Task task_;
    decltype(dense_layers(std::make_index_sequence<L>{})) layers_;
    std::conditional_t<normed, Norm<width<1>, B>, NoNorm> norm_;
    Activations<1> one_;
    Activations<B> batch_;
    decltype(gradients(std::make_index_sequence<L>{})) gradients_;
    Mat<width<L>, B> target_;
    float loss_ = 0;
};

const bool registered = bench::add_net<EigenNet<bench::nets::Seed>>("eigen") &&
                        bench::add_net<EigenNet<bench::nets::Digits>>("eigen") &&
                        bench::add_net<EigenNet<bench::nets::Wide>>("eigen");

}  // namespace
