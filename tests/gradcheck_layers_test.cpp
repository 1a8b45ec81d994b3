// Every layer on its own (behind a Linear, so that its input varies), in training mode.
#include "gradcheck.hpp"

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
