// SPDX-License-Identifier: BSL-1.0
// The article's residual block: body(x) + x with a body that maps 10 columns to 1. PyTorch
// fails only at run time; typenn refuses it at compile time.
// first error: static assertion failed: typenn: Residual<Body> adds its input to Body's output, so Body must keep the width
// context: typenn::diagnostic::takes_width<10>, typenn::diagnostic::gives_width<1> >
// context: the comparison reduces to '(10 == 1)'
#include <typenn/typenn.hpp>
using namespace typenn;

using Block = Residual<Seq<Linear<10, 20>, BatchNorm<20>, Linear<20, 1>>>;
Model<Block> model;
