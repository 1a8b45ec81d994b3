// SPDX-License-Identifier: BSL-1.0
#pragma once
// Layers written outside the library, as a user writes them on the layer protocol
// (docs/06-extending.md): an activation whose derivative needs its input, and an elementwise
// layer with parameters. The tests fuse, check, save and load them as any other layer.
#include <cstddef>
#include <string>

#include <typenn/typenn.hpp>

namespace user_layers {

// Softsign: x / (1 + |x|), whose derivative 1 / (1 + |x|)² reads the input.
struct Softsign : typenn::Pointwise<Softsign> {
    static constexpr typenn::Reads backward_reads = typenn::Reads::input;
    static std::string name() { return "Softsign"; }
    template <class V>
    static V value(V x) {
        using std::abs;
        return typenn::kernels::simd::divide(x, V(1) + abs(x));
    }
    template <class V>
    static V derivative(V x) {
        using std::abs;
        const V d = V(1) + abs(x);
        return typenn::kernels::simd::divide(V(1), d * d);
    }
};

// Scale<N>: y = x · weight per column, the weight learnt and starting at 1.
template <std::size_t N>
struct Scale : typenn::Elementwise<Scale<N>> {
    static constexpr std::size_t in_features = N, out_features = N;
    static constexpr bool valid = true;
    static constexpr typenn::Reads backward_reads = typenn::Reads::input;
    static std::string name() { return "Scale<" + std::to_string(N) + ">"; }

    template <std::size_t W, class T>
    struct state {
        typenn::Array<T, N> weight, weight_grad;
        template <class Self, class F>
        static constexpr void visit(Self& self, const typenn::KeyPath& at, F& f) {
            f(at / "weight", typenn::Parameter{self.weight, self.weight_grad});
        }
    };

    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>& s, Rng&) {
        s.weight.fill(T(1));
    }

    template <class V, class State>
    static V forward_element(const State& s, V x, std::size_t column) {
        return x * typenn::kernels::simd::load_as<V>(s.weight.data() + column);
    }

    template <class V, class State>
    static V backward_element(State& s, V dy, V x, std::size_t column) {
        using typenn::kernels::simd::load_as, typenn::kernels::simd::store_at;
        auto* grad = s.weight_grad.data() + column;
        store_at(grad, typenn::kernels::simd::multiply_add(dy, x, load_as<V>(grad)));
        return dy * load_as<V>(s.weight.data() + column);
    }
};

}  // namespace user_layers
