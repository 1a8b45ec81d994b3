// SPDX-License-Identifier: BSL-1.0
// typenn against PyTorch on a partial batch: training on the first 5 of 7 rows, as
// model.forward(x, tape, Rows{5}); PyTorch sees only those rows, and the fixture's dy has
// values in the other rows that typenn must ignore (fixture
// tests/fixtures/core/partial.safetensors, net partial() in tools/make_core_fixtures.py).
#include "parity_support.hpp"

using namespace typenn;

TEST_CASE("parity: training on 5 rows of a batch of 7 matches PyTorch on those rows",
          "[parity]") {
    using Net = Seq<Linear<5, 17>, BatchNorm<17>, PReLU<17>,
                    Residual<Seq<Linear<17, 5>, ELU<0.5f>, Linear<5, 5>>,
                             Seq<BatchNorm<17>, Linear<17, 5, no_bias>>>,
                    Sigmoid, Linear<5, 3>>;
    parity::check_against_pytorch<Net, 7>("partial");
}
