// SPDX-License-Identifier: BSL-1.0
// cross_entropy and bce_with_logits on logits of ±1e4, including whole rows at one extreme and
// a label whose logit lies 2e4 below the others (a loss of 2e4, where e^(2e4) overflows any
// float type): finite values and gradients, as F.cross_entropy and
// F.binary_cross_entropy_with_logits compute them.
#include <array>
#include <cstdint>

#include "numerics_test_support.hpp"

using namespace typenn;
using namespace typenn::numerics_test;

namespace {
constexpr std::size_t rows = 4, columns = 3;

template <class T>
void require_loss_matches(const Fixture& expected, std::string_view name, T value,
                          const BasicTensor<T, rows, columns>& grad) {
    const std::string prefix(name);
    CHECK(std::isfinite(value));
    CHECK(value == Approx(expected.scalar(key<T>(prefix + ".loss"))).epsilon(1e-6));
    require_close(grad, expected.values(key<T>(prefix + ".grad")), tolerance<T>,
                  prefix + ".grad");
    CHECK(all_finite(grad));
}
}  // namespace

TEMPLATE_TEST_CASE("losses on logits of ±1e4 match PyTorch", "", float, double) {
    using T = TestType;
    const Fixture expected = fixture("losses");
    BasicTensor<T, rows, columns> grad;
    SECTION("cross_entropy") {
        const auto logits = expected.tensor<T, rows, columns>(key<T>("cross_entropy.input"));
        const auto stored =
            safetensors::to_vector<std::int64_t>(expected.at(key<T>("cross_entropy.target")));
        REQUIRE(stored.size() == rows);
        std::array<int, rows> labels;
        std::copy(stored.begin(), stored.end(), labels.begin());
        const T value = loss::cross_entropy(logits, std::span<const int>(labels), grad);
        require_loss_matches(expected, "cross_entropy", value, grad);
    }
    SECTION("bce_with_logits") {
        const auto logits = expected.tensor<T, rows, columns>(key<T>("bce_with_logits.input"));
        const auto targets =
            expected.tensor<T, rows, columns>(key<T>("bce_with_logits.target"));
        const T value = loss::bce_with_logits(logits, targets, grad);
        require_loss_matches(expected, "bce_with_logits", value, grad);
    }
}
