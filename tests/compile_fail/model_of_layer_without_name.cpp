// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: the layer lacks `static std::string name()`
// context: layer_lacks<Nameless, typenn::diagnostic::member::name>
#include <cstddef>

#include <typenn/typenn.hpp>
using namespace typenn;

// A whole network that is one layer of the user's, checked by Model itself.
struct Nameless {
    static constexpr std::size_t in_features = 3, out_features = 3;
    static constexpr bool valid = true;
};

int main() {
    Model<Nameless> model;
    Tensor<2, 3> x{};
    Tensor<2, 3> y = model.forward(x);
    (void)y;
}
