// SPDX-License-Identifier: BSL-1.0
#pragma once
// The one place that decides how a Seq runs: which buffer each stage reads and writes, and in
// which order stages run forward and backward. Under Reference and Checked every layer is a
// stage; under Fused the planner (plan.hpp) groups a product, a normalisation and elementwise
// layers into one stage (fused_stage.hpp).
// The tape is the same under all: every layer's output has its slot, whether or not a fused
// stage needs to write it.
#include <array>
#include <cstddef>
#include <type_traits>

#include <boost/hana/at.hpp>

#include "typenn/array.hpp"
#include "typenn/detail/static_for.hpp"
#include "typenn/execution/checked.hpp"
#include "typenn/execution/fused_stage.hpp"
#include "typenn/execution/layer_runner.hpp"
#include "typenn/execution/plan.hpp"
#include "typenn/execution/policy.hpp"

namespace typenn::execution {

template <class Seq, class S>
struct SeqRunner;

// Where a Seq's tape keeps the output of its layer I; the last layer's output is the Seq's, y.
template <std::size_t I, std::size_t Size, class Tape, class Pointer>
Pointer output_slot(Tape& t, Pointer y) {
    if constexpr (I == Size - 1)
        return y;
    else
        return boost::hana::at_c<I>(t.activations).data();
}

// The layers First, First + 1, … of a Seq as a fused stage reaches them (fused_stage.hpp):
// their states, their tapes (none at inference) and the slots of their outputs, the last
// layer's output being the Seq's.
template <std::size_t First, std::size_t Size, class State, class Tape, class Pointer>
struct SeqStageParts {
    State& s;
    Tape* t;
    Pointer y;

    template <std::size_t K>
    auto& state() const {
        return s.template get<First + K>();
    }
    template <std::size_t K>
    auto& tape() const {
        return boost::hana::at_c<First + K>(t->children);
    }
    template <std::size_t K>
    Pointer output() const {
        return output_slot<First + K, Size>(*t, y);
    }
};

template <template <class...> class SeqOf, class... L, class S>
struct SeqRunner<SeqOf<L...>, S> {
    using Seq = SeqOf<L...>;
    static constexpr std::size_t size = sizeof...(L);

    static constexpr std::array<std::size_t, size> lengths = [] {
        if constexpr (std::is_same_v<S, Fused>) {
            return stage_lengths<L...>();
        } else {
            std::array<std::size_t, size> one{};
            one.fill(1);
            return one;
        }
    }();

    // Stages are numbered in order; intermediate results ping-pong by that number.
    static constexpr std::array<std::size_t, size> ordinal = [] {
        std::array<std::size_t, size> n{};
        std::size_t stages = 0;
        for (std::size_t i = 0; i < size; ++i) n[i] = lengths[i] ? stages++ : 0;
        return n;
    }();

    // Inference: stage outputs ping-pong between two stack buffers sized for the widest. A
    // shortcut to add (a Residual's whose body this is) goes to the last stage, a product's
    // (ends_in_product_stage).
    template <std::size_t W, std::size_t B, class T, class State, class Add = NoShortcut>
    static void forward(const State& s, const T* x, T* y, const Add& add = {}) {
        static_assert(!adds_shortcut<Add> || adds_in_last_stage);
        Array<T, B * Seq::template widest_inner<W>> ping, pong;
        T* const buffers[2] = {ping.data(), pong.data()};
        for_each_stage([&](auto first, auto last) {
            constexpr std::size_t n = ordinal[first];
            const T* in = first == 0 ? x : buffers[(n + 1) % 2];
            T* out = last == size - 1 ? y : buffers[n % 2];
            if constexpr (is_fused_stage<first>)
                stage<first>::template forward<B>(
                    SeqStageParts<first, size, const State, std::nullptr_t, T*>{s, nullptr, out},
                    in, out, add_at<last>(add));
            else
                LayerRunner<S, layer<first>>::template forward<width<W, first>, B>(
                    s.template get<first>(), in, out);
        });
    }

    // Training: every layer's output has its slot in the tape.
    template <std::size_t W, class T, class State, class Tape, class Add = NoShortcut>
    static void forward_train(State& s, Tape& t, const T* x, T* y, std::size_t rows,
                              const Add& add = {}) {
        static_assert(!adds_shortcut<Add> || adds_in_last_stage);
        for_each_stage([&](auto first, auto last) {
            const T* in = input_of<first>(t, x);
            if constexpr (is_fused_stage<first>)
                stage<first>::forward_train(parts<first>(s, t, y), in, rows, add_at<last>(add));
            else
                LayerRunner<S, layer<first>>::template forward_train<width<W, first>>(
                    s.template get<first>(), boost::hana::at_c<first>(t.children), in,
                    output_of<first>(t, y), rows);
        });
    }

    // Backward, last stage first; gradients between stages ping-pong between two tape
    // buffers by stage number: stage n reads its output gradient from buffer n % 2 and writes
    // its input gradient to the other. Where a product's stage follows another, its dX product
    // applies the other's post-ops' backward to each value before storing it
    // (runs_previous_post_ops).
    template <std::size_t W, class T, class State, class Tape>
    static void backward(State& s, Tape& t, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t rows) {
        T* const gradients[2] = {t.gradient_a.data(), t.gradient_b.data()};
        for_each_stage_reverse([&](auto first, auto last) {
            constexpr std::size_t n = ordinal[first];
            const T* output_gradient = last == size - 1 ? dy : gradients[n % 2];
            T* input_gradient = first == 0 ? dx : gradients[(n + 1) % 2];
            const T* in = input_of<first>(t, x);
            if constexpr (is_fused_stage<first>) {
                constexpr std::size_t previous = previous_stage[first];
                const auto previous_parts = parts<previous>(s, t, y);
                const auto dx_epilogue = [&] {
                    if constexpr (runs_previous_post_ops<first>)
                        return stage<previous>::post_ops_backward(previous_parts);
                    else
                        return StoreAsIs{};
                }();
                stage<first>::template backward<post_ops_run_by_next<first>>(
                    parts<first>(s, t, y), in, output_gradient, t.stage_gradient.data(),
                    input_gradient, rows, dx_epilogue);
            } else {
                LayerRunner<S, layer<first>>::template backward<width<W, first>>(
                    s.template get<first>(), boost::hana::at_c<first>(t.children), in,
                    output_of<first>(t, y), output_gradient, input_gradient, rows);
            }
        });
    }

private:
    template <std::size_t I>
    using layer = typename Seq::template layer<I>;

    template <std::size_t W, std::size_t I>
    static constexpr std::size_t width = Seq::template widths<W>[I];

    template <class Role, std::size_t I>
    static constexpr bool layer_has_role = I < size && fusion::has_role<layer<(I < size ? I : 0)>, Role>;

    // The stage starting at First as a FusedStage: its product, then its normalisation if the
    // layer after the product is one, then the rest of its layers, elementwise.
    template <std::size_t First,
              bool Norm = (lengths[First] > 1 && layer_has_role<fusion::normalisation, First + 1>),
              class = std::make_index_sequence<lengths[First] - 1 - Norm>>
    struct stage_of;
    template <std::size_t First, bool Norm, std::size_t... J>
    struct stage_of<First, Norm, std::index_sequence<J...>> {
        using type = FusedStage<layer<First>, std::conditional_t<Norm, layer<First + Norm>, void>,
                                layer<First + 1 + Norm + J>...>;
    };
    template <std::size_t First>
    using stage = typename stage_of<First>::type;

    template <std::size_t First>
    static constexpr bool is_fused_stage = lengths[First] > 1 || as_product_stage<S, layer<First>>;

    template <std::size_t First, class State, class Tape, class Pointer>
    static auto parts(State& s, Tape& t, Pointer y) {
        return SeqStageParts<First, size, State, Tape, Pointer>{s, &t, y};
    }

    // previous_stage[i]: where the stage before the one starting at layer i starts.
    static constexpr std::array<std::size_t, size> previous_stage = [] {
        std::array<std::size_t, size> previous{};
        for (std::size_t i = 0, start = 0; i < size; ++i)
            if (lengths[i] > 0) {
                previous[i] = start;
                start = i;
            }
        return previous;
    }();

    // Under Checked, where a stage is one layer, an error from a stage gets its index.
    template <class F>
    static void for_each_stage(F&& f) {
        detail::static_for<size>([&](auto i) {
            if constexpr (lengths[i] > 0)
                within<S>(std::size_t(i), [&] { f(i, detail::index<i + lengths[i] - 1>{}); });
        });
    }

    template <class F>
    static void for_each_stage_reverse(F&& f) {
        detail::static_for_reverse<size>([&](auto i) {
            if constexpr (lengths[i] > 0)
                within<S>(std::size_t(i), [&] { f(i, detail::index<i + lengths[i] - 1>{}); });
        });
    }

    static constexpr bool adds_in_last_stage = std::is_same_v<S, Fused> && ends_in_product_stage<Seq>;

    template <std::size_t Last, class Add>
    static auto add_at(const Add& add) {
        if constexpr (Last == size - 1)
            return add;
        else
            return NoShortcut{};
    }

    template <std::size_t I, class Tape, class T>
    static const T* input_of(Tape& t, const T* x) {
        if constexpr (I == 0)
            return x;
        else
            return boost::hana::at_c<I - 1>(t.activations).data();
    }

    template <std::size_t I, class Tape, class Pointer>
    static Pointer output_of(Tape& t, Pointer y) {
        return output_slot<I, size>(t, y);
    }

public:
    // Whether the stage starting at First applies the previous stage's post-ops' backward to
    // its dX: both are a product's (plan.hpp's follows_product_stage), and the previous one has
    // post-ops to run; and so whether the previous one finds them run.
    template <std::size_t First>
    static constexpr bool runs_previous_post_ops = [] {
        if constexpr (std::is_same_v<S, Fused> && follows_product_stage<L...>()[First])
            return stage<previous_stage[First]>::has_post_ops_backward;
        else
            return false;
    }();

private:
    template <std::size_t First>
    static constexpr bool post_ops_run_by_next = [] {
        if constexpr (First + lengths[First] >= size)
            return false;
        else
            return runs_previous_post_ops<First + lengths[First]>;
    }();
};

}  // namespace typenn::execution
