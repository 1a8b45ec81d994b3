// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: Residual<Body, Shortcut>: Body and Shortcut must take the same width
// context: typenn::diagnostic::takes_width<10>, typenn::diagnostic::takes_width<12> >
#include <typenn/typenn.hpp>
using namespace typenn;

using Block = Residual<Linear<10, 1>, Linear<12, 1>>;
Model<Block> model;
