#include <typenn/typenn.hpp>

#include <cstdio>

using Net = typenn::Seq<typenn::Linear<3, 4>, typenn::ReLU, typenn::Linear<4, 2>>;

int main() {
    const typenn::Model<Net> model;
    typenn::Tensor<1, 3> x = {{1.0f, -2.0f, 0.5f}};
    const auto y = model.forward(x);
    std::printf("consumer: %s gives %g %g\n", Net::name().c_str(), y(0, 0), y(0, 1));
    return y.size() == 2 ? 0 : 1;
}
