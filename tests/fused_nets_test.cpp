// SPDX-License-Identifier: BSL-1.0
// Whole networks: stages next to layers that are not fused, inside residual blocks, nested.
#include "fused_support.hpp"
#include "test_nets.hpp"

using namespace typenn;

namespace {
// Bodies that end in each kind of Linear stage, one that ends in another layer, one nested.
// A Linear before a BatchNorm has no bias, as in PyTorch practice: its gradient would be a
// sum that cancels to rounding noise, which fused and reference round differently.
using ResidualEndings =
    Seq<Residual<Linear<4, 4>>,
        Residual<Seq<Linear<4, 4>, Tanh, Linear<4, 4, no_bias>, BatchNorm<4>>>,
        Residual<Seq<Linear<4, 4, no_bias>, BatchNorm<4>, Sigmoid>, Linear<4, 4>>,
        Residual<Seq<Linear<4, 4>, ReLU>>, Residual<Seq<Linear<4, 4>, PReLU<>>>,
        Residual<Seq<Residual<Linear<4, 4>>>>>;
// Wide enough for the broadcast form: two panels, the second with a vector and scalar columns
// on every instruction set.
using WideResidualEndings = Seq<Residual<Seq<Linear<61, 61>, ReLU>>, Residual<Linear<61, 61>>,
                                Residual<Seq<Linear<61, 61, no_bias>, BatchNorm<61>>>>;
}  // namespace

TEST_CASE("fused: the test networks") {
    fused::compare<test_nets::Seed, 8>(21);
    fused::compare<test_nets::Article, 5>(22);
    fused::compare<test_nets::EveryActivation, 3>(23);
    fused::compare<test_nets::NestedResidual, 6>(24);
}

TEST_CASE("fused: the benchmark networks") {
    fused::compare<Seq<Linear<64, 128>, ReLU, Linear<128, 128>, ReLU, Linear<128, 10>>, 64>(25);
    fused::compare<Seq<Linear<64, 128>, ReLU, Linear<128, 128>, ReLU, Linear<128, 10>>, 1>(26);
}

TEST_CASE("fused: PReLU and BatchNorm not after a Linear run as their own stages") {
    fused::compare<Seq<BatchNorm<6>, Linear<6, 6>, PReLU<6>, Linear<6, 4>, BatchNorm<4>>, 4>(27);
}

TEST_CASE("describe shows the planner's stages") {
    CHECK(describe<test_nets::Seed>() == "[Linear<10, 20> + BatchNorm<20> + ReLU] [Linear<20, 1>]");
    CHECK(describe<Seq<Linear<4, 4>, PReLU<>, Linear<4, 4>, Tanh, Sigmoid>>() ==
          "[Linear<4, 4>] [PReLU<>] [Linear<4, 4> + Tanh + Sigmoid]");
    CHECK(describe<test_nets::Article>() ==
          "[Linear<5, 7> + LeakyReLU<0.01>] [Residual([Linear<7, 7> + BatchNorm<7> + ELU<1> + x])]");
    CHECK(describe<Residual<Seq<Linear<3, 2>, ReLU>, Linear<3, 2>>>() ==
          "[Residual([Linear<3, 2> + ReLU + shortcut], shortcut [Linear<3, 2>])]");
    CHECK(describe<Linear<3, 2>>() == "[Linear<3, 2>]");
    // The README's example.
    CHECK(describe<Seq<Linear<10, 20>, BatchNorm<20>, ReLU, Residual<Seq<Linear<20, 20>, ReLU>>>>() ==
          "[Linear<10, 20> + BatchNorm<20> + ReLU] [Residual([Linear<20, 20> + ReLU + x])]");
    CHECK(describe<ResidualEndings>() ==
          "[Residual([Linear<4, 4> + x])] [Residual([Linear<4, 4> + Tanh] [Linear<4, 4, no_bias> + BatchNorm<4> + x])] "
          "[Residual([Linear<4, 4, no_bias> + BatchNorm<4> + Sigmoid + shortcut], shortcut [Linear<4, 4>])] "
          "[Residual([Linear<4, 4> + ReLU + x])] [Residual([Linear<4, 4>] [PReLU<>])] [Residual([Residual([Linear<4, 4> + x])])]");
}

// Backward: a Linear's stage applies the post-ops' backward of the Linear's stage before it to
// each value of its dX as it stores it, where that stage has some.
template <class... L>
constexpr std::array<bool, sizeof...(L)> runs_previous_post_ops() {
    using Runner = execution::SeqRunner<Seq<L...>, execution::Fused>;
    std::array<bool, sizeof...(L)> runs{};
    typenn::detail::static_for<sizeof...(L)>([&](auto i) {
        if constexpr (Runner::lengths[i] > 0) runs[i] = Runner::template runs_previous_post_ops<i>;
    });
    return runs;
}
static_assert(runs_previous_post_ops<Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>>() ==
              std::array{false, false, false, true});
static_assert(runs_previous_post_ops<Linear<4, 4>, Tanh, Linear<4, 4, no_bias>, Linear<4, 4>>() ==
              std::array{false, false, true, false});  // no bias, no activation: nothing to run
static_assert(runs_previous_post_ops<Linear<4, 4>, PReLU<>, Linear<4, 4>, BatchNorm<4>, Linear<4, 4>>() ==
              std::array{false, false, false, false, true});  // PReLU runs its own
static_assert(runs_previous_post_ops<Linear<4, 4>, ReLU, Residual<Linear<4, 4>>, Linear<4, 4>>() ==
              std::array{false, false, false, false});  // a Residual adds its branches first

TEST_CASE("fused: a residual block adds its shortcut in the stage that ends its body") {
    fused::compare<ResidualEndings, 5>(28);
    fused::compare<ResidualEndings, 16>(29, 11);  // a partial batch: rows past 11 stay zero
    fused::compare<WideResidualEndings, 16>(30);
}
