// SPDX-License-Identifier: BSL-1.0
// Classifies 8×8 handwritten digits with a model baked into the program; built with
// -fno-exceptions. Reads images in the format of examples/data/digits.csv.gz (64 ink counts
// 0..16, then the label, per line) from a file or stdin:
//   embedded_digits [samples.csv]
//   gzip -dc examples/data/digits.csv.gz | embedded_digits
#include <array>
#include <cstdio>

#include "classifier.hpp"

namespace {

// One image and its label; false at the end of the input or on a malformed line.
bool read_sample(std::FILE* in, std::array<float, 64>& pixels, int& label) {
    for (float& pixel : pixels) {
        int count;
        if (std::fscanf(in, " %d ,", &count) != 1 || count < 0 || count > 16) return false;
        pixel = float(count) / 16.0f;
    }
    return std::fscanf(in, " %d", &label) == 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::FILE* in = argc > 1 ? std::fopen(argv[1], "r") : stdin;
    if (in == nullptr) {
        std::fprintf(stderr, "embedded_digits: cannot open %s\n", argv[1]);
        return 1;
    }
    std::array<float, 64> pixels;
    int label, samples = 0, correct = 0;
    while (read_sample(in, pixels, label)) {
        const int digit = embedded::classify(pixels);
        std::printf("sample %d: digit %d (label %d)\n", ++samples, digit, label);
        correct += digit == label;
    }
    if (!std::feof(in)) {
        std::fprintf(stderr, "embedded_digits: line %d: expected 64 ink counts 0..16 and a label\n",
                     samples + 1);
        return 1;
    }
    std::printf("correct: %d of %d\n", correct, samples);
}
