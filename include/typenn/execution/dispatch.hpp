#pragma once
// Runs one layer under a schedule: combinators pass the schedule on to their parts; under
// Fused, a Linear is a stage of its own; everything else runs its own definition. Under
// Checked, a layer runs as under Fused, between the checks of checked.hpp.
#include <cstddef>
#include <type_traits>

#include "typenn/execution/checked.hpp"
#include "typenn/execution/linear_stage.hpp"
#include "typenn/execution/plan.hpp"
#include "typenn/execution/schedule.hpp"
#include "typenn/width.hpp"

namespace typenn::execution {

template <class L>
concept Combinator = L::is_combinator;

template <class S, class L>
inline constexpr bool as_linear_stage = std::is_same_v<S, Fused> && is_linear<L>;

template <class S, class L>
struct Run {
    // A shortcut to add (ShortcutAdd) reaches only a Seq or a Linear that ends in a Linear's
    // stage: a Residual's body, under Fused (plan.hpp's ends_in_linear_stage).
    template <std::size_t W, std::size_t B, class T, class State, class Add = NoShortcut>
    static void forward(const State& s, const T* x, T* y, const Add& add = {}) {
        static_assert(!adds_shortcut<Add> || Combinator<L> || as_linear_stage<S, L>);
        if constexpr (Combinator<L> && adds_shortcut<Add>)
            L::template forward<W, B, S>(s, x, y, add);
        else if constexpr (Combinator<L>)
            L::template forward<W, B, S>(s, x, y);
        else if constexpr (as_linear_stage<S, L>)
            LinearStage<L, void, void>::template forward<B>(s, none(), x, y, add);
        else
            L::template forward<W, B>(s, x, y);
    }

    template <std::size_t W, class T, class State, class Tape, class Add = NoShortcut>
    static void forward_train(State& s, Tape& t, const T* x, T* y, std::size_t rows,
                              const Add& add = {}) {
        static_assert(!adds_shortcut<Add> || Combinator<L> || as_linear_stage<S, L>);
        if constexpr (Combinator<L> && adds_shortcut<Add>)
            L::template forward_train<W, S>(s, t, x, y, rows, add);
        else if constexpr (Combinator<L>)
            L::template forward_train<W, S>(s, t, x, y, rows);
        else if constexpr (as_linear_stage<S, L>)
            LinearStage<L, void, void>::forward_train(s, t.workspace, none(), none(), x, y, y, y,
                                                      rows, add);
        else
            L::template forward_train<W>(s, t, x, y, rows);
    }

    // A lone Linear needs no scratch: its intake only adds to its bias gradient.
    template <std::size_t W, class T, class State, class Tape>
    static void backward(State& s, Tape& t, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t rows) {
        if constexpr (Combinator<L>)
            L::template backward<W, S>(s, t, x, y, dy, dx, rows);
        else if constexpr (as_linear_stage<S, L>)
            LinearStage<L, void, void>::template backward<false>(s, none(), none(), x, y, y, dy,
                                                 static_cast<T*>(nullptr), dx, rows);
        else
            L::template backward<W>(s, t, x, y, dy, dx, rows);
    }

private:
    static constexpr std::nullptr_t* none() { return nullptr; }
};

// A combinator's own outputs are checked too: a Residual's sum of two finite branches can
// overflow. Its parameters and their gradients are its parts', checked by them.
template <class L>
struct Run<Checked, L> {
    template <std::size_t W, std::size_t B, class T, class State>
    static void forward(const State& s, const T* x, T* y) {
        if constexpr (Combinator<L>) {
            L::template forward<W, B, Checked>(s, x, y);
        } else {
            checked::parameters<L>(s, checked::Pass::inference_forward);
            Run<Fused, L>::template forward<W, B>(s, x, y);
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
            Run<Fused, L>::template forward_train<W>(s, t, x, y, rows);
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
            Run<Fused, L>::template backward<W>(s, t, x, y, dy, dx, rows);
            checked::gradients<L>(s);
        }
        if (dx) checked::batch<L>(dx, rows, W, checked::Kind::gradient, checked::Pass::backward);
    }
};

}  // namespace typenn::execution
