// SPDX-License-Identifier: BSL-1.0
// Losses and their gradients against torch.nn.functional, over whole batches and over the
// first rows of a partial one, including logits of ±1e4 where a naive softmax or sigmoid
// overflows.
#include <array>
#include <limits>

#include "training_fixtures.hpp"

using namespace typenn;
using namespace typenn::training_test;

namespace {
constexpr std::size_t rows = 3;  // ROWS

template <class T, std::size_t B, std::size_t N>
bool all_finite(const BasicTensor<T, B, N>& x) {
    return std::all_of(x.begin(), x.end(), [](T v) { return std::isfinite(v); });
}

// Runs `loss(input, target, grad, Rows)` on the fixture's case `name` over all rows and over
// the first `rows`, and compares loss and gradient with PyTorch's.
template <class T, std::size_t B, std::size_t N, class Target, class Loss>
void require_loss(std::string_view name, const Target& target, Loss loss) {
    const Fixture fixture("losses");
    const std::string prefix(name);
    const auto input = fixture.tensor<T, B, N>(prefix + ".input");
    BasicTensor<T, B, N> grad;
    for (const auto& [suffix, used] : {std::pair{"", B}, std::pair{".rows", rows}}) {
        INFO(prefix << suffix);
        grad.fill(T(42));  // the loss must overwrite every element, past the used rows too
        const T value = loss(input, target, grad, Rows{used});
        CHECK(value == Approx(fixture.scalar(prefix + ".loss" + suffix)).epsilon(1e-5));
        require_close(grad, fixture.values(prefix + ".grad" + suffix), float_parity,
                      prefix + ".grad" + suffix);
        CHECK(std::isfinite(value));
        CHECK(all_finite(grad));
    }
}
}  // namespace

TEMPLATE_TEST_CASE("losses match torch.nn.functional", "", float, double) {
    using T = TestType;
    const Fixture fixture("losses");
    SECTION("mse") {
        const auto target = fixture.tensor<T, 5, 3>("mse.target");
        require_loss<T, 5, 3>("mse", target, [](auto&&... a) { return loss::mse(a...); });
    }
    SECTION("cross_entropy, with rows of ±1e4 logits") {
        const auto labels =
            safetensors::to_vector<std::int64_t>(fixture.at("cross_entropy.target"));
        REQUIRE(labels.size() == 5);
        std::array<int, 5> classes;
        std::copy(labels.begin(), labels.end(), classes.begin());
        require_loss<T, 5, 4>("cross_entropy", classes, [](auto& x, auto& t, auto& g, Rows r) {
            return loss::cross_entropy(x, t, g, r);
        });
    }
    SECTION("bce_with_logits, with logits of ±1e4") {
        const auto target = fixture.tensor<T, 5, 3>("bce_with_logits.target");
        require_loss<T, 5, 3>("bce_with_logits", target,
                              [](auto&&... a) { return loss::bce_with_logits(a...); });
    }
}

TEST_CASE("losses default to every row of the batch") {
    Tensor<2, 3> y, target, dy;
    y.fill(1.f);
    target.fill(0.f);
    CHECK(loss::mse(y, target, dy) == 1.f);
    CHECK(dy(1, 2) == Approx(2.f / 6));
    const std::array<int, 2> labels{0, 2};
    CHECK(loss::cross_entropy(y, labels, dy) == Approx(std::log(3.f)));
    CHECK(dy(1, 2) == Approx((1.f / 3 - 1) / 2));
    CHECK(loss::bce_with_logits(y, target, dy) == Approx(std::log1p(std::exp(1.f))));
}

TEST_CASE("cross_entropy is exact where every logit is huge") {
    Tensor<1, 3> logits, dlogits;
    logits(0, 0) = 1e30f;
    logits(0, 1) = 1e30f;
    logits(0, 2) = -1e30f;
    const std::array<int, 1> label{1};
    CHECK(loss::cross_entropy(logits, label, dlogits) == Approx(std::log(2.f)));
    CHECK(dlogits(0, 0) == Approx(0.5f));
    CHECK(dlogits(0, 1) == Approx(-0.5f));
    CHECK(dlogits(0, 2) == 0.f);
}

TEST_CASE("losses refuse bad rows and labels") {
    Tensor<4, 3> x, target, dx;
    x.fill(0.f);
    target.fill(0.f);
    using Catch::Matchers::StartsWith;
    CHECK_THROWS_WITH(loss::mse(x, target, dx, Rows{0}),
                      StartsWith("typenn: loss::mse: Rows{0} is outside 1..4"));
    CHECK_THROWS_WITH(loss::bce_with_logits(x, target, dx, Rows{5}),
                      StartsWith("typenn: loss::bce_with_logits: Rows{5}"));
    std::array<int, 4> labels{0, 1, 3, 0};
    CHECK_THROWS_WITH(loss::cross_entropy(x, labels, dx),
                      StartsWith("typenn: loss::cross_entropy: label 3 of row 2 is outside 0..2"));
    CHECK_NOTHROW(loss::cross_entropy(x, labels, dx, Rows{2}));  // row 2 unused
    const std::vector<int> too_few{0};
    CHECK_THROWS_WITH(loss::cross_entropy(x, too_few, dx, Rows{2}),
                      StartsWith("typenn: loss::cross_entropy: 2 rows but only 1 labels"));
}
