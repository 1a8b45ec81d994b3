// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: a layer fused as elementwise or as a normalisation must give the width it takes
// context: layer_lacks<Widen, typenn::diagnostic::member::same_width>
#include <cstddef>
#include <string>

#include <typenn/typenn.hpp>
using namespace typenn;

// An elementwise layer that claims to give more columns than it takes: a fused stage indexes
// its values by one width.
struct Widen : Elementwise<Widen> {
    static constexpr std::size_t in_features = 4, out_features = 8;
    static constexpr bool valid = true;
    static constexpr Reads backward_reads = Reads::output;
    static std::string name() { return "Widen"; }
    template <std::size_t W, class T>
    struct state {
        template <class Self, class F>
        static void visit(Self&, const KeyPath&, F&) {}
    };
    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>&, Rng&) {}
    template <class V, class State>
    static V forward_element(const State&, V x, std::size_t) { return x; }
    template <class V, class State>
    static V backward_element(const State&, V dy, V, std::size_t) { return dy; }
};

int main() {
    Model<Seq<Linear<2, 4>, Widen, Linear<8, 1>>> model;
    Tensor<2, 2> x{};
    Tensor<2, 1> y = model.forward(x);
    (void)y;
}
