// SPDX-License-Identifier: BSL-1.0
// Every stage the planner makes, at widths and batches that are not multiples of the SIMD
// width (and are), fused against reference.
#include "fused_support.hpp"
#include "user_layers.hpp"

using namespace typenn;

TEST_CASE("fused: a lone Linear, with and without bias") {
    fused::compare<Seq<Linear<5, 3>>, 1>(1);
    fused::compare<Seq<Linear<17, 33>>, 7>(2);
    fused::compare<Seq<Linear<64, 48, no_bias>>, 16>(3);
    fused::compare<Linear<70, 1>, 5>(4);
}

TEST_CASE("fused: Linear + activation, for every activation") {
    // 11 rows: the broadcast form with its epilogue on whole vectors; 3: dot products.
    fused::compare<Seq<Linear<9, 21>, ReLU>, 11>(5);
    fused::compare<Seq<Linear<9, 21>, LeakyReLU<0.2f>>, 11>(6);
    fused::compare<Seq<Linear<9, 21>, ELU<0.5f>>, 11>(7);
    fused::compare<Seq<Linear<9, 21>, Sigmoid>, 11>(8);
    fused::compare<Seq<Linear<9, 21>, Tanh>, 11>(9);
    fused::compare<Seq<Linear<9, 21>, Identity>, 11>(10);
    fused::compare<Seq<Linear<9, 21>, LeakyReLU<0.2f>>, 3>(16);
    fused::compare<Seq<Linear<9, 21>, Sigmoid>, 3>(17);
    fused::compare<Seq<Linear<9, 21>, Tanh>, 3>(18);
}

TEST_CASE("fused: Linear + BatchNorm (+ activation)") {
    fused::compare<Seq<Linear<10, 20>, BatchNorm<20>>, 5>(11);
    fused::compare<Seq<Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>>, 32>(12);
    fused::compare<Seq<Linear<33, 16, no_bias>, BatchNorm<16>, Tanh>, 6>(13);
}

TEST_CASE("fused: chains of elementwise layers, each reading its input or its output") {
    using user_layers::Scale, user_layers::Softsign;
    fused::compare<Seq<Linear<9, 21>, Softsign>, 11>(19);
    fused::compare<Seq<Linear<9, 21>, Softsign>, 3>(20);
    fused::compare<Seq<Linear<9, 21>, Tanh, Softsign, Sigmoid>, 11>(21);
    fused::compare<Seq<Linear<9, 21>, Softsign, Scale<21>, ReLU>, 11>(22);
    fused::compare<Seq<Linear<10, 20, no_bias>, BatchNorm<20>, Scale<20>, Softsign, Linear<20, 3>>, 6>(23);
    fused::compare<Seq<Residual<Seq<Linear<8, 8>, Softsign, Scale<8>>>, Linear<8, 2>>, 5>(24);
    CHECK(describe<Seq<Linear<9, 21>, Softsign, Scale<21>, ReLU>>() ==
          "[Linear<9, 21> + Softsign + Scale<21> + ReLU]");
}

TEST_CASE("fused: partial batches") {
    fused::compare<Seq<Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>>, 32>(14, 29);
    fused::compare<Seq<Linear<13, 40>, ELU<>, Linear<40, 3>>, 9>(15, 1);
}
