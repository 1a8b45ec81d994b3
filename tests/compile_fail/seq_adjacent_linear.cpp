// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: Linear<In, Out> receives a width other than In
// context: input_width_mismatch<typenn::Linear<30, 5>, typenn::diagnostic::position_in_seq<1>, typenn::diagnostic::takes_width<30>, typenn::diagnostic::receives_width<20> >
// context: the comparison reduces to '(30 == 20)'
#include <typenn/typenn.hpp>
using namespace typenn;

using Net = Seq<Linear<10, 20>, Linear<30, 5>>;
static_assert(Net::in_features == 10);
