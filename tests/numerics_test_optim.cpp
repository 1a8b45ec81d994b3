// SPDX-License-Identifier: BSL-1.0
// Optimizers where the update vanishes: Adam and AdamW on zero gradients (m = v = 0, so the
// step is 0/(0 + eps)), and SGD, Adam and AdamW at learning rate 0. The parameters must stay
// exactly where they were, while the optimizer's state (step count, moments, momentum) still
// advances as PyTorch's does, which the steps that follow with real gradients reveal.
#include <cstddef>
#include <optional>
#include <vector>

#include "numerics_test_support.hpp"

using namespace typenn;
using namespace typenn::numerics_test;

namespace {
using Net = Seq<Linear<3, 4>, BatchNorm<4>, Linear<4, 2, no_bias>>;  // net()

struct Step {
    double lr;
    std::optional<int> gradient;  // grad<i> of the fixture, or zero gradients
};
// ZERO_THEN_GRADS and LR0_THEN_LR.
const std::vector<Step> zero_then_grads{{1e-2, {}}, {1e-2, {}}, {1e-2, {}}, {1e-2, 0}, {1e-2, 1}};
const std::vector<Step> lr0_then_lr{{0, 0}, {0, 1}, {0, 2}, {1e-2, 3}};

// Sets every parameter (or, with grads, every gradient) to the fixture's tensors
// "<prefix>.<key>".
void set_from(Model<Net>& model, const Fixture& fixture, const std::string& prefix, bool grads) {
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; }) {
            const auto values = fixture.values(prefix + "." + key.str());
            REQUIRE(values.size() == entry.value.size());
            std::copy(values.begin(), values.end(), (grads ? entry.grad : entry.value).begin());
        }
    });
}

std::vector<float> parameters_of(Model<Net>& model) {
    std::vector<float> out;
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; })
            out.insert(out.end(), entry.value.begin(), entry.value.end());
    });
    return out;
}

// Runs `steps` from the fixture's initial parameters and compares the result with
// "<name>.<key>". The steps before the first one that moves the parameters (a learning rate
// above 0 with a gradient) must leave them bit for bit as they were; `still` says how many.
template <class Optimizer>
void require_case(const std::string& name, const std::vector<Step>& steps, std::size_t still,
                  Optimizer make) {
    const Fixture expected = fixture("optim");
    Model<Net> model;
    set_from(model, expected, "initial", false);
    const std::vector<float> initial = parameters_of(model);
    auto optimizer = make(model);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        INFO(name << ", step " << i);
        optimizer.set_lr(steps[i].lr);
        if (steps[i].gradient)
            set_from(model, expected, "grad" + std::to_string(*steps[i].gradient), true);
        else
            model.zero_grad();
        optimizer.step();
        if (i + 1 == still) REQUIRE(parameters_of(model) == initial);
    }
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; })
            require_close(entry.value, expected.values(name + "." + key.str()), tolerance<float>,
                          name + "." + key.str());
    });
}
}  // namespace

TEST_CASE("Adam and AdamW on zero gradients match PyTorch") {
    SECTION("Adam: parameters stay, then bias correction counts the zero steps") {
        require_case("adam_zero_grad", zero_then_grads, 3, [](auto& m) {
            return optim::Adam(m, {.lr = 1e-2});
        });
    }
    SECTION("Adam, amsgrad") {
        require_case("adam_amsgrad_zero_grad", zero_then_grads, 3, [](auto& m) {
            return optim::Adam(m, {.lr = 1e-2, .amsgrad = true});
        });
    }
    SECTION("Adam with L2 weight decay: the decay alone is a gradient") {
        require_case("adam_zero_grad_weight_decay", zero_then_grads, 0, [](auto& m) {
            return optim::Adam(m, {.lr = 1e-2, .weight_decay = 0.1});
        });
    }
    SECTION("AdamW: decoupled decay shrinks the parameters, the step is zero") {
        require_case("adamw_zero_grad", zero_then_grads, 0, [](auto& m) {
            return optim::AdamW(m, {.lr = 1e-2, .weight_decay = 0.1});
        });
    }
}

TEST_CASE("learning rate 0 leaves the parameters exactly, state still advances as in PyTorch") {
    SECTION("SGD, Nesterov momentum and weight decay: the momentum buffer fills") {
        require_case("sgd_lr0", lr0_then_lr, 3, [](auto& m) {
            return optim::SGD(m, {.lr = 0, .momentum = 0.9, .weight_decay = 1e-2,
                                  .nesterov = true});
        });
    }
    SECTION("Adam with weight decay: moments and step count advance") {
        require_case("adam_lr0", lr0_then_lr, 3, [](auto& m) {
            return optim::Adam(m, {.lr = 0, .weight_decay = 1e-2});
        });
        Model<Net> model;
        optim::Adam adam(model, {.lr = 0});
        for (int i = 0; i < 3; ++i) adam.step();
        CHECK(adam.step_count() == 3);
    }
    SECTION("AdamW, amsgrad: no decoupled decay at lr 0") {
        require_case("adamw_lr0", lr0_then_lr, 3, [](auto& m) {
            return optim::AdamW(m, {.lr = 0, .weight_decay = 0.1, .amsgrad = true});
        });
    }
}
