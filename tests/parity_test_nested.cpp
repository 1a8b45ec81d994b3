// SPDX-License-Identifier: BSL-1.0
// typenn against PyTorch: Seq inside Seq, Residual inside Residual as body and as shortcut,
// BatchNorms on parallel branches (fixture tests/fixtures/core/nested.safetensors, net
// nested() in tools/make_core_fixtures.py).
#include "parity_support.hpp"

using namespace typenn;

TEST_CASE("parity: nested Seq and nested Residual match PyTorch at batch 7", "[parity]") {
    using Net = Seq<Linear<5, 17>,
                    Seq<BatchNorm<17>, PReLU<>, Seq<Linear<17, 5>, Tanh>>,
                    Residual<Residual<Seq<Linear<5, 5>, LeakyReLU<0.2f>>>,
                             Seq<BatchNorm<5>, Linear<5, 5>>>,
                    Residual<BatchNorm<5>, Residual<Linear<5, 5, no_bias>>>,
                    Linear<5, 1>>;
    parity::check_against_pytorch<Net, 7>("nested");
}
