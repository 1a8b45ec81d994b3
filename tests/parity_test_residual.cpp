// SPDX-License-Identifier: BSL-1.0
// typenn against PyTorch: Residual with and without a shortcut
// (fixture tests/fixtures/core/residual.safetensors, net residual() in
// tools/make_core_fixtures.py).
#include "parity_support.hpp"

using namespace typenn;

TEST_CASE("parity: Residual with and without a shortcut matches PyTorch at batch 3",
          "[parity]") {
    using Net = Seq<Linear<5, 13>,
                    Residual<Seq<Linear<13, 13>, BatchNorm<13>, ReLU>>,
                    Residual<Seq<Linear<13, 5>, ELU<>>, Linear<13, 5, no_bias>>,
                    Linear<5, 3>>;
    parity::check_against_pytorch<Net, 3>("residual");
}
