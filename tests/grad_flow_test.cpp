// SPDX-License-Identifier: BSL-1.0
// Gradient-flow measurements: norms by parameter and by layer, update ratios, and the checks
// that tell a vanishing deep sigmoid stack from the same depth with BatchNorm or residuals.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <xtensor/xadapt.hpp>
#include <xtensor/xnorm.hpp>

#include <typenn/gradient_flow.hpp>
#include <typenn/typenn.hpp>

using namespace typenn;

namespace {

// Layers<A...> + Layers<B...> is Layers<A..., B...>: a deep Seq spelt as N copies of a block.
template <class... L>
struct Layers {};
template <class... A, class... B>
Layers<A..., B...> operator+(Layers<A...>, Layers<B...>);
template <class Block, std::size_t... I>
auto repeated(std::index_sequence<I...>) -> decltype(((void(I), Block{}) + ...));
template <class>
struct seq_of;
template <class... L>
struct seq_of<Layers<L...>> {
    using type = Seq<L...>;
};
template <std::size_t N, class Block, class Head>
using Deep =
    typename seq_of<decltype(repeated<Block>(std::make_index_sequence<N>{}) + Head{})>::type;

using Head = Layers<Linear<16, 4>>;
using SigmoidNet = Deep<12, Layers<Linear<16, 16>, Sigmoid>, Head>;
using BatchNormNet = Deep<12, Layers<Linear<16, 16>, BatchNorm<16>, ReLU>, Head>;
using ResidualNet = Deep<12, Layers<Residual<Seq<Linear<16, 16>, Sigmoid>>>, Head>;
using SmallNet = Seq<Linear<4, 3>, BatchNorm<3>, ReLU, Linear<3, 2>>;

constexpr std::size_t batch = 32;

// Default initialisation, then one backward pass of the mean squared error against random
// targets for random inputs.
template <class Net, class T = float>
Model<Net, T> after_backward() {
    Model<Net, T> model;
    Tape<Net, batch, T> tape;
    std::mt19937_64 rng(7);
    std::normal_distribution<T> normal;
    BasicTensor<T, batch, Net::in_features> x;
    BasicTensor<T, batch, Net::out_features> target;
    for (auto& v : x) v = normal(rng);
    for (auto& v : target) v = normal(rng);
    const auto y = model.forward(x, tape);
    const BasicTensor<T, batch, Net::out_features> dy =
        T(2) * (y - target) / T(batch * Net::out_features);
    model.backward(tape, dy);
    return model;
}

template <class X>
double norm(const X& x) {
    return double(xt::norm_l2(xt::adapt(x.data(), x.size(), xt::no_ownership()))());
}

std::vector<std::string> names(const auto& flows) {
    std::vector<std::string> out;
    for (const auto& f : flows) out.push_back(f.name);
    return out;
}

std::vector<std::pair<FlowIssue::Kind, std::string>> kinds_and_layers(
    const std::vector<FlowIssue>& issues) {
    std::vector<std::pair<FlowIssue::Kind, std::string>> out;
    for (const auto& issue : issues) out.emplace_back(issue.kind, issue.layer);
    return out;
}

double first_to_last(const std::vector<LayerFlow>& layers) {
    return layers.front().grad_norm / layers.back().grad_norm;
}

}  // namespace

TEST_CASE("parameter and layer norms equal a direct computation, buffers excluded") {
    const auto model = after_backward<SmallNet, double>();
    const auto& s = model.state();
    const auto parameters = parameter_flow(model);
    REQUIRE(names(parameters) == std::vector<std::string>{"0.weight", "0.bias", "1.weight",
                                                          "1.bias", "3.weight", "3.bias"});
    const auto& linear = s.get<0>();
    const auto& bn = s.get<1>();
    const auto& head = s.get<3>();
    const double grads[] = {norm(linear.weight_grad), norm(linear.bias_grad),
                            norm(bn.weight_grad),     norm(bn.bias_grad),
                            norm(head.weight_grad),   norm(head.bias_grad)};
    const double values[] = {norm(linear.weight), norm(linear.bias), norm(bn.weight),
                             norm(bn.bias),       norm(head.weight), norm(head.bias)};
    for (std::size_t k = 0; k < parameters.size(); ++k) {
        CHECK(parameters[k].grad_norm == Approx(grads[k]).epsilon(1e-12));
        CHECK(parameters[k].value_norm == Approx(values[k]).epsilon(1e-12));
        CHECK_FALSE(parameters[k].update_norm.has_value());
        CHECK(grads[k] > 0);
    }

    const auto layers = layer_flow(model);
    REQUIRE(names(layers) == std::vector<std::string>{"0", "1", "3"});
    for (std::size_t l = 0; l < layers.size(); ++l) {
        CHECK(layers[l].grad_norm ==
              Approx(std::hypot(grads[2 * l], grads[2 * l + 1])).epsilon(1e-12));
        CHECK(layers[l].parameter_norm ==
              Approx(std::hypot(values[2 * l], values[2 * l + 1])).epsilon(1e-12));
        CHECK_FALSE(layers[l].update_ratio().has_value());
    }
}

TEST_CASE("a model that is a single layer owns its parameters itself") {
    const auto layers = layer_flow(after_backward<Linear<3, 2>>());
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].name.empty());
    CHECK(layer_label(layers[0].name) == "(model)");
    CHECK(owner_of("3.body.0.weight") == "3.body.0");
}

TEST_CASE("update/parameter ratios from the learning rate and from a step") {
    auto model = after_backward<SmallNet, double>();
    const double lr = 0.05;

    const auto predicted = layer_flow(model, lr);
    for (const auto& layer : predicted) {
        REQUIRE(layer.update_norm.has_value());
        CHECK(*layer.update_norm == Approx(lr * layer.grad_norm).epsilon(1e-12));
        CHECK(*layer.update_ratio() == Approx(lr * layer.grad_norm / layer.parameter_norm));
    }

    SECTION("an SGD step moves every layer by lr times its gradient") {
        const auto before = model;
        model.visit([&](const KeyPath&, auto entry) {
            if constexpr (requires { entry.grad; })
                for (std::size_t k = 0; k < entry.value.size(); ++k)
                    entry.value[k] -= lr * entry.grad[k];
        });
        const auto measured = layer_flow(before, model);
        REQUIRE(names(measured) == names(predicted));
        for (std::size_t l = 0; l < measured.size(); ++l) {
            CHECK(*measured[l].update_norm == Approx(*predicted[l].update_norm).epsilon(1e-9));
            // The norms describe the model the step started from.
            CHECK(measured[l].parameter_norm == predicted[l].parameter_norm);
        }
    }
    SECTION("a step that changes one tensor moves only its layer") {
        const auto before = model;
        model.edit()->get<3>().bias(1) += 0.25;
        const auto measured = parameter_flow(before, model);
        for (const auto& p : measured)
            CHECK(*p.update_norm == Approx(p.name == "3.bias" ? 0.25 : 0.0).margin(1e-15));
    }
}

TEST_CASE("a deep sigmoid stack is flagged as vanishing, with BatchNorm or residuals it is not") {
    // One monitor per model: a monitor compares the records of one network.
    GradientMonitor sigmoid_monitor, batchnorm_monitor, residual_monitor;

    const auto& sigmoid =
        sigmoid_monitor.record(layer_flow(after_backward<SigmoidNet>()), "sigmoid");
    REQUIRE(sigmoid.layers.size() == 13);
    CHECK(first_to_last(sigmoid.layers) < 1e-3);
    REQUIRE_FALSE(sigmoid.issues.empty());
    CHECK(sigmoid.issues.front().kind == FlowIssue::Kind::vanishing);
    CHECK(sigmoid.issues.front().layer == "0");
    CHECK_THAT(sigmoid.issues.front().message, Catch::Contains("layer 0: vanishing gradient"));
    for (const auto& issue : sigmoid.issues) CHECK(issue.kind == FlowIssue::Kind::vanishing);
    // The layers nearest the loss still learn.
    CHECK(sigmoid.issues.back().layer != "24");

    const auto& batchnorm =
        batchnorm_monitor.record(layer_flow(after_backward<BatchNormNet>()), "batchnorm");
    CHECK(first_to_last(batchnorm.layers) > 1e-3);
    CHECK(batchnorm.issues.empty());

    const auto& residual =
        residual_monitor.record(layer_flow(after_backward<ResidualNet>()), "residual");
    CHECK(residual.layers.front().name == "0.body.0");
    CHECK(first_to_last(residual.layers) > 1e-3);
    CHECK(residual.issues.empty());
}

TEST_CASE("the thresholds are the caller's") {
    const auto layers = layer_flow(after_backward<BatchNormNet>());
    const auto strict = check_flow(layers, FlowThresholds{.vanishing_ratio = 0.5});
    REQUIRE_FALSE(strict.empty());
    for (const auto& issue : strict) CHECK(issue.kind == FlowIssue::Kind::vanishing);

    const auto low_ceiling = check_flow(layers, FlowThresholds{.exploding_norm = 1.0});
    REQUIRE_FALSE(low_ceiling.empty());
    for (const auto& issue : low_ceiling) {
        CHECK(issue.kind == FlowIssue::Kind::exploding);
        for (const auto& layer : layers)
            if (layer.name == issue.layer) CHECK(layer.grad_norm > 1.0);
    }
}

TEST_CASE("non-finite and exploding values are flagged with the layer's name") {
    auto model = after_backward<BatchNormNet>();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();

    SECTION("inside the network") {
        {
            auto s = model.edit();
            s->get<4>().weight_grad(5) = nan;
            s->get<9>().weight(2, 3) = inf;
            for (float& g : s->get<21>().weight_grad) g *= 1e4f;
        }
        const auto issues = check_flow(layer_flow(model));
        using K = FlowIssue::Kind;
        REQUIRE(kinds_and_layers(issues) ==
                std::vector<std::pair<K, std::string>>{{K::non_finite_gradient, "4"},
                                                       {K::non_finite_parameter, "9"},
                                                       {K::exploding, "21"}});
        CHECK_THAT(issues[0].message, Catch::Contains("layer 4: gradient holds non-finite"));
        CHECK_THAT(issues[1].message, Catch::Contains("layer 9: parameters hold non-finite"));
        CHECK_THAT(issues[2].message, Catch::Contains("layer 21: exploding gradient"));
    }
    SECTION("in the last layer, without calling every other layer vanishing") {
        model.edit()->get<36>().weight_grad(0, 0) = -inf;
        const auto issues = check_flow(layer_flow(model));
        CHECK(kinds_and_layers(issues) ==
              std::vector<std::pair<FlowIssue::Kind, std::string>>{
                  {FlowIssue::Kind::non_finite_gradient, "36"}});
    }
}
