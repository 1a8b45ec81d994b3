// SPDX-License-Identifier: BSL-1.0
// typenn against PyTorch: Linear with and without bias, BatchNorm, ReLU, Tanh
// (fixture tests/fixtures/core/mlp.safetensors, net mlp() in tools/make_core_fixtures.py).
#include "parity_support.hpp"

using namespace typenn;

TEST_CASE("parity: Linear, BatchNorm, ReLU and Tanh match PyTorch at batch 5", "[parity]") {
    using Net = Seq<Linear<5, 33>, BatchNorm<33>, ReLU, Linear<33, 5, no_bias>, Tanh, Linear<5, 3>>;
    parity::check_against_pytorch<Net, 5>("mlp");
}
