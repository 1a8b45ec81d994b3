// SPDX-License-Identifier: BSL-1.0
// optim::SGD against torch.optim.SGD: parameters after a few steps of training a network with
// BatchNorm, for each way SGD can be configured.
#include "training_fixtures.hpp"

using namespace typenn;
using namespace typenn::training_test;

TEST_CASE("SGD matches torch.optim.SGD step by step") {
    SECTION("plain") {
        require_training_matches("sgd_plain", [](auto& m) { return optim::SGD(m, {.lr = 0.1}); });
    }
    SECTION("momentum, nesterov and weight decay") {
        require_training_matches("sgd_nesterov", [](auto& m) {
            return optim::SGD(
                m, {.lr = 0.05, .momentum = 0.9, .weight_decay = 1e-2, .nesterov = true});
        });
    }
    SECTION("momentum with dampening: the first step takes the gradient undamped") {
        require_training_matches("sgd_dampening", [](auto& m) {
            return optim::SGD(
                m, {.lr = 0.05, .momentum = 0.8, .dampening = 0.3, .weight_decay = 1e-2});
        });
    }
    SECTION("maximize") {
        require_training_matches("sgd_maximize", [](auto& m) {
            return optim::SGD(m, {.lr = 0.01, .momentum = 0.5, .maximize = true});
        });
    }
}

TEST_CASE("SGD's learning rate is read at every step, so set_lr takes effect at the next") {
    Model<Net> model;
    model.visit([](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; }) entry.grad.fill(1.f);
    });
    const auto before = model.state().get<0>().weight;
    optim::SGD opt(model, {.lr = 0.1f});
    REQUIRE(opt.lr() == Approx(0.1));
    opt.set_lr(0.f);
    opt.step();
    REQUIRE((model.state().get<0>().weight == before));
    opt.set_lr(0.5f);
    opt.step();
    REQUIRE(model.state().get<0>().weight(2, 3) == Approx(before(2, 3) - 0.5f));
    opt.zero_grad();
    REQUIRE(model.state().get<0>().weight_grad(2, 3) == 0.f);
    REQUIRE(opt.element_count() == 6 * 9 + 9 + 9 + 9 * 3 + 3);
}

TEST_CASE("SGD rejects what torch.optim.SGD rejects") {
    Model<Net> model;
    auto message = [&](optim::SGDOptions o) {
        try {
            optim::SGD opt(model, o);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    using Catch::Matchers::StartsWith;
    CHECK_THAT(message({}), StartsWith("typenn: optim::SGD needs a learning rate"));
    CHECK_THAT(message({.lr = -0.1}), StartsWith("typenn: optim::SGD: invalid learning rate"));
    CHECK_THAT(message({.lr = 0.1, .momentum = -1}),
               StartsWith("typenn: optim::SGD: invalid momentum"));
    CHECK_THAT(message({.lr = 0.1, .weight_decay = -1}),
               StartsWith("typenn: optim::SGD: invalid weight_decay"));
    CHECK_THAT(message({.lr = 0.1, .nesterov = true}),
               StartsWith("typenn: optim::SGD: Nesterov momentum requires"));
    CHECK_THAT(message({.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}),
               StartsWith("typenn: optim::SGD: Nesterov momentum requires"));
    CHECK(message({.lr = 0.1, .momentum = 0.9, .nesterov = true}) == "accepted");
}
