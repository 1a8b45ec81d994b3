// SPDX-License-Identifier: BSL-1.0
#pragma once
// Seq<L...>: the layers applied one after another, as nn.Sequential (keys "0.", "1.", ...).
// Shape rule: each layer takes the width the previous one gives; a Seq takes the width of its
// first layer with a fixed width and gives what its last layer gives. Each layer is first held
// to the layer protocol (diagnostic/layer_contract.hpp).
// How a Seq is executed is decided in one place, typenn/execution/seq_runner.hpp.
#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>

#include "typenn/array.hpp"
#include "typenn/concepts/layer.hpp"
#include "typenn/diagnostic/layer_contract.hpp"
#include "typenn/detail/static_for.hpp"
#include "typenn/diagnostic/shape_errors.hpp"
#include "typenn/execution/seq_runner.hpp"
#include "typenn/key_path.hpp"
#include "typenn/tensor.hpp"
#include "typenn/width.hpp"

namespace typenn {

template <class... L>
struct Seq {
    static_assert(sizeof...(L) > 0, "typenn: Seq<> needs at least one layer");

    static constexpr std::size_t size = sizeof...(L);
    static constexpr bool is_combinator = true;
    template <std::size_t I>
    using layer = std::tuple_element_t<I, std::tuple<L...>>;

    static constexpr std::size_t in_features = [] {
        std::size_t takes = any_width;
        ((takes = takes == any_width ? checked_shape<L>::in_features : takes), ...);
        return takes;
    }();

    // widths<W>[i] is the width layer i receives when the Seq receives W; widths<W>[size] is
    // the width the Seq gives.
    template <std::size_t W>
    static constexpr std::array<std::size_t, size + 1> widths = [] {
        std::array<std::size_t, size + 1> w{W};
        std::size_t i = 0;
        ((w[i + 1] = output_width<checked_shape<L>>(w[i]), ++i), ...);
        return w;
    }();

    static constexpr std::size_t out_features = widths<in_features>[size];

private:
    static constexpr bool children_valid = (checked_shape<L>::valid && ...);

    static constexpr std::size_t first_mismatch = [] {
        constexpr auto w = widths<in_features>;
        std::size_t at = size, i = 0;
        ((at = (at == size && !widths_agree(checked_shape<L>::in_features, w[i])) ? i : at, ++i), ...);
        return at;
    }();

    // Instantiating the diagnostic is what prints it; a child that failed has printed its
    // own already, so the Seq stays silent then.
    template <std::size_t I>
    static constexpr bool report() {
        if constexpr (I < size)
            return diagnostic::input_width_mismatch<
                layer<I>, diagnostic::position_in_seq<I>,
                diagnostic::takes_width<layer<I>::in_features>,
                diagnostic::receives_width<widths<in_features>[I]>>::reported;
        return true;
    }
    static_assert(report<children_valid ? first_mismatch : size>());

public:
    static constexpr bool valid = children_valid && first_mismatch == size;

    static std::string name() {
        std::string out = "Seq<";
        ((out += L::name(), out += ", "), ...);
        out.resize(out.size() - 2);
        return out + ">";
    }

    // The widest activation between two layers: the size of the scratch buffers.
    template <std::size_t W>
    static constexpr std::size_t widest_inner = [] {
        std::size_t widest = 0;
        for (std::size_t i = 1; i < size; ++i) widest = std::max(widest, widths<W>[i]);
        return widest;
    }();

    // The widest layer output: the size of a fused stage's scratch gradient.
    template <std::size_t W>
    static constexpr std::size_t widest_output = [] {
        std::size_t widest = 0;
        for (std::size_t i = 1; i <= size; ++i) widest = std::max(widest, widths<W>[i]);
        return widest;
    }();

private:
    template <std::size_t W, class T, std::size_t... I>
    static auto states_of(std::index_sequence<I...>)
        -> boost::hana::tuple<typename layer<I>::template state<widths<W>[I], T>...>;

    template <std::size_t W, class T, std::size_t B, std::size_t... I>
    static auto tapes_of(std::index_sequence<I...>)
        -> boost::hana::tuple<typename layer<I>::template tape<widths<W>[I], T, B>...>;

    template <std::size_t W, class T, std::size_t B, std::size_t... I>
    static auto activations_of(std::index_sequence<I...>)
        -> boost::hana::tuple<Array<T, B * widths<W>[I + 1]>...>;

public:
    template <std::size_t W, class T>
    struct state {
        decltype(states_of<W, T>(std::make_index_sequence<size>{})) children;

        template <std::size_t I> auto& get() { return boost::hana::at_c<I>(children); }
        template <std::size_t I> const auto& get() const { return boost::hana::at_c<I>(children); }

        template <class Self, class F>
        static constexpr void visit(Self& self, const KeyPath& at, F& f) {
            detail::static_for<size>([&](auto i) {
                using child = typename layer<i>::template state<widths<W>[i], T>;
                child::visit(boost::hana::at_c<i>(self.children), at / std::size_t(i), f);
            });
        }
    };

    template <std::size_t W, class T, std::size_t B>
    struct tape {
        decltype(tapes_of<W, T, B>(std::make_index_sequence<size>{})) children;
        // The output of every layer but the last: the input its successor's backward needs.
        decltype(activations_of<W, T, B>(std::make_index_sequence<size - 1>{})) activations;
        Array<T, B * widest_inner<W>> gradient_a, gradient_b;
        Array<T, B * widest_output<W>> stage_gradient;
    };

    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>& s, Rng& rng) {
        detail::static_for<size>([&](auto i) {
            layer<i>::template reset_parameters<widths<W>[i]>(s.template get<i>(), rng);
        });
    }

    // add: a Residual's shortcut, for the last stage to add (execution::ShortcutAdd).
    template <std::size_t W, std::size_t B, class Policy, class T,
              class Add = execution::NoShortcut>
    static void forward(const state<W, T>& s, const T* x, T* y, const Add& add = {}) {
        execution::SeqRunner<Seq, Policy>::template forward<W, B>(s, x, y, add);
    }

    template <std::size_t W, class Policy, class T, std::size_t B,
              class Add = execution::NoShortcut>
    static void forward_train(state<W, T>& s, tape<W, T, B>& t, const T* x, T* y,
                              std::size_t rows, const Add& add = {}) {
        execution::SeqRunner<Seq, Policy>::template forward_train<W>(s, t, x, y, rows, add);
    }

    template <std::size_t W, class Policy, class T, std::size_t B>
    static void backward(state<W, T>& s, tape<W, T, B>& t, const T* x, const T* y,
                         const T* dy, T* dx, std::size_t rows) {
        execution::SeqRunner<Seq, Policy>::template backward<W>(s, t, x, y, dy, dx, rows);
    }
};

}  // namespace typenn
