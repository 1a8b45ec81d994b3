// SPDX-License-Identifier: BSL-1.0
#pragma once
// A handwritten-digit classifier whose weights are part of the program: the model trained by
// examples/digits (digits.safetensors), baked at build time and built by the compiler. It
// needs no file, no heap and no exceptions.
#include <span>

#include <typenn/combinators/seq.hpp>
#include <typenn/layers/linear.hpp>
#include <typenn/layers/relu.hpp>
#include <typenn/model.hpp>

namespace embedded {

// examples/digits.cpp's network: the baked weights must fit it, or the build fails.
using DigitsNet = typenn::Seq<typenn::Linear<64, 128>, typenn::ReLU, typenn::Linear<128, 128>,
                              typenn::ReLU, typenn::Linear<128, 10>>;

extern const typenn::Model<DigitsNet> classifier;

// The digit an 8×8 image shows; pixels are ink counts 0..16 scaled to [0, 1], row by row.
int classify(std::span<const float, 64> pixels);

}  // namespace embedded
