// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: BatchNorm<N> receives a width other than N
// context: input_width_mismatch<typenn::BatchNorm<30>, typenn::diagnostic::position_in_seq<1>, typenn::diagnostic::takes_width<30>, typenn::diagnostic::receives_width<20> >
#include <typenn/typenn.hpp>
using namespace typenn;

int main() {
    Model<Seq<Linear<10, 20>, BatchNorm<30>, ReLU, Linear<30, 1>>> model;
    Tensor<4, 10> x{};
    Tensor<4, 1> y = model.forward(x);
    (void)y;
}
