// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: the layer lacks `backward<W>(state&, tape&, x, y, dy, dx, rows)`
// context: layer_lacks<Doubler, typenn::diagnostic::member::backward>
#include <cstddef>
#include <string>

#include <typenn/typenn.hpp>
using namespace typenn;

// A layer with everything but backward.
struct Doubler {
    static constexpr std::size_t in_features = any_width, out_features = any_width;
    static constexpr bool valid = true;
    static std::string name() { return "Doubler"; }
    template <std::size_t W, class T>
    struct state {
        template <class Self, class F>
        static void visit(Self&, const KeyPath&, F&) {}
    };
    template <std::size_t W, class T, std::size_t B>
    struct tape {};
    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>&, Rng&) {}
    template <std::size_t W, std::size_t B, class T>
    static void forward(const state<W, T>&, const T* x, T* y) {
        for (std::size_t k = 0; k < B * W; ++k) y[k] = 2 * x[k];
    }
    template <std::size_t W, class T, std::size_t B>
    static void forward_train(state<W, T>&, tape<W, T, B>&, const T* x, T* y, std::size_t rows) {
        for (std::size_t k = 0; k < rows * W; ++k) y[k] = 2 * x[k];
    }
};

int main() {
    Model<Seq<Linear<4, 8>, Doubler, Linear<8, 1>>> model;
    Tensor<2, 4> x{};
    Tensor<2, 1> y = model.forward(x);
    (void)y;
}
