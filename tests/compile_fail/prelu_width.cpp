// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: PReLU<N> receives a width other than N
// context: input_width_mismatch<typenn::PReLU<8>, typenn::diagnostic::position_in_seq<2>, typenn::diagnostic::takes_width<8>, typenn::diagnostic::receives_width<16> >
#include <typenn/typenn.hpp>
using namespace typenn;

int main() {
    Model<Seq<Linear<4, 16>, Tanh, PReLU<8>>> model;
    Tape<Seq<Linear<4, 16>, Tanh, PReLU<8>>, 2> tape;
    Tensor<2, 4> x{};
    auto y = model.forward(x, tape);
    model.backward(tape, y);
}
