// SPDX-License-Identifier: BSL-1.0
// A mismatch deep inside nested combinators is reported at its own level, with its position.
// first error: static assertion failed: typenn: Linear<In, Out> receives a width other than In
// context: input_width_mismatch<typenn::Linear<16, 8>, typenn::diagnostic::position_in_seq<2>, typenn::diagnostic::takes_width<16>, typenn::diagnostic::receives_width<8> >
#include <typenn/typenn.hpp>
using namespace typenn;

using Net = Seq<Linear<4, 8>, Residual<Seq<Linear<8, 8>, ReLU, Linear<16, 8>>>, Linear<8, 1>>;
Model<Net> model;
