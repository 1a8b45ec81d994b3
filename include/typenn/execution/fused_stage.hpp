// SPDX-License-Identifier: BSL-1.0
#pragma once
// A fused stage (plan.hpp forms them): a product (Linear), then optionally a normalisation
// (Norm, void where absent), then any elementwise layers (Elementwise...), each run through
// what it declares in its own file (fusion.hpp). The products run on the SIMD kernels; the
// bias, then at inference the normalisation and the elementwise layers, are applied to each
// result before it is stored, and so is a Residual's shortcut where the stage ends the
// Residual's body. A training normalisation needs the whole batch's statistics: it and the
// layers after it run once the product is done.
// A value passes from one layer's code to the next through kernels::simd::unfused, so that
// each layer's arithmetic rounds as it does when the layer runs alone.
// Backward applies the layers' backward to the output gradient value by value
// (PostOpsBackward), where it can as the next stage's dX product stores it; a normalisation
// then needs one pass, which makes its input gradient and the product's bias gradient
// together, before the stage's own products.
// A stage reaches its layers through Parts: state<k>(), tape<k>() and output<k>() of its k-th
// layer, output<k>() being where the tape keeps that layer's output (the last one's is the
// stage's output).
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "typenn/detail/static_for.hpp"
#include "typenn/kernels/simd/products.hpp"
#include "typenn/kernels/simd/unfused.hpp"
#include "typenn/layers/elementwise.hpp"

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

// The parts of a stage that is one product layer on its own.
template <class State, class Tape, class Pointer>
struct LoneProduct {
    State& product_state;
    Tape* product_tape;
    Pointer y;
    template <std::size_t> State& state() const { return product_state; }
    template <std::size_t> Tape& tape() const { return *product_tape; }
    template <std::size_t> Pointer output() const { return y; }
};

template <class Product, class Norm, class... Elementwise>
struct FusedStage {
    static constexpr std::size_t In = Product::in_features, Out = Product::out_features;
    static constexpr bool has_norm = !std::is_void_v<Norm>;
    // Stage positions: the product at 0, the normalisation at 1, the elementwise layers after.
    static constexpr std::size_t first_elementwise = has_norm ? 2 : 1;
    static constexpr std::size_t last = first_elementwise + sizeof...(Elementwise) - 1;
    template <std::size_t J>
    using elementwise = std::tuple_element_t<J, std::tuple<Elementwise...>>;

    // Inference. The normalisation's running statistics make it an affine map per column.
    template <std::size_t B, class T, class Parts, class Add = NoShortcut>
    static void forward(const Parts& parts, const T* x, T* y, const Add& add = {}) {
        using kernels::simd::load_as;
        const auto& product = parts.template state<0>();
        multiply(product, x, y, typenn::detail::index<B>{}, [&](auto sum, std::size_t r, std::size_t o) {
            using V = decltype(sum);
            V value = sum + bias_at<V>(product, o);
            if constexpr (has_norm)
                value = kernels::simd::unfused(Norm::forward_element(parts.template state<1>(), value, o));
            typenn::detail::static_for<sizeof...(Elementwise)>([&](auto j) {
                value = kernels::simd::unfused(elementwise<j>::forward_element(
                    parts.template state<first_elementwise + j>(), value, o));
            });
            if constexpr (adds_shortcut<Add>) value = value + load_as<V>(add.shortcut + r * Out + o);
            return value;
        });
    }

    // Training. Each layer's output goes to its slot in the tape where backward reads it
    // (an elementwise layer's backward_reads, the normalisation's input), and the stage's to
    // output<last>(). workspace: the product tape's room for a panel of Wᵀ
    // (kernels::simd::ProductWorkspace). A shortcut to add goes in the last pass over the
    // results: the products' epilogue, or after a normalisation the elementwise layers' pass.
    template <class T, class Parts, class Add = NoShortcut>
    static void forward_train(const Parts& parts, const T* x, std::size_t rows,
                              const Add& add = {}) {
        using kernels::simd::load_as, kernels::simd::store_at;
        auto& product = parts.template state<0>();
        T* const y = parts.template output<last>();
        const auto finish = [&](auto value, std::size_t r, std::size_t o) {
            using V = decltype(value);
            const std::size_t at = r * Out + o;
            typenn::detail::static_for<sizeof...(Elementwise)>([&](auto j) {
                constexpr std::size_t k = first_elementwise + j;
                using L = elementwise<j>;
                if constexpr (L::backward_reads == Reads::input && !input_kept<j>)
                    store_at(parts.template output<k - 1>() + at, value);
                value = kernels::simd::unfused(L::forward_element(parts.template state<k>(), value, o));
                if constexpr (L::backward_reads == Reads::output && k != last)
                    store_at(parts.template output<k>() + at, value);
            });
            if constexpr (adds_shortcut<Add>)
                store_at(add.sum + at, value + load_as<V>(add.shortcut + at));
            return value;
        };
        if constexpr (has_norm) {
            T* const z = parts.template output<0>();
            multiply(product, x, z, rows, [&](auto sum, std::size_t, std::size_t o) {
                return sum + bias_at<decltype(sum)>(product, o);
            }, parts.template tape<0>().workspace);
            T* const normalised = parts.template output<1>();
            Norm::template forward_train<Out>(parts.template state<1>(), parts.template tape<1>(),
                                              z, normalised, rows);
            if constexpr (sizeof...(Elementwise) > 0 || adds_shortcut<Add>)
                for (std::size_t r = 0; r < rows; ++r)
                    kernels::simd::for_each_batch<T>(Out, [&](auto as, std::size_t o) {
                        using V = typename decltype(as)::type;
                        const V value = finish(load_as<V>(normalised + r * Out + o), r, o);
                        if constexpr (sizeof...(Elementwise) > 0) store_at(y + r * Out + o, value);
                    });
        } else {
            multiply(product, x, y, rows, [&](auto sum, std::size_t r, std::size_t o) {
                return finish(sum + bias_at<decltype(sum)>(product, o), r, o);
            }, parts.template tape<0>().workspace);
        }
    }

    // What the stage's layers after the product do to its output gradient, value by value,
    // last layer first: each elementwise layer's backward_element, then the normalisation's
    // sums over the batch, or else the product's bias gradient. Where the next stage of a Seq
    // is a product's, its dX product applies this to each result before storing it
    // (SeqRunner::backward), so that no pass of this stage's own reads dy; elsewhere
    // backward runs it over dy itself.
    template <class Parts>
    struct PostOpsBackward {
        const Parts& parts;

        template <class V>
        V operator()(V dy, std::size_t r, std::size_t c) const {
            using kernels::simd::load_as, kernels::simd::store_at;
            const std::size_t at = r * Out + c;
            typenn::detail::static_for_reverse<sizeof...(Elementwise)>([&](auto j) {
                constexpr std::size_t k = first_elementwise + j;
                using L = elementwise<j>;
                constexpr std::size_t saved = L::backward_reads == Reads::input ? k - 1 : k;
                dy = kernels::simd::unfused(L::backward_element(
                    parts.template state<k>(), dy, load_as<V>(parts.template output<saved>() + at), c));
            });
            if constexpr (has_norm) {
                Norm::add_gradient_sums(parts.template tape<1>(), dy,
                                        load_as<V>(parts.template output<0>() + at), c);
            } else if constexpr (Product::has_bias) {
                auto* bias_grad = parts.template state<0>().bias_grad.data() + c;
                store_at(bias_grad, load_as<V>(bias_grad) + dy);
            }
            return dy;
        }
    };

    // The post-ops' backward of one backward pass: a normalisation's sums start from zero.
    template <class Parts>
    static PostOpsBackward<Parts> post_ops_backward(const Parts& parts) {
        if constexpr (has_norm) Norm::begin_gradient_sums(parts.template tape<1>());
        return {parts};
    }

    // Whether post_ops_backward() does anything a stage must run.
    static constexpr bool has_post_ops_backward =
        sizeof...(Elementwise) > 0 || has_norm || Product::has_bias;

    // dy: the gradient of the stage's output, or what post_ops_backward() made of it where the
    // next stage's dX product applied it (PostOpsDone); scratch: rows·Out values; dx may be
    // null; dx_epilogue: what the stage before does with each value of dx as it is stored (its
    // PostOpsBackward), if it is a product's.
    template <bool PostOpsDone, class T, class Parts, class DxEpilogue = StoreAsIs>
    static void backward(const Parts& parts, const T* x, const T* dy, T* scratch, T* dx,
                         std::size_t rows, const DxEpilogue& dx_epilogue = {}) {
        using kernels::simd::load_as, kernels::simd::store_at;
        auto& product = parts.template state<0>();
        const T* dz = dy;
        if constexpr (!PostOpsDone && has_post_ops_backward) {
            const auto post_ops = post_ops_backward(parts);
            constexpr bool changes_dy = sizeof...(Elementwise) > 0;
            for (std::size_t r = 0; r < rows; ++r)
                kernels::simd::for_each_batch<T>(Out, [&](auto as, std::size_t c) {
                    using V = typename decltype(as)::type;
                    const V d = post_ops(load_as<V>(dy + r * Out + c), r, c);
                    if constexpr (changes_dy) store_at(scratch + r * Out + c, d);
                });
            if constexpr (changes_dy) dz = scratch;
        }
        if constexpr (has_norm) {
            auto& norm_tape = parts.template tape<1>();
            const auto k = Norm::gradient_coefficients(parts.template state<1>(), norm_tape, rows);
            const T* z = parts.template output<0>();
            for (std::size_t r = 0; r < rows; ++r)
                kernels::simd::for_each_batch<T>(Out, [&](auto as, std::size_t c) {
                    using V = typename decltype(as)::type;
                    const std::size_t at = r * Out + c;
                    const V d = kernels::simd::unfused(Norm::input_gradient(
                        norm_tape, k, load_as<V>(dz + at), load_as<V>(z + at), c));
                    store_at(scratch + at, d);
                    if constexpr (Product::has_bias) {
                        T* bias_grad = product.bias_grad.data() + c;
                        store_at(bias_grad, load_as<V>(bias_grad) + d);
                    }
                });
            dz = scratch;
        }
        // dW[o, :] += Σ_r dz[r, o] · x[r, :]   and   dx[r, :] = Σ_o dz[r, o] · W[o, :]
        kernels::simd::broadcast_products<In, 1, Out>(dz, x, product.weight_grad.data(), Out, rows);
        if (dx)
            kernels::simd::broadcast_products<In, Out, 1>(dz, product.weight.data(), dx, rows, Out,
                                                          dx_epilogue);
    }

private:
    // Whether the input of elementwise layer J is in the tape without the stage storing it for
    // J: the normalisation's output, or an output the layer before J keeps.
    template <std::size_t J>
    static constexpr bool input_kept = [] {
        if constexpr (J == 0)
            return has_norm;
        else
            return elementwise<J - 1>::backward_reads == Reads::output;
    }();

    // x·Wᵀ through the epilogue, from the layout the product keeps: Wᵀ itself where it keeps
    // one, else W, with panels of Wᵀ made in the workspace if one is given, else on the stack.
    template <class T, class State, class Epilogue, class... Workspace>
    static void multiply(const State& product, const T* x, T* y, auto rows,
                         Epilogue&& epilogue, Workspace&... workspace) {
        if constexpr (Product::template keeps_transposed<T>)
            kernels::simd::transposed_products<Out, In>(x, product.weight_t.data(), y, rows,
                                                        epilogue);
        else
            kernels::simd::products<Out, In>(x, product.weight.data(), y, rows, workspace...,
                                             epilogue);
    }

    template <class V, class State>
    static V bias_at(const State& product, std::size_t o) {
        if constexpr (Product::has_bias)
            return kernels::simd::load_as<V>(product.bias.data() + o);
        else
            return V(0);
    }
};

}  // namespace typenn::execution
