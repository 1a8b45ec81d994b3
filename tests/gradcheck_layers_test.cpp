// SPDX-License-Identifier: BSL-1.0
// Every layer on its own (behind a Linear, so that its input varies), in training mode.
#include "gradcheck.hpp"
#include "user_layers.hpp"

using namespace typenn;

TEST_CASE("gradcheck: Linear with and without bias") {
    gradcheck::check<Seq<Linear<5, 3>>, 4>(1);
    gradcheck::check<Seq<Linear<5, 3, no_bias>>, 4>(2);
}

TEST_CASE("gradcheck: BatchNorm in training mode") {
    gradcheck::check<Seq<Linear<4, 6>, BatchNorm<6>>, 5>(3);
    gradcheck::check<Seq<BatchNorm<3>, Linear<3, 2>>, 2>(4);
}

TEST_CASE("gradcheck: activations") {
    gradcheck::check<Seq<Linear<4, 5>, ReLU>, 3>(5);
    gradcheck::check<Seq<Linear<4, 5>, LeakyReLU<>>, 3>(6);
    gradcheck::check<Seq<Linear<4, 5>, LeakyReLU<0.2f>>, 3>(7);
    gradcheck::check<Seq<Linear<4, 5>, ELU<>>, 3>(8);
    gradcheck::check<Seq<Linear<4, 5>, ELU<0.5f>>, 3>(9);
    gradcheck::check<Seq<Linear<4, 5>, Sigmoid>, 3>(10);
    gradcheck::check<Seq<Linear<4, 5>, Tanh>, 3>(11);
    gradcheck::check<Seq<Linear<4, 5>, Identity>, 3>(12);
}

TEST_CASE("gradcheck: PReLU with one shared slope and with one slope per column") {
    gradcheck::check<Seq<Linear<4, 5>, PReLU<>>, 3>(13);
    gradcheck::check<Seq<Linear<4, 5>, PReLU<5>>, 3>(14);
}

TEST_CASE("gradcheck: layers written outside the library, alone and fused in chains") {
    using user_layers::Scale, user_layers::Softsign;
    gradcheck::check<Seq<Linear<4, 5>, Softsign>, 3>(15);
    gradcheck::check<Seq<Linear<4, 5>, Scale<5>>, 3>(16);
    gradcheck::check<Seq<Linear<4, 5>, Softsign, Scale<5>, Tanh, Softsign>, 3>(17);
    gradcheck::check<Seq<Linear<4, 5, no_bias>, BatchNorm<5>, Scale<5>, Softsign>, 4>(18);
}
