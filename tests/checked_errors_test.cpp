// SPDX-License-Identifier: BSL-1.0
// execution::Checked finds the first non-finite value of a pass and names it: the kind of
// value, the pass, the layer by key path and type, the element.
#include <cmath>
#include <limits>
#include <string>

#include "checked_support.hpp"
#include "test_nets.hpp"

using namespace typenn;
using namespace checked_test;
using Kind = NonFiniteError::Kind;
using Pass = NonFiniteError::Pass;

constexpr float nan_value = std::numeric_limits<float>::quiet_NaN();
constexpr float inf_value = std::numeric_limits<float>::infinity();

namespace {
using Net = Seq<Linear<4, 6>, ReLU, Residual<Seq<Linear<6, 6>, BatchNorm<6>, Tanh>>, Linear<6, 2>>;
}  // namespace

TEST_CASE("checked: a NaN parameter is named by its key, in both forward passes") {
    CheckedModel<Net> model;
    plant(model, "2.body.0.weight", 3 * 6 + 1, nan_value);
    Tensor<4, 4> x;
    fill_normal(x, 1);
    static Tape<Net, 4> tape;

    const auto training = error_of([&] { model.forward(x, tape); });
    REQUIRE(training);
    CHECK(training->kind() == Kind::parameter);
    CHECK(training->pass() == Pass::training_forward);
    CHECK(training->layer() == "2.body.0");
    CHECK(training->key() == "2.body.0.weight");
    CHECK(training->layer_name() == "Linear<6, 6>");
    CHECK(training->row() == 3);
    CHECK(training->column() == 1);
    CHECK(std::isnan(training->value()));
    CHECK(std::string(training->what()) ==
          "typenn: non-finite parameter in the training forward pass: parameter "
          "2.body.0.weight (Linear<6, 6>) at row 3, column 1 is nan");

    const auto inference = error_of([&] { model.forward(x); });
    REQUIRE(inference);
    CHECK(inference->pass() == Pass::inference_forward);
    CHECK(inference->key() == "2.body.0.weight");
}

TEST_CASE("checked: a buffer is checked before the layer that reads it") {
    CheckedModel<Net> model;
    plant(model, "2.body.1.running_var", 4, inf_value);
    Tensor<4, 4> x;
    fill_normal(x, 2);
    const auto error = error_of([&] { model.forward(x); });
    REQUIRE(error);
    CHECK(error->kind() == Kind::parameter);
    CHECK(error->key() == "2.body.1.running_var");
    CHECK(std::string(error->what()) ==
          "typenn: non-finite parameter in the inference forward pass: buffer "
          "2.body.1.running_var (BatchNorm<6>) at index 4 is inf");
}

TEST_CASE("checked: the layer whose output overflows first is named, with the element") {
    using Deep = Seq<Linear<4, 8>, Tanh, Linear<8, 8>, Linear<8, 8>, Linear<8, 3>>;
    CheckedModel<Deep> model;
    // Layer 2 gives up to 8·1e20, finite; layer 3's output column 5 multiplies that by 1e20.
    fill_parameters(model, "2", 1e20f, 0.f);
    for (std::size_t i = 0; i < 8; ++i) plant(model, "3.weight", 5 * 8 + i, 1e20f);
    Tensor<4, 4> x;
    fill_normal(x, 3);
    static Tape<Deep, 4> tape;
    const char* expected =
        "typenn: non-finite activation in the training forward pass: output of layer 3 "
        "(Linear<8, 8>) at row 0, column 5 is ";

    const auto training = error_of([&] { model.forward(x, tape); });
    REQUIRE(training);
    CHECK(training->kind() == Kind::activation);
    CHECK(training->layer() == "3");
    CHECK(training->key() == "3");
    CHECK(training->row() == 0);
    CHECK(training->column() == 5);
    CHECK(std::isinf(training->value()));
    CHECK_THAT(training->what(), Catch::StartsWith(expected) && Catch::EndsWith("inf"));

    const auto inference = error_of([&] { model.forward(x); });
    REQUIRE(inference);
    CHECK(inference->pass() == Pass::inference_forward);
    CHECK(inference->layer() == "3");
    CHECK(inference->column() == 5);
}

TEST_CASE("checked: a gradient that overflows in backward names the layer that passes it on") {
    using Deep = Seq<Linear<4, 8>, ReLU, Linear<8, 8>, Tanh, Linear<8, 2>>;
    CheckedModel<Deep> model;
    // Forward stays small: layer 0 scales by 1e-15, layer 2 by 1e14. Backward, a gradient
    // of 1e26 reaches layer 2 finite, and its product with layer 2's weights is not.
    fill_parameters(model, "0", 1e-15f, 0.f);
    fill_parameters(model, "2", 1e14f, 0.f);
    fill_parameters(model, "4", 0.5f, 0.f);
    Tensor<4, 4> x;
    x.fill(0.1f);
    static Tape<Deep, 4> tape;
    REQUIRE_FALSE(error_of([&] { model.forward(x, tape); }));
    Tensor<4, 2> dy;
    dy.fill(1e26f);

    const auto error = error_of([&] { model.backward(tape, dy); });
    REQUIRE(error);
    CHECK(error->kind() == Kind::gradient);
    CHECK(error->pass() == Pass::backward);
    CHECK(error->layer() == "2");
    CHECK(error->layer_name() == "Linear<8, 8>");
    CHECK(std::string(error->what()) ==
          "typenn: non-finite gradient in the backward pass: gradient that layer 2 "
          "(Linear<8, 8>) passes to its input at row 0, column 0 is inf");
}

TEST_CASE("checked: a parameter's gradient that overflows is named by the parameter's key") {
    using Small = Seq<Linear<4, 3>, ReLU, Linear<3, 2>>;
    CheckedModel<Small> model;
    // Hidden columns 0 and 1 are zero, column 2 is 4; only output 1 has a gradient.
    fill_parameters(model, "0", -1.f, 0.f);
    for (std::size_t i = 0; i < 4; ++i) plant(model, "0.weight", 2 * 4 + i, 1.f);
    Tensor<4, 4> x;
    x.fill(1.f);
    static Tape<Small, 4> tape;
    model.forward(x, tape);
    Tensor<4, 2> dy;
    for (std::size_t r = 0; r < 4; ++r) dy(r, 0) = 0.f, dy(r, 1) = 3e38f;

    const auto error = error_of([&] { model.backward(tape, dy); });
    REQUIRE(error);
    CHECK(error->kind() == Kind::gradient);
    CHECK(error->key() == "2.weight");
    CHECK(error->layer() == "2");
    CHECK(std::string(error->what()) ==
          "typenn: non-finite gradient in the backward pass: gradient of 2.weight "
          "(Linear<3, 2>) at row 1, column 2 is inf");
}

TEST_CASE("checked: key paths through nested residual blocks and their shortcuts") {
    using test_nets::NestedResidual;
    Tensor<6, 4> x;
    fill_normal(x, 4);
    static Tape<NestedResidual, 6> tape;

    SECTION("a body inside a body") {
        CheckedModel<NestedResidual> model;
        plant(model, "2.body.2.body.0.bias", 3, -inf_value);
        const auto error = error_of([&] { model.forward(x, tape); });
        REQUIRE(error);
        CHECK(error->layer() == "2.body.2.body.0");
        CHECK(std::string(error->what()) ==
              "typenn: non-finite parameter in the training forward pass: parameter "
              "2.body.2.body.0.bias (Linear<5, 5>) at index 3 is -inf");
    }
    SECTION("a shortcut") {
        CheckedModel<NestedResidual> model;
        plant(model, "3.shortcut.weight", 7, nan_value);
        const auto error = error_of([&] { model.forward(x); });
        REQUIRE(error);
        CHECK(error->key() == "3.shortcut.weight");
        CHECK(error->layer_name() == "Linear<5, 3>");
    }
    SECTION("a gradient deep in the backward pass") {
        CheckedModel<NestedResidual> model;
        model.forward(x, tape);
        plant(model, "2.body.2.body.1.weight", 2, nan_value, true);
        Tensor<6, 3> dy;
        fill_normal(dy, 5);
        const auto error = error_of([&] { model.backward(tape, dy); });
        REQUIRE(error);
        CHECK(error->kind() == Kind::gradient);
        CHECK(error->key() == "2.body.2.body.1.weight");
        CHECK(error->layer_name() == "BatchNorm<5>");
    }
}

TEST_CASE("checked: a residual block's sum is an activation of the block") {
    using Sum = Seq<Linear<4, 4>, Residual<Linear<4, 4>, Linear<4, 4>>>;
    CheckedModel<Sum> model;
    // Each branch gives 2e38, finite; their sum is not.
    fill_parameters(model, "1.body", 0.f, 2e38f);
    fill_parameters(model, "1.shortcut", 0.f, 2e38f);
    Tensor<2, 4> x;
    fill_normal(x, 6);
    const auto error = error_of([&] { model.forward(x); });
    REQUIRE(error);
    CHECK(std::string(error->what()) ==
          "typenn: non-finite activation in the inference forward pass: output of layer 1 "
          "(Residual<Linear<4, 4>, Linear<4, 4>>) at row 0, column 0 is inf");
}

TEST_CASE("checked: a model that is one layer names the layer by its type") {
    CheckedModel<Linear<3, 2>> model;
    plant(model, "weight", 4, nan_value);
    Tensor<2, 3> x;
    fill_normal(x, 7);
    const auto error = error_of([&] { model.forward(x); });
    REQUIRE(error);
    CHECK(error->layer().empty());
    CHECK(error->key() == "weight");
    CHECK(std::string(error->what()) ==
          "typenn: non-finite parameter in the inference forward pass: parameter weight "
          "(Linear<3, 2>) at row 1, column 1 is nan");
}

TEST_CASE("checked: with Rows{n}, rows past n are not looked at") {
    using Small = Seq<Linear<3, 4>, ReLU, Linear<4, 2>>;
    CheckedModel<Small> model;
    Tensor<6, 3> x;
    fill_normal(x, 8);
    for (std::size_t c = 0; c < 3; ++c) x(4, c) = nan_value, x(5, c) = inf_value;
    Tensor<6, 2> dy;
    fill_normal(dy, 9);
    dy(5, 1) = nan_value;
    static Tape<Small, 6> tape;
    CHECK_FALSE(error_of([&] { model.forward(x, tape, Rows{4}); }));
    CHECK_FALSE(error_of([&] { model.backward(tape, dy); }));

    x(3, 1) = nan_value;
    const auto error = error_of([&] { model.forward(x, tape, Rows{4}); });
    REQUIRE(error);
    CHECK(std::string(error->what()) ==
          "typenn: non-finite input in the training forward pass: the model's input x at row "
          "3, column 1 is nan");
}

// A layer whose name does not compile: every check names its layer, so a policy that
// instantiated a check for it would not build.
struct Unnamed : Pointwise<Unnamed> {
    template <class Self = Unnamed>
    static std::string name() {
        static_assert(sizeof(Self) == 0, "a check was instantiated for a layer under Fused or Reference");
        return {};
    }
    template <class V> static V value(V x) { return x; }
    template <class V> static V derivative(V) { return V(1); }
};

template <class Policy>
void run_unchecked() {
    using Plain = Seq<Linear<3, 3>, Tanh, Unnamed, Linear<3, 2>, Unnamed>;
    Model<Plain, float, Policy> model;
    plant(model, "0.weight", 0, nan_value);
    Tensor<2, 3> x;
    fill_normal(x, 10);
    static Tape<Plain, 2> tape;
    Tensor<2, 2> dy;
    fill_normal(dy, 11);
    CHECK(std::isnan(model.forward(x)(0, 0)));
    CHECK(std::isnan(model.forward(x, tape)(1, 1)));
    model.backward(tape, dy);
    CHECK(std::isnan(model.state().template get<0>().weight_grad(0, 1)));
}

TEST_CASE("checked: Fused and Reference contain no checks; non-finite values pass silently") {
    static_assert(sizeof(Model<Net, float, execution::Checked>) == sizeof(Model<Net>));
    run_unchecked<execution::Fused>();
    run_unchecked<execution::Reference>();
}

TEST_CASE("checked: the model's input and dy are checked before any layer, in their rows only") {
    CheckedModel<Net> model;
    Tensor<4, 4> x;
    fill_normal(x, 7);
    x(3, 2) = nan_value;

    const auto inference = error_of([&] { model.forward(x); });
    REQUIRE(inference);
    CHECK(inference->kind() == Kind::input);
    CHECK(inference->pass() == Pass::inference_forward);
    CHECK(inference->layer().empty());
    CHECK(std::string(inference->what()) ==
          "typenn: non-finite input in the inference forward pass: the model's input x at "
          "row 3, column 2 is nan");

    static Tape<Net, 4> tape;
    const auto training = error_of([&] { model.forward(x, tape); });
    REQUIRE(training);
    CHECK(training->kind() == Kind::input);
    CHECK(training->pass() == Pass::training_forward);
    CHECK(tape.rows == 0);  // refused before the tape recorded anything
    CHECK_FALSE(error_of([&] { model.forward(x, tape, Rows{3}); }));  // row 3 is not used

    Tensor<4, 2> dy;
    dy.fill(0.5f);
    dy(1, 1) = -inf_value;
    const auto gradients_before = model.state().template get<0>().weight_grad;
    const auto backward = error_of([&] { model.backward(tape, dy); });
    REQUIRE(backward);
    CHECK(backward->kind() == Kind::output_gradient);
    CHECK(backward->pass() == Pass::backward);
    CHECK(std::string(backward->what()) ==
          "typenn: non-finite output gradient in the backward pass: dy, the gradient of the "
          "model's output, at row 1, column 1 is -inf");
    CHECK(model.state().template get<0>().weight_grad == gradients_before);
}

TEST_CASE("checked: predict names the row of X, whichever tile it falls in") {
    CheckedModel<Net> model;
    xt::xtensor<float, 2> x = xt::zeros<float>({10, 4});
    x(9, 2) = nan_value;  // the third tile of 4 rows, its row 1
    const auto input = error_of([&] { model.predict<4>(x); });
    REQUIRE(input);
    CHECK(input->kind() == Kind::input);
    CHECK(input->row() == 9);
    CHECK(input->column() == 2);

    x(9, 2) = 0;
    fill_parameters(model, "0", 1, 0);
    for (std::size_t c = 0; c < 4; ++c) x(6, c) = 3e38f;  // Linear<4, 6> sums them past float's range
    const auto activation = error_of([&] { model.predict<4>(x); });
    REQUIRE(activation);
    CHECK(std::string(activation->what()) ==
          "typenn: non-finite activation in the inference forward pass: output of layer 0 "
          "(Linear<4, 6>) at row 6, column 0 is inf");

    // A parameter's row is its own, not X's. Parameters are checked in the first tile, where
    // predict moves no row, so from_row is called directly.
    plant(model, "0.weight", 7, nan_value);
    const auto parameter = error_of([&] { model.predict<4>(x); });
    REQUIRE(parameter);
    CHECK(parameter->kind() == Kind::parameter);
    CHECK(parameter->from_row(8).row() == parameter->row());
    CHECK(std::string(parameter->from_row(8).what()) == parameter->what());
}
