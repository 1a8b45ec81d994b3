// SPDX-License-Identifier: BSL-1.0
// Shape rules as pure compile-time facts: if this file compiles, they hold.
#include <typenn/typenn.hpp>

#include "user_layers.hpp"

namespace {
using namespace typenn;

using Seed = Seq<Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>>;
static_assert(Seed::in_features == 10 && Seed::out_features == 1 && Seed::valid);
static_assert(Layer<Seed> && Layer<ReLU> && !Layer<int>);

// Activations and PReLU<> take any width and keep it.
static_assert(ReLU::in_features == any_width && output_width<ReLU>(7) == 7);
static_assert(PReLU<>::in_features == any_width && PReLU<5>::in_features == 5);
static_assert(Seq<ReLU, Tanh>::in_features == any_width);
static_assert(Seq<Tanh, Linear<3, 4>, Sigmoid>::in_features == 3);
static_assert(Seq<Tanh, Linear<3, 4>, Sigmoid>::out_features == 4);

// Nested Seq and Residual propagate widths.
using Block = Residual<Seq<Linear<8, 8>, BatchNorm<8>, ELU<>>>;
static_assert(Block::in_features == 8 && Block::out_features == 8 && Block::valid);
static_assert(Residual<Seq<ReLU>>::in_features == any_width);
using Projected = Residual<Seq<Linear<10, 20>, BatchNorm<20>, Linear<20, 1>>, Linear<10, 1>>;
static_assert(Projected::in_features == 10 && Projected::out_features == 1 && Projected::valid);
using Deep = Seq<Linear<4, 8>, Seq<ReLU, Seq<Block, Block>>, Linear<8, 2, no_bias>>;
static_assert(Deep::in_features == 4 && Deep::out_features == 2);
static_assert(Deep::widths<4>[1] == 8 && Deep::widths<4>[3] == 2);

// A width-agnostic layer takes the width it receives.
static_assert(Seq<Linear<3, 5>, PReLU<>>::out_features == 5);
static_assert(Seq<Linear<3, 5>, Seq<Tanh, Identity>>::out_features == 5);

// Parameters live inline: the model's size is its tensors, nothing else.
static_assert(sizeof(Model<Seq<Linear<4, 3>>>) >= 2 * (4 * 3 + 3) * sizeof(float));
static_assert(sizeof(Model<Seq<Linear<4, 3>>, double>) >= 2 * (4 * 3 + 3) * sizeof(double));
static_assert(sizeof(Model<Seq<Linear<4, 3, no_bias>>>) < sizeof(Model<Seq<Linear<4, 3>>>));

// Forward returns tensors of the declared shapes.
static_assert(std::is_same_v<decltype(std::declval<const Model<Seed>&>().forward(
                                 std::declval<const Tensor<7, 10>&>())),
                             Tensor<7, 1>>);
// Backward fills the input's gradient only when given a tensor of the input's shape for it.
static_assert(std::is_void_v<decltype(std::declval<Model<Seed, double>&>().backward(
                  std::declval<Tape<Seed, 3, double>&>(), std::declval<const BasicTensor<double, 3, 1>&>()))>);
template <class M, class Tape, class Dy, class Dx>
concept backward_fills = requires(M& m, Tape& t, const Dy& dy, Dx& dx) { m.backward(t, dy, dx); };
static_assert(backward_fills<Model<Seed, double>, Tape<Seed, 3, double>, BasicTensor<double, 3, 1>,
                             BasicTensor<double, 3, 10>>);
static_assert(!backward_fills<Model<Seed, double>, Tape<Seed, 3, double>, BasicTensor<double, 3, 1>,
                              BasicTensor<double, 3, 9>>);
// The layer protocol: each layer meets its kind's concepts, and declares its fusion role.

static_assert(LayerWithParameters<Linear<3, 4>> && LayerWithParameters<PReLU<>>);
static_assert(PointwiseActivation<ReLU> && PointwiseActivation<Tanh> && PointwiseActivation<ELU<>>);
static_assert(ElementwiseLayer<Sigmoid> && ElementwiseLayer<user_layers::Scale<3>> &&
              ElementwiseLayer<user_layers::Softsign>);
static_assert(!ElementwiseLayer<Linear<3, 4>> && !ElementwiseLayer<PReLU<>>);
static_assert(Normalisation<BatchNorm<4>> && !Normalisation<Linear<4, 4>>);
static_assert(Combinator<Seq<Linear<2, 2>>> && Combinator<Residual<Linear<2, 2>>> &&
              !Combinator<Linear<2, 2>>);
static_assert(fusion::has_role<Linear<2, 2>, fusion::product> &&
              fusion::has_role<BatchNorm<2>, fusion::normalisation> &&
              fusion::has_role<user_layers::Scale<2>, fusion::elementwise> &&
              fusion::has_role<PReLU<>, fusion::none> && fusion::has_role<Seq<ReLU>, fusion::none>);
static_assert(diagnostic::meets_layer_contract<user_layers::Scale<5>>());
// A product takes a normalisation and then every elementwise layer that follows.
static_assert(execution::stage_lengths<Linear<2, 2>, BatchNorm<2>, user_layers::Scale<2>, ReLU,
                                       PReLU<>, Linear<2, 2>, Tanh>() ==
              std::array<std::size_t, 7>{4, 0, 0, 0, 1, 2, 0});
static_assert(execution::stage_lengths<BatchNorm<2>, ReLU, Linear<2, 2>, BatchNorm<2>, BatchNorm<2>>() ==
              std::array<std::size_t, 5>{1, 1, 2, 0, 1});

}  // namespace
