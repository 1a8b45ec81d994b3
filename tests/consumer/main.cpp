// SPDX-License-Identifier: BSL-1.0
#include <typenn/data/digits.hpp>
#include <typenn/typenn.hpp>

#include <cmath>
#include <cstdio>

using Net = typenn::Seq<typenn::Linear<3, 4>, typenn::ReLU, typenn::Linear<4, 2>>;

typenn::Tensor<1, 3> baked_output(const typenn::Tensor<1, 5>& x);  // baked.cpp

int main() {
    const typenn::Model<Net> model;
    typenn::Tensor<1, 3> x = {{1.0f, -2.0f, 0.5f}};
    const auto y = model.forward(x);
    std::printf("consumer: %s gives %g %g\n", Net::name().c_str(), y(0, 0), y(0, 1));

    // What the model loaded from the same file gives (typenn's own baked_tests compare all).
    const auto baked = baked_output({{0.5f, -1.0f, 2.0f, 0.0f, 1.0f}});
    const float expected[3] = {0.0158275068f, -0.315780669f, 0.285737127f};
    std::printf("consumer: baked model gives %g %g %g\n", baked(0, 0), baked(0, 1), baked(0, 2));
    for (int k = 0; k < 3; ++k)
        if (std::abs(baked(0, k) - expected[k]) > 1e-5f) return 1;

    const auto digits = typenn::data::load_digits(TYPENN_DIGITS_CSV_GZ);
    std::printf("consumer: typenn::data read %zu digits\n", digits.size());
    return y.size() == 2 && digits.size() == typenn::data::digits_samples ? 0 : 1;
}
