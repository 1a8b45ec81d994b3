#pragma once
// The one place that decides how a Seq runs: which buffer each stage reads and writes, and in
// which order stages run forward and backward. Under Reference and Checked every layer is a
// stage; under Fused the planner (plan.hpp) groups Linear [+ BatchNorm] [+ activation] into
// one stage.
// The tape is the same under all: every layer's output has its slot, whether or not a fused
// stage needs to write it.
#include <array>
#include <cstddef>
#include <type_traits>

#include <boost/hana/at.hpp>

#include "typenn/array.hpp"
#include "typenn/detail/static_for.hpp"
#include "typenn/execution/checked.hpp"
#include "typenn/execution/dispatch.hpp"
#include "typenn/execution/linear_stage.hpp"
#include "typenn/execution/plan.hpp"
#include "typenn/execution/schedule.hpp"

namespace typenn::execution {

template <class Seq, class S>
struct Sequential;

template <template <class...> class SeqOf, class... L, class S>
struct Sequential<SeqOf<L...>, S> {
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
    // shortcut to add (a Residual's whose body this is) goes to the last stage, a Linear's
    // (ends_in_linear_stage).
    template <std::size_t W, std::size_t B, class T, class State, class Add = NoShortcut>
    static void forward(const State& s, const T* x, T* y, const Add& add = {}) {
        static_assert(!adds_shortcut<Add> || adds_in_last_stage);
        Array<T, B * Seq::template inner_width<W>> ping, pong;
        T* const buffers[2] = {ping.data(), pong.data()};
        for_each_stage([&](auto first, auto last) {
            constexpr std::size_t n = ordinal[first];
            const T* in = first == 0 ? x : buffers[(n + 1) % 2];
            T* out = last == size - 1 ? y : buffers[n % 2];
            if constexpr (is_linear_stage<first>)
                stage<first>::template forward<B>(s.template get<first>(), norm_state<first>(s), in, out,
                                                  add_at<last>(add));
            else
                Run<S, layer<first>>::template forward<width<W, first>, B>(s.template get<first>(), in, out);
        });
    }

    // Training: every layer's output has its slot in the tape.
    template <std::size_t W, class T, class State, class Tape, class Add = NoShortcut>
    static void forward_train(State& s, Tape& t, const T* x, T* y, std::size_t rows,
                              const Add& add = {}) {
        static_assert(!adds_shortcut<Add> || adds_in_last_stage);
        for_each_stage([&](auto first, auto last) {
            const T* in = input_of<first>(t, x);
            if constexpr (is_linear_stage<first>)
                stage<first>::forward_train(s.template get<first>(),
                                            boost::hana::at_c<first>(t.children).workspace,
                                            norm_state<first>(s), norm_tape<first>(t), in,
                                            output_of<first>(t, y),
                                            output_of<first + (lengths[first] > 1 ? 1 : 0)>(t, y),
                                            output_of<last>(t, y), rows, add_at<last>(add));
            else
                Run<S, layer<first>>::template forward_train<width<W, first>>(
                    s.template get<first>(), boost::hana::at_c<first>(t.children), in,
                    output_of<first>(t, y), rows);
        });
    }

    // Backward, last stage first; gradients between stages ping-pong between two tape
    // buffers by stage number: stage n reads its output gradient from buffer n % 2 and writes
    // its input gradient to the other. Where a Linear's stage follows another, its dX product
    // hands each value to the other's Intake before storing it (takes_in_for_previous).
    template <std::size_t W, class T, class State, class Tape>
    static void backward(State& s, Tape& t, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t rows) {
        T* const gradients[2] = {t.gradient_a.data(), t.gradient_b.data()};
        for_each_stage_reverse([&](auto first, auto last) {
            constexpr std::size_t n = ordinal[first];
            const T* output_gradient = last == size - 1 ? dy : gradients[n % 2];
            T* input_gradient = first == 0 ? dx : gradients[(n + 1) % 2];
            const T* in = input_of<first>(t, x);
            if constexpr (is_linear_stage<first>) {
                const auto take_dx = [&] {
                    if constexpr (takes_in_for_previous<first>) {
                        constexpr std::size_t previous = previous_stage[first];
                        return stage<previous>::intake(s.template get<previous>(),
                                                       norm_tape<previous>(t),
                                                       output_of<previous>(t, y), in);
                    } else {
                        return StoreAsIs{};
                    }
                }();
                stage<first>::template backward<taken_in_by_next<first>>(
                    s.template get<first>(), norm_state<first>(s), norm_tape<first>(t), in,
                    output_of<first>(t, y), output_of<last>(t, y), output_gradient,
                    t.stage_gradient.data(), input_gradient, rows, take_dx);
            } else {
                Run<S, layer<first>>::template backward<width<W, first>>(
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

    template <std::size_t First, std::size_t Offset>
    static constexpr bool stage_has = lengths[First] > Offset;

    // The stage starting at First as a LinearStage: the layer after the Linear is its
    // BatchNorm if it is one, the last its activation if it is one.
    template <std::size_t First>
    using stage = LinearStage<
        layer<First>,
        std::conditional_t<stage_has<First, 1> && is_batchnorm<layer<std::min(First + 1, size - 1)>>,
                           layer<std::min(First + 1, size - 1)>, void>,
        std::conditional_t<stage_has<First, 1> &&
                               is_activation<layer<std::min(First + lengths[First] - 1, size - 1)>>,
                           layer<std::min(First + lengths[First] - 1, size - 1)>, void>>;

    template <std::size_t First>
    static constexpr bool is_linear_stage = lengths[First] > 1 || as_linear_stage<S, layer<First>>;

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

    // Whether the stage starting at First applies the previous stage's Intake to its dX
    // (plan.hpp's takes_in_previous), and so whether the previous one finds its output
    // gradient taken in.
    template <std::size_t First>
    static constexpr bool takes_in_for_previous = [] {
        if constexpr (std::is_same_v<S, Fused>)
            return takes_in_previous<L...>()[First];
        else
            return false;
    }();

    template <std::size_t First>
    static constexpr bool taken_in_by_next = [] {
        if constexpr (First + lengths[First] >= size)
            return false;
        else
            return takes_in_for_previous<First + lengths[First]>;
    }();

    template <std::size_t First, class State>
    static auto* norm_state(State& s) {
        if constexpr (stage_has<First, 1> && is_batchnorm<layer<std::min(First + 1, size - 1)>>)
            return &s.template get<First + 1>();
        else
            return static_cast<std::nullptr_t*>(nullptr);
    }

    template <std::size_t First, class Tape>
    static auto* norm_tape(Tape& t) {
        if constexpr (stage_has<First, 1> && is_batchnorm<layer<std::min(First + 1, size - 1)>>)
            return &boost::hana::at_c<First + 1>(t.children);
        else
            return static_cast<std::nullptr_t*>(nullptr);
    }

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

    static constexpr bool adds_in_last_stage = std::is_same_v<S, Fused> && ends_in_linear_stage<Seq>;

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
        if constexpr (I == size - 1)
            return y;
        else
            return boost::hana::at_c<I>(t.activations).data();
    }
};

}  // namespace typenn::execution
