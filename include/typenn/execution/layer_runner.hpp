// SPDX-License-Identifier: BSL-1.0
#pragma once
// Runs one layer under an execution policy: combinators pass the policy on to their parts;
// under Fused, a product (Linear) is a fused stage of its own; under Reference, an elementwise
// layer runs one value at a time; everything else runs its own definition. Under Checked, a
// layer runs as under Fused, between the checks of checked.hpp.
#include <cstddef>
#include <type_traits>

#include "typenn/concepts/combinator.hpp"
#include "typenn/execution/checked.hpp"
#include "typenn/execution/fused_stage.hpp"
#include "typenn/execution/plan.hpp"
#include "typenn/execution/policy.hpp"
#include "typenn/fusion.hpp"
#include "typenn/layers/elementwise.hpp"
#include "typenn/width.hpp"

namespace typenn::execution {

template <class S, class L>
inline constexpr bool as_product_stage = std::is_same_v<S, Fused> && is_product<L>;

// An elementwise layer's definition, its element functions, applied one scalar at a time:
// what Reference runs, without the batches of the fused stage and of the layer's own passes.
template <class L>
struct ValueByValue {
    template <std::size_t W, class T, class State>
    static void forward(const State& s, const T* x, T* y, std::size_t rows) {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < W; ++c) y[r * W + c] = L::forward_element(s, x[r * W + c], c);
    }

    template <std::size_t W, class T, class State>
    static void backward(State& s, const T* x, const T* y, const T* dy, T* dx, std::size_t rows) {
        const T* saved = L::backward_reads == Reads::input ? x : y;
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < W; ++c) {
                const T d = L::backward_element(s, dy[r * W + c], saved[r * W + c], c);
                if (dx) dx[r * W + c] = d;
            }
    }
};

template <class S, class L>
inline constexpr bool value_by_value =
    std::is_same_v<S, Reference> && fusion::has_role<L, fusion::elementwise>;

template <class S, class L>
struct LayerRunner {
    // A shortcut to add (ShortcutAdd) reaches only a Seq that ends in a product's stage, or a
    // product: a Residual's body, under Fused (plan.hpp's ends_in_product_stage).
    template <std::size_t W, std::size_t B, class T, class State, class Add = NoShortcut>
    static void forward(const State& s, const T* x, T* y, const Add& add = {}) {
        static_assert(!adds_shortcut<Add> || Combinator<L> || as_product_stage<S, L>);
        if constexpr (Combinator<L> && adds_shortcut<Add>)
            L::template forward<W, B, S>(s, x, y, add);
        else if constexpr (Combinator<L>)
            L::template forward<W, B, S>(s, x, y);
        else if constexpr (as_product_stage<S, L>)
            FusedStage<L, void>::template forward<B>(lone(s, none(), y), x, y, add);
        else if constexpr (value_by_value<S, L>)
            ValueByValue<L>::template forward<W>(s, x, y, B);
        else
            L::template forward<W, B>(s, x, y);
    }

    template <std::size_t W, class T, class State, class Tape, class Add = NoShortcut>
    static void forward_train(State& s, Tape& t, const T* x, T* y, std::size_t rows,
                              const Add& add = {}) {
        static_assert(!adds_shortcut<Add> || Combinator<L> || as_product_stage<S, L>);
        if constexpr (Combinator<L> && adds_shortcut<Add>)
            L::template forward_train<W, S>(s, t, x, y, rows, add);
        else if constexpr (Combinator<L>)
            L::template forward_train<W, S>(s, t, x, y, rows);
        else if constexpr (as_product_stage<S, L>)
            FusedStage<L, void>::forward_train(lone(s, &t, y), x, rows, add);
        else if constexpr (value_by_value<S, L>)
            ValueByValue<L>::template forward<W>(s, x, y, rows);
        else
            L::template forward_train<W>(s, t, x, y, rows);
    }

    // A lone product needs no scratch: its post-ops' backward only adds to its bias gradient.
    template <std::size_t W, class T, class State, class Tape>
    static void backward(State& s, Tape& t, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t rows) {
        if constexpr (Combinator<L>)
            L::template backward<W, S>(s, t, x, y, dy, dx, rows);
        else if constexpr (as_product_stage<S, L>)
            FusedStage<L, void>::template backward<false>(lone(s, &t, y), x, dy,
                                                          static_cast<T*>(nullptr), dx, rows);
        else if constexpr (value_by_value<S, L>)
            ValueByValue<L>::template backward<W>(s, x, y, dy, dx, rows);
        else
            L::template backward<W>(s, t, x, y, dy, dx, rows);
    }

private:
    static constexpr std::nullptr_t* none() { return nullptr; }

    template <class State, class Tape, class Pointer>
    static LoneProduct<State, Tape, Pointer> lone(State& s, Tape* t, Pointer y) {
        return {s, t, y};
    }
};

// A combinator's own outputs are checked too: a Residual's sum of two finite branches can
// overflow. Its parameters and their gradients are its parts', checked by them.
template <class L>
struct LayerRunner<Checked, L> {
    template <std::size_t W, std::size_t B, class T, class State>
    static void forward(const State& s, const T* x, T* y) {
        if constexpr (Combinator<L>) {
            L::template forward<W, B, Checked>(s, x, y);
        } else {
            checked::parameters<L>(s, checked::Pass::inference_forward);
            LayerRunner<Fused, L>::template forward<W, B>(s, x, y);
        }
        checked::batch<L>(y, B, output_width<L>(W), checked::Kind::activation,
                          checked::Pass::inference_forward);
    }

    template <std::size_t W, class T, class State, class Tape>
    static void forward_train(State& s, Tape& t, const T* x, T* y, std::size_t rows) {
        if constexpr (Combinator<L>) {
            L::template forward_train<W, Checked>(s, t, x, y, rows);
        } else {
            checked::parameters<L>(s, checked::Pass::training_forward);
            LayerRunner<Fused, L>::template forward_train<W>(s, t, x, y, rows);
        }
        checked::batch<L>(y, rows, output_width<L>(W), checked::Kind::activation,
                          checked::Pass::training_forward);
    }

    template <std::size_t W, class T, class State, class Tape>
    static void backward(State& s, Tape& t, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t rows) {
        if constexpr (Combinator<L>) {
            L::template backward<W, Checked>(s, t, x, y, dy, dx, rows);
        } else {
            LayerRunner<Fused, L>::template backward<W>(s, t, x, y, dy, dx, rows);
            checked::gradients<L>(s);
        }
        if (dx) checked::batch<L>(dx, rows, W, checked::Kind::gradient, checked::Pass::backward);
    }
};

}  // namespace typenn::execution
