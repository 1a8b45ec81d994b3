// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: Model<Net>::forward: the input tensor's column count is not Net::in_features
// context: typenn::diagnostic::takes_width<10>, typenn::diagnostic::receives_width<12> >
#include <typenn/typenn.hpp>
using namespace typenn;

int main() {
    Model<Seq<Linear<10, 20>, ReLU, Linear<20, 1>>> model;
    Tensor<3, 12> x{};
    Tensor<3, 1> y = model.forward(x);
    (void)y;
}
