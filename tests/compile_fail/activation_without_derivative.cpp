// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: the activation lacks `template <class V> static V derivative(V at)`
// context: layer_lacks<Softsign, typenn::diagnostic::member::derivative>
#include <string>

#include <typenn/typenn.hpp>
using namespace typenn;

struct Softsign : Pointwise<Softsign> {
    static std::string name() { return "Softsign"; }
    template <class V> static V value(V x) { return x / (V(1) + abs(x)); }
};

int main() {
    Model<Seq<Linear<4, 8>, Softsign, Linear<8, 1>>> model;
    Tensor<2, 4> x{};
    Tensor<2, 1> y = model.forward(x);
    (void)y;
}
