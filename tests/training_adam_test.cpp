// SPDX-License-Identifier: BSL-1.0
// optim::Adam and optim::AdamW against torch.optim.Adam / AdamW: parameters after a few steps
// of training a network with BatchNorm.
#include "training_fixtures.hpp"

using namespace typenn;
using namespace typenn::training_test;

TEST_CASE("Adam matches torch.optim.Adam step by step") {
    SECTION("defaults") {
        require_training_matches("adam", [](auto& m) { return optim::Adam(m, {.lr = 1e-2}); });
    }
    SECTION("betas and L2 weight decay") {
        require_training_matches("adam_weight_decay", [](auto& m) {
            return optim::Adam(m, {.lr = 1e-2, .beta1 = 0.8, .beta2 = 0.99, .weight_decay = 0.1});
        });
    }
    SECTION("amsgrad") {
        require_training_matches("adam_amsgrad", [](auto& m) {
            return optim::Adam(m, {.lr = 1e-2, .eps = 1e-6, .amsgrad = true});
        });
    }
}

TEST_CASE("AdamW matches torch.optim.AdamW step by step") {
    SECTION("decoupled weight decay") {
        require_training_matches(
            "adamw", [](auto& m) { return optim::AdamW(m, {.lr = 1e-2, .weight_decay = 0.1}); });
    }
    SECTION("default weight decay 1e-2, amsgrad, maximize") {
        require_training_matches("adamw_amsgrad_maximize", [](auto& m) {
            return optim::AdamW(m, {.lr = 1e-2, .amsgrad = true, .maximize = true});
        });
    }
}

TEST_CASE("Adam and AdamW have PyTorch's defaults") {
    Model<Net> model;
    optim::Adam adam(model);
    optim::AdamW adamw(model);
    CHECK(adam.lr() == 1e-3);
    CHECK(adam.options().beta1 == 0.9);
    CHECK(adam.options().beta2 == 0.999);
    CHECK(adam.options().eps == 1e-8);
    CHECK(adam.options().weight_decay == 0);
    CHECK(adamw.options().weight_decay == 1e-2);
    CHECK_FALSE(adam.options().amsgrad);
    adam.step();
    adam.step();
    CHECK(adam.step_count() == 2);
}

TEST_CASE("Adam's first step moves every parameter by lr against its gradient, at any scale") {
    // m̂ = g and v̂ = g² after one step, so the update is −lr·g/(|g| + eps) ≈ −lr·sign(g).
    Model<Net, double> model;
    double scale = 1e-3;  // 1e-2, 0.1, ... 1e3 in turn, alternating in sign
    std::vector<double> before, grads;
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; }) {
            entry.grad.fill(scale *= -10);
            before.insert(before.end(), entry.value.begin(), entry.value.end());
            grads.insert(grads.end(), entry.grad.begin(), entry.grad.end());
        }
    });
    optim::Adam opt(model, {.lr = 0.01});
    opt.step();
    std::vector<double> after;
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; })
            after.insert(after.end(), entry.value.begin(), entry.value.end());
    });
    REQUIRE(after.size() == before.size());
    for (std::size_t k = 0; k < after.size(); ++k) {
        INFO("element " << k << ", gradient " << grads[k]);
        REQUIRE(after[k] - before[k] == Approx(grads[k] > 0 ? -0.01 : 0.01).epsilon(1e-5));
    }
}

TEST_CASE("Adam and AdamW reject what PyTorch rejects") {
    Model<Net> model;
    using Catch::Matchers::StartsWith;
    CHECK_THROWS_WITH(optim::Adam(model, {.lr = -1}),
                      StartsWith("typenn: optim::Adam: invalid learning rate"));
    CHECK_THROWS_WITH(optim::Adam(model, {.beta1 = 1}),
                      StartsWith("typenn: optim::Adam: invalid beta parameter at index 0"));
    CHECK_THROWS_WITH(optim::AdamW(model, {.beta2 = -0.1}),
                      StartsWith("typenn: optim::AdamW: invalid beta parameter at index 1"));
    CHECK_THROWS_WITH(optim::AdamW(model, {.eps = -1e-8}),
                      StartsWith("typenn: optim::AdamW: invalid epsilon"));
    CHECK_THROWS_WITH(optim::Adam(model, {.weight_decay = -1}),
                      StartsWith("typenn: optim::Adam: invalid weight_decay"));
}
