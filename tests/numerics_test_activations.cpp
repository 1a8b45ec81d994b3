// SPDX-License-Identifier: BSL-1.0
// Sigmoid, Tanh and ELU at ±1e4 and around the points where exp over- or underflows in
// float32 (±89, ±100): forward (inference and training) and backward against PyTorch.
#include "numerics_test_support.hpp"

using namespace typenn;
using namespace typenn::numerics_test;

namespace {
constexpr std::size_t rows = 2, width = 8;  // ACTIVATION_X as 2 rows of 8

// The activation behind a Linear that passes x through exactly (identity weight, zero bias:
// every other term of each sum is ±0), so that the model computes the activation alone and
// dL/dx is the activation's own backward.
template <class Activation, class T>
void require_activation(std::string_view name) {
    using Net = Seq<Linear<width, width>, Activation>;
    const Fixture expected = fixture("activations");
    const std::string prefix(name);
    const Tolerance tol = tolerance<T>;
    Model<Net, T> model;
    {
        auto state = model.edit();
        auto& pass = state->template get<0>();
        pass.weight.fill(T(0));
        for (std::size_t i = 0; i < width; ++i) pass.weight(i, i) = T(1);
        pass.bias.fill(T(0));
    }
    const auto x = expected.tensor<T, rows, width>(key<T>("x"));
    const auto y_expected = expected.values(key<T>(prefix + ".y"));

    const auto y = model.forward(x);
    require_close(y, y_expected, tol, prefix + " inference y");
    CHECK(all_finite(y));
    Tape<Net, rows, T> tape;
    require_close(model.forward(x, tape), y_expected, tol, prefix + " training y");
    BasicTensor<T, rows, width> dx;
    model.backward(tape, expected.tensor<T, rows, width>(key<T>("dy")), dx);
    require_close(dx, expected.values(key<T>(prefix + ".dx")), tol, prefix + " dx");
    CHECK(all_finite(dx));
}
}  // namespace

TEMPLATE_TEST_CASE("Sigmoid, Tanh and ELU at ±1e4 match PyTorch, forward and backward", "",
                   float, double) {
    using T = TestType;
    SECTION("Sigmoid") { require_activation<Sigmoid, T>("sigmoid"); }
    SECTION("Tanh") { require_activation<Tanh, T>("tanh"); }
    SECTION("ELU") { require_activation<ELU<>, T>("elu"); }
    SECTION("ELU<0.5f>") { require_activation<ELU<0.5f>, T>("elu_0.5"); }
}
