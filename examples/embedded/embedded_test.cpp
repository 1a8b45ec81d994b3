// SPDX-License-Identifier: BSL-1.0
// The baked classifier is the model examples/digits saved, bit for bit, and running it touches
// no heap (building it did not either: the compiler did).
#include <catch2/catch.hpp>

#include <cstddef>
#include <vector>

#include <typenn/data/digits.hpp>
#include <typenn/io/state_dict.hpp>

#include "classifier.hpp"
#include "heap_counter.hpp"

using embedded::classifier;
using embedded::DigitsNet;

namespace {
const typenn::data::Dataset<64>& digits() {
    static const auto all = typenn::data::load_digits(TYPENN_DIGITS_CSV_GZ);
    return all;
}
}  // namespace

TEST_CASE("the baked classifier holds the weights of the file it was baked from") {
    static typenn::Model<DigitsNet> loaded;
    typenn::load(loaded, TYPENN_EMBEDDED_WEIGHTS);
    CHECK(typenn::to_bytes(classifier) == typenn::to_bytes(loaded));
}

TEST_CASE("the baked classifier gives the file-loaded model's outputs on every image") {
    static typenn::Model<DigitsNet> loaded;
    typenn::load(loaded, TYPENN_EMBEDDED_WEIGHTS);
    std::size_t differing = 0;
    for (std::size_t i = 0; i < digits().size(); ++i) {
        typenn::Tensor<1, 64> x;
        std::copy_n(digits().row(i).begin(), 64, x.begin());
        differing += classifier.forward(x) != loaded.forward(x);
    }
    CHECK(digits().size() == typenn::data::digits_samples);
    CHECK(differing == 0);
}

TEST_CASE("classifying with the baked classifier allocates nothing") {
    const auto test = typenn::data::split_digits(digits()).test;
    std::size_t correct = 0;
    heap_counter::allocations = 0;
    for (std::size_t i = 0; i < test.size(); ++i)
        correct += embedded::classify(test.row(i)) == test.labels[i];
    const std::size_t allocations = heap_counter::allocations;
    CHECK(allocations == 0);
    // examples/digits reports 97.2% for this model on the same split.
    CHECK(double(correct) / double(test.size()) > 0.97);

    heap_counter::allocations = 0;
    std::vector<int> probe(3);  // the counter counts
    CHECK(heap_counter::allocations == 1);
}
