// SPDX-License-Identifier: BSL-1.0
// Weights baked into the program by typenn_bake_weights(), built without exceptions: the
// network of tests/fixtures/io/pytorch_net.safetensors, a state_dict PyTorch saved.
#include <typenn/combinators/residual.hpp>
#include <typenn/combinators/seq.hpp>
#include <typenn/layers/batchnorm.hpp>
#include <typenn/layers/leaky_relu.hpp>
#include <typenn/layers/linear.hpp>
#include <typenn/layers/prelu.hpp>
#include <typenn/model.hpp>

#include "pytorch_net_weights.hpp"

using namespace typenn;
using Net = Seq<Linear<5, 7>, BatchNorm<7>, LeakyReLU<0.2f>, Residual<Seq<Linear<7, 7>, PReLU<>>>,
                Linear<7, 3, no_bias>>;

constinit const Model<Net> baked{pytorch_net_weights::weights};

Tensor<1, 3> baked_output(const Tensor<1, 5>& x) { return baked.forward(x); }
