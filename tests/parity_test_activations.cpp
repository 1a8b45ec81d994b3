// SPDX-License-Identifier: BSL-1.0
// typenn against PyTorch: every activation, with default and non-default parameters
// (fixture tests/fixtures/core/activations.safetensors, net activations() in
// tools/make_core_fixtures.py).
#include "parity_support.hpp"

using namespace typenn;

TEST_CASE("parity: LeakyReLU, PReLU, ELU, Sigmoid, Identity and Tanh match PyTorch at batch 7",
          "[parity]") {
    using Net = Seq<Linear<5, 13>, LeakyReLU<>, Linear<13, 5, no_bias>, LeakyReLU<0.2f>, PReLU<>,
                    Linear<5, 17>, PReLU<17>, ELU<>, Linear<17, 5>, ELU<0.5f>, Sigmoid, Identity,
                    Linear<5, 5>, Tanh>;
    parity::check_against_pytorch<Net, 7>("activations");
}
