// SPDX-License-Identifier: BSL-1.0
// Whole networks: nested Seq and Residual, BatchNorm inside residual bodies, partial batches.
#include "gradcheck.hpp"
#include "test_nets.hpp"

using namespace typenn;

TEST_CASE("gradcheck: the article's seed network") { gradcheck::check<test_nets::Seed, 6>(21); }

TEST_CASE("gradcheck: residual with BatchNorm in the body") {
    gradcheck::check<test_nets::Article, 5>(22);
}

TEST_CASE("gradcheck: every activation in one deep Seq") {
    gradcheck::check<test_nets::EveryActivation, 3>(23);
}

TEST_CASE("gradcheck: nested residuals, with and without shortcut") {
    gradcheck::check<test_nets::NestedResidual, 4>(24);
}

TEST_CASE("gradcheck: a partial batch uses only its rows, BatchNorm included") {
    gradcheck::check<test_nets::Article, 8>(25, 3);
    gradcheck::check<test_nets::NestedResidual, 7>(26, 2);
}
