// SPDX-License-Identifier: BSL-1.0
// first error: call to non-'constexpr' function 'void typenn::baked_mismatch::a_baked_tensor_has_another_shape_or_dtype_than_the_network_expects()'
// context: typenn::Linear<3, 2>::state<3, float>::visit
#include <typenn/combinators/seq.hpp>
#include <typenn/layers/linear.hpp>
#include <typenn/model.hpp>
using namespace typenn;

// Linear<3, 2>'s weight baked [In, Out] instead of PyTorch's [Out, In]. (Declared constinit,
// the model gets the same error reported twice by GCC 12; this harness wants one.)
inline constexpr BakedTensor tensors[] = {{"0.weight", false, 2, {3, 2}, 0},
                                          {"0.bias", false, 1, {2}, 6}};
inline constexpr float values[] = {1, 2, 3, 4, 5, 6, 0, 0};
inline constexpr BakedWeights<float> weights{tensors, values, {}};

const Model<Seq<Linear<3, 2>>> model{weights};
