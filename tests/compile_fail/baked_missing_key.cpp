// SPDX-License-Identifier: BSL-1.0
// first error: call to non-'constexpr' function 'void typenn::baked_mismatch::the_network_has_a_key_that_the_baked_weights_lack()'
// context: typenn::BatchNorm<2>::state<2, float>::visit
#include <typenn/combinators/seq.hpp>
#include <typenn/layers/batchnorm.hpp>
#include <typenn/layers/linear.hpp>
#include <typenn/model.hpp>
using namespace typenn;

// Weights baked from Seq<Linear<3, 2>>, used for a network that adds a BatchNorm.
inline constexpr BakedTensor tensors[] = {{"0.weight", false, 2, {2, 3}, 0},
                                          {"0.bias", false, 1, {2}, 6}};
inline constexpr float values[] = {1, 2, 3, 4, 5, 6, 0, 0};
inline constexpr BakedWeights<float> weights{tensors, values, {}};

const Model<Seq<Linear<3, 2>, BatchNorm<2>>> model{weights};
