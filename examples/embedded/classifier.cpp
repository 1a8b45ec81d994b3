// SPDX-License-Identifier: BSL-1.0
#include "classifier.hpp"

#include <algorithm>

#include "digits_weights.hpp"  // generated from digits.safetensors by typenn_bake

namespace embedded {

// Constant-initialised: in the program image, ready before any code runs.
constinit const typenn::Model<DigitsNet> classifier{digits_weights::weights};

int classify(std::span<const float, 64> pixels) {
    typenn::Tensor<1, 64> x;
    std::copy(pixels.begin(), pixels.end(), x.begin());
    const auto scores = classifier.forward(x);
    return int(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

}  // namespace embedded
