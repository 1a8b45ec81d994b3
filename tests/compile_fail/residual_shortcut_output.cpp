// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: Residual<Body, Shortcut>: Shortcut's output width differs from Body's
// context: typenn::diagnostic::gives_width<1>, typenn::diagnostic::gives_width<2> >
#include <typenn/typenn.hpp>
using namespace typenn;

using Block = Residual<Seq<Linear<10, 20>, BatchNorm<20>, Linear<20, 1>>, Linear<10, 2>>;
static_assert(Block::out_features == 1);
