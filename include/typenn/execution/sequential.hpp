#pragma once
// The one place that decides how a Seq runs: which buffer each layer reads and writes, in
// which order layers run forward and backward. Today every layer runs on its own through the
// reference kernels; a fusion planner replaces this schedule without touching layers or API.
#include <cstddef>

#include <boost/hana/at.hpp>

#include "typenn/array.hpp"
#include "typenn/detail/static_for.hpp"
#include "typenn/tensor.hpp"

namespace typenn::execution {

template <class Seq>
struct Sequential {
    static constexpr std::size_t size = Seq::size;

    // Inference: activations ping-pong between two stack buffers sized for the widest one.
    template <std::size_t W, std::size_t B, class T, class State>
    static void forward(const State& s, const T* x, T* y) {
        constexpr auto w = Seq::template widths<W>;
        Array<T, B * Seq::template inner_width<W>> ping, pong;
        T* const buffers[2] = {ping.data(), pong.data()};
        detail::static_for<size>([&](auto i) {
            constexpr std::size_t I = i;
            const T* in = I == 0 ? x : buffers[(I + 1) % 2];
            T* out = I == size - 1 ? y : buffers[I % 2];
            Seq::template layer<I>::template forward<w[I], B>(s.template get<I>(), in, out);
        });
    }

    // Training: every intermediate activation is kept in the tape for backward.
    template <std::size_t W, class T, class State, class Tape>
    static void forward_train(State& s, Tape& t, const T* x, T* y, std::size_t rows) {
        constexpr auto w = Seq::template widths<W>;
        detail::static_for<size>([&](auto i) {
            constexpr std::size_t I = i;
            Seq::template layer<I>::template forward_train<w[I]>(
                s.template get<I>(), boost::hana::at_c<I>(t.children), input_of<I>(t, x),
                output_of<I>(t, y), rows);
        });
    }

    // Backward, last layer first; gradients between layers ping-pong between two tape
    // buffers: layer I reads its output gradient from buffer I % 2 and writes its input
    // gradient to the other one.
    template <std::size_t W, class T, class State, class Tape>
    static void backward(State& s, Tape& t, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t rows) {
        constexpr auto w = Seq::template widths<W>;
        T* const gradients[2] = {t.gradient_a.data(), t.gradient_b.data()};
        detail::static_for_reverse<size>([&](auto i) {
            constexpr std::size_t I = i;
            const T* output_gradient = I == size - 1 ? dy : gradients[I % 2];
            T* input_gradient = I == 0 ? dx : gradients[(I + 1) % 2];
            Seq::template layer<I>::template backward<w[I]>(
                s.template get<I>(), boost::hana::at_c<I>(t.children), input_of<I>(t, x),
                output_of<I>(t, y), output_gradient, input_gradient, rows);
        });
    }

private:
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
