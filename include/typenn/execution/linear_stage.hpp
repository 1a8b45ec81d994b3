#pragma once
// A fused stage: Linear, then optionally BatchNorm (Norm), then optionally a parameter-free
// activation (Act); void where absent. The products run on the SIMD kernels; bias and
// activation, and at inference the normalisation as a scale and shift per column, are applied
// to each result before it is stored, and so is a Residual's shortcut where the stage ends
// the Residual's body. A training BatchNorm needs the whole batch's statistics: it and the
// activation after it run once the product is done.
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

    // dy: gradient of the stage's output y; scratch: rows·Out values; dx may be null.
    template <class T, class LinState, class NormState, class NormTape>
    static void backward(LinState& lin, NormState* norm, NormTape* norm_tape, const T* x,
                         const T* z, const T* y, const T* dy, T* scratch, T* dx,
                         std::size_t rows) {
        const T* dz = dy;
        if constexpr (has_activation) {
            for (std::size_t k = 0; k < rows * Out; ++k) scratch[k] = dy[k] * Act::derivative(y[k]);
            dz = scratch;
        }
        if constexpr (has_norm) {
            kernels::reference::batchnorm_backward<Out>(
                z, norm_tape->mean.data(), norm_tape->inv_std.data(), norm->weight.data(), dz,
                norm->weight_grad.data(), norm->bias_grad.data(), scratch, rows);
            dz = scratch;
        }
        if constexpr (Lin::has_bias)
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t o = 0; o < Out; ++o) lin.bias_grad[o] += dz[r * Out + o];
        // dW[o, :] += Σ_r dz[r, o] · x[r, :]   and   dx[r, :] = Σ_o dz[r, o] · W[o, :]
        kernels::simd::broadcast_products<In, 1, Out, true>(dz, x, lin.weight_grad.data(), Out, rows);
        if (dx) kernels::simd::broadcast_products<In, Out, 1, false>(dz, lin.weight.data(), dx, rows, Out);
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
