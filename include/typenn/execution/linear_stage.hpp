#pragma once
// A fused stage: Linear, then optionally BatchNorm (Norm), then optionally a parameter-free
// activation (Act); void where absent. The products run on the SIMD kernels; bias and
// activation, and at inference the normalisation as a scale and shift per column, are applied
// to each result before it is stored, and so is a Residual's shortcut where the stage ends
// the Residual's body. A training BatchNorm needs the whole batch's statistics: it and the
// activation after it run once the product is done.
// Backward takes the output gradient in value by value (Intake), where it can as the next
// stage's dX product stores it; a BatchNorm then needs one pass, which makes its input
// gradient and the Linear's bias gradient together, before the stage's own products.
#include <cstddef>
#include <type_traits>

#include "typenn/kernels/reference.hpp"
#include "typenn/kernels/simd/products.hpp"

namespace typenn::execution {

// A Residual's shortcut, added by the stage that ends its body as it stores its results (the
// sum is an element's row-major offset away): in inference the stage's output is the sum; in
// training the stage keeps its own output, which the body's backward reads, and writes the
// sum to `sum`. The shortcut must not be the stage's output: the dot-product form stores its
// raw sums there before the epilogue reads the shortcut.
template <class T>
struct ShortcutAdd {
    const T* shortcut;
    T* sum = nullptr;
};

struct NoShortcut {};

// The epilogue of a dX product whose values the stage before takes as they are.
struct StoreAsIs {
    template <class V>
    V operator()(V value, std::size_t, std::size_t) const {
        return value;
    }
};

template <class Add>
inline constexpr bool adds_shortcut = !std::is_same_v<Add, NoShortcut>;

template <class Lin, class Norm, class Act>
struct LinearStage {
    static constexpr std::size_t In = Lin::in_features, Out = Lin::out_features;
    static constexpr bool has_norm = !std::is_void_v<Norm>, has_activation = !std::is_void_v<Act>;

    // Inference. With running statistics, normalisation is an affine map per column, which
    // the BatchNorm keeps (inference_scale, inference_shift).
    template <std::size_t B, class T, class LinState, class NormState, class Add = NoShortcut>
    static void forward(const LinState& lin, const NormState* norm, const T* x, T* y,
                        const Add& add = {}) {
        using kernels::simd::load_as;
        const auto finish = [&](auto result, std::size_t r, std::size_t o) {
            if constexpr (has_activation) result = Act::apply(result);
            if constexpr (adds_shortcut<Add>)
                result = result + load_as<decltype(result)>(add.shortcut + r * Out + o);
            return result;
        };
        constexpr typenn::detail::index<B> rows;
        if constexpr (has_norm) {
            const T* scale = norm->inference_scale.data();
            const T* shift = norm->inference_shift.data();
            multiply(lin, x, y, rows, [&](auto sum, std::size_t r, std::size_t o) {
                using V = decltype(sum);
                const V normalised = (sum + bias_at<V>(lin, o)) * load_as<V>(scale + o);
                return finish(normalised + load_as<V>(shift + o), r, o);
            });
        } else {
            multiply(lin, x, y, rows, [&](auto sum, std::size_t r, std::size_t o) {
                return finish(sum + bias_at<decltype(sum)>(lin, o), r, o);
            });
        }
    }

    // Training. z receives the Linear's output (BatchNorm's backward reads it), normalised the
    // BatchNorm's, y the stage's; the same buffer where a layer is absent. BatchNorm uses the
    // statistics of the batch, which exist only once every row's product is known.
    // workspace: the Linear tape's room for a panel of Wᵀ (kernels::simd::ProductWorkspace).
    // A shortcut to add goes in the last pass over the results: the products' epilogue, or
    // after a BatchNorm the activation's pass (a pass of its own where none follows).
    template <class T, class LinState, class Workspace, class NormState, class NormTape,
              class Add = NoShortcut>
    static void forward_train(LinState& lin, Workspace& workspace, NormState* norm,
                              NormTape* norm_tape, const T* x, T* z, T* normalised, T* y,
                              std::size_t rows, const Add& add = {}) {
        using kernels::simd::load_as, kernels::simd::store_at;
        T* product = has_norm || !has_activation ? z : y;
        multiply(lin, x, product, rows, [&](auto sum, std::size_t r, std::size_t o) {
            using V = decltype(sum);
            if constexpr (Lin::has_bias) sum = sum + bias_at<V>(lin, o);
            if constexpr (has_activation && !has_norm) sum = Act::apply(sum);
            if constexpr (adds_shortcut<Add> && !has_norm) {
                const std::size_t at = r * Out + o;
                store_at(add.sum + at, sum + load_as<V>(add.shortcut + at));
            }
            return sum;
        }, workspace);
        if constexpr (has_norm) {
            Norm::template forward_train<Out>(*norm, *norm_tape, z, normalised, rows);
            for (std::size_t k = 0; k < rows * Out; ++k) {
                if constexpr (has_activation) y[k] = Act::value(normalised[k]);
                if constexpr (adds_shortcut<Add>) add.sum[k] = y[k] + add.shortcut[k];
            }
        }
    }

    // How the stage takes in its output gradient, value by value: the activation's derivative
    // from the saved output; then, with a BatchNorm, the two sums over the batch its backward
    // needs, else the Linear's bias gradient. Where the next stage of a Seq is a Linear's, its
    // dX product applies this to each result before storing it (Sequential::backward), so that
    // no pass of this stage's own reads dy; elsewhere backward runs it over dy itself.
    template <class T, class NormTape>
    struct Intake {
        const T* y;  // the stage's output
        const T* z;  // the Linear's output, which the BatchNorm normalised
        NormTape* norm_tape;
        T* bias_grad;  // the Linear's, where no BatchNorm follows it

        template <class V>
        V operator()(V dy, std::size_t r, std::size_t c) const {
            using kernels::simd::load_as, kernels::simd::store_at;
            const std::size_t at = r * Out + c;
            if constexpr (has_activation) dy = dy * Act::derivative(load_as<V>(y + at));
            if constexpr (has_norm) {
                V sum = load_as<V>(norm_tape->gradient_sum.data() + c);
                V centred_dot = load_as<V>(norm_tape->gradient_centred_dot.data() + c);
                kernels::reference::add_batchnorm_gradient_sums(
                    dy, load_as<V>(z + at) - load_as<V>(norm_tape->mean.data() + c), sum,
                    centred_dot);
                store_at(norm_tape->gradient_sum.data() + c, sum);
                store_at(norm_tape->gradient_centred_dot.data() + c, centred_dot);
            } else if constexpr (Lin::has_bias) {
                store_at(bias_grad + c, load_as<V>(bias_grad + c) + dy);
            }
            return dy;
        }
    };

    // The intake of one backward pass: a BatchNorm's sums start from zero.
    template <class T, class LinState, class NormTape>
    static Intake<T, NormTape> intake(LinState& lin, NormTape* norm_tape, const T* z, const T* y) {
        if constexpr (has_norm) {
            norm_tape->gradient_sum.fill(T(0));
            norm_tape->gradient_centred_dot.fill(T(0));
        }
        T* bias_grad = nullptr;
        if constexpr (Lin::has_bias && !has_norm) bias_grad = lin.bias_grad.data();
        return {y, z, norm_tape, bias_grad};
    }

    // Whether intake() does anything a stage must run.
    static constexpr bool takes_in = has_activation || has_norm || Lin::has_bias;

    // dy: gradient of the stage's output y, or what intake() made of it where the next stage
    // took it in (TakenIn); scratch: rows·Out values; dx may be null; take_dx: what the stage
    // before does with each value of dx as it is stored (its Intake), if it is a Linear's.
    template <bool TakenIn, class T, class LinState, class NormState, class NormTape,
              class TakeDx = StoreAsIs>
    static void backward(LinState& lin, NormState* norm, NormTape* norm_tape, const T* x,
                         const T* z, const T* y, const T* dy, T* scratch, T* dx,
                         std::size_t rows, const TakeDx& take_dx = {}) {
        using kernels::simd::load_as, kernels::simd::store_at;
        const T* dz = dy;
        if constexpr (!TakenIn && takes_in) {
            const auto take = intake(lin, norm_tape, z, y);
            constexpr bool changes_dy = has_activation || has_norm;
            for (std::size_t r = 0; r < rows; ++r)
                kernels::simd::for_each_batch<T>(Out, [&](auto as, std::size_t c) {
                    using V = typename decltype(as)::type;
                    const V taken = take(load_as<V>(dy + r * Out + c), r, c);
                    if constexpr (changes_dy) store_at(scratch + r * Out + c, taken);
                });
            if constexpr (changes_dy) dz = scratch;
        }
        if constexpr (has_norm) {
            Array<T, Out> mean_dy, projection, scale;
            kernels::reference::batchnorm_gradient_coefficients<Out>(
                norm_tape->gradient_sum.data(), norm_tape->gradient_centred_dot.data(),
                norm_tape->inv_std.data(), norm->weight.data(), rows, norm->weight_grad.data(),
                norm->bias_grad.data(), mean_dy.data(), projection.data(), scale.data());
            for (std::size_t r = 0; r < rows; ++r)
                kernels::simd::for_each_batch<T>(Out, [&](auto as, std::size_t c) {
                    using V = typename decltype(as)::type;
                    const std::size_t at = r * Out + c;
                    const V centred = load_as<V>(z + at) - load_as<V>(norm_tape->mean.data() + c);
                    const V d = kernels::reference::batchnorm_input_gradient(
                        load_as<V>(dz + at), centred, load_as<V>(mean_dy.data() + c),
                        load_as<V>(projection.data() + c), load_as<V>(scale.data() + c));
                    store_at(scratch + at, d);
                    if constexpr (Lin::has_bias) {
                        T* bias_grad = lin.bias_grad.data() + c;
                        store_at(bias_grad, load_as<V>(bias_grad) + d);
                    }
                });
            dz = scratch;
        }
        // dW[o, :] += Σ_r dz[r, o] · x[r, :]   and   dx[r, :] = Σ_o dz[r, o] · W[o, :]
        kernels::simd::broadcast_products<In, 1, Out>(dz, x, lin.weight_grad.data(), Out, rows);
        if (dx)
            kernels::simd::broadcast_products<In, Out, 1>(dz, lin.weight.data(), dx, rows, Out,
                                                          take_dx);
    }

private:
    // x·Wᵀ through the epilogue, from the layout the Linear keeps: Wᵀ itself where it keeps
    // one, else W, with panels of Wᵀ made in the workspace if one is given, else on the stack.
    template <class T, class LinState, class Epilogue, class... Workspace>
    static void multiply(const LinState& lin, const T* x, T* y, auto rows,
                         Epilogue&& epilogue, Workspace&... workspace) {
        if constexpr (Lin::template keeps_transposed<T>)
            kernels::simd::transposed_products<Out, In>(x, lin.weight_t.data(), y, rows, epilogue);
        else
            kernels::simd::products<Out, In>(x, lin.weight.data(), y, rows, workspace..., epilogue);
    }

    template <class V, class LinState>
    static V bias_at(const LinState& lin, std::size_t o) {
        if constexpr (Lin::has_bias)
            return kernels::simd::load_as<V>(lin.bias.data() + o);
        else
            return V(0);
    }
};

}  // namespace typenn::execution
