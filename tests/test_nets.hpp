// SPDX-License-Identifier: BSL-1.0
#pragma once
// Small networks shared by the core tests: every layer, nested combinators, odd widths.
#include <typenn/typenn.hpp>

namespace test_nets {
using namespace typenn;

using Seed = Seq<Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>>;
using Article = Seq<Linear<5, 7>, LeakyReLU<>, Residual<Seq<Linear<7, 7>, BatchNorm<7>, ELU<>>>>;
using EveryActivation = Seq<Linear<3, 6>, ReLU, Linear<6, 6>, LeakyReLU<0.2f>, Linear<6, 6>,
                            PReLU<>, Linear<6, 6>, PReLU<6>, Linear<6, 6>, ELU<0.5f>,
                            Linear<6, 6>, Sigmoid, Linear<6, 6>, Tanh, Identity,
                            Linear<6, 2, no_bias>>;
using NestedResidual =
    Seq<Linear<4, 5>, BatchNorm<5>,
        Residual<Seq<Linear<5, 5>, Tanh, Residual<Seq<Linear<5, 5>, BatchNorm<5>, ReLU>>>>,
        Residual<Seq<Linear<5, 9>, ELU<>, Linear<9, 3>>, Linear<5, 3>>, Sigmoid>;
}  // namespace test_nets
