// SPDX-License-Identifier: BSL-1.0
// clip_grad_norm and clip_grad_value against torch.nn.utils: the returned norm and the
// gradients after clipping, for norms of order 2, 1.5 and infinity.
#include <limits>

#include "training_fixtures.hpp"

using namespace typenn;
using namespace typenn::training_test;

namespace {
template <class T>
void set_fixture_grads(Model<Net, T>& model, const Fixture& fixture) {
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; }) {
            const std::vector<double> grad = fixture.values("grad." + key.str());
            REQUIRE(grad.size() == entry.grad.size());
            std::copy(grad.begin(), grad.end(), entry.grad.begin());
        }
    });
}

template <class T>
void require_grads(const Model<Net, T>& model, const Fixture& fixture, std::string_view name) {
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; }) {
            const std::string expected = std::string(name) + "." + key.str();
            require_close(entry.grad, fixture.values(expected), float_parity, expected);
        }
    });
}
}  // namespace

TEMPLATE_TEST_CASE("clip_grad_norm and clip_grad_value match torch.nn.utils", "", float, double) {
    const Fixture fixture("clip");
    Model<Net, TestType> model;
    set_fixture_grads(model, fixture);
    auto check_norm = [&](std::string_view name, TestType norm) {
        INFO(name);
        CHECK(norm == Approx(fixture.scalar(std::string(name) + ".norm")).epsilon(1e-5));
        require_grads(model, fixture, name);
    };
    SECTION("2-norm above max_norm: scaled down to it") {
        const TestType norm = clip_grad_norm(model, 1.f);
        check_norm("norm", norm);
        REQUIRE(norm > 1);
    }
    SECTION("2-norm below max_norm: unchanged") {
        check_norm("norm_unclipped", clip_grad_norm(model, 100.f));
    }
    SECTION("infinity norm: the largest magnitude") {
        check_norm(
            "norm_inf",
            clip_grad_norm(model, 0.5, {.norm_type = std::numeric_limits<double>::infinity()}));
    }
    SECTION("norm of order 1.5") {
        check_norm("norm_1_5", clip_grad_norm(model, 0.8, {.norm_type = 1.5}));
    }
    SECTION("clip_grad_value") {
        clip_grad_value(model, 0.3);
        require_grads(model, fixture, "value");
    }
}

TEST_CASE("clip_grad_norm with a non-finite gradient: NaN spreads, as in PyTorch, or throws") {
    Model<Net> model;
    model.zero_grad();
    model.edit()->get<3>().bias_grad(1) = std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH(clip_grad_norm(model, 1.0, {.error_if_nonfinite = true}),
                      Catch::Matchers::StartsWith("typenn: clip_grad_norm: the total norm"));
    CHECK(std::isinf(clip_grad_norm(model, 1.0)));
    CHECK(model.state().get<0>().weight_grad(0, 0) == 0.f);  // 0 · (1/∞) = 0
    CHECK(std::isnan(model.state().get<3>().bias_grad(1)));  // ∞ · 0
    CHECK_THROWS_WITH(clip_grad_norm(model, 1.0, {.norm_type = 0}),
                      Catch::Matchers::StartsWith("typenn: clip_grad_norm: norm_type"));
    CHECK_THROWS_WITH(clip_grad_value(model, -1.0),
                      Catch::Matchers::StartsWith("typenn: clip_grad_value"));
}
