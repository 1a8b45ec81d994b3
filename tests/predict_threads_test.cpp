// SPDX-License-Identifier: BSL-1.0
// Model::predict on a const model from several threads at once, and its one allocation: the
// result.
#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <thread>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <typenn/typenn.hpp>

#include "heap_counter.hpp"
#include "test_nets.hpp"

using namespace typenn;
using Net = test_nets::Seed;  // Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>

namespace {
xt::xtensor<float, 2> random_rows(std::size_t rows, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> draw;
    auto x = xt::xtensor<float, 2>::from_shape({rows, Net::in_features});
    for (float& v : x) v = draw(rng);
    return x;
}
}  // namespace

TEST_CASE("a const model predicts from several threads at once") {
    static const Model<Net> model(5);
    constexpr std::size_t threads = 4, rounds = 25;
    std::vector<xt::xtensor<float, 2>> inputs, expected;
    for (std::size_t t = 0; t < threads; ++t) {
        inputs.push_back(random_rows(257 + t, t));
        expected.push_back(model.predict(inputs[t]));
    }
    std::vector<std::size_t> mismatches(threads, 0);
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            for (std::size_t round = 0; round < rounds; ++round)
                mismatches[t] += model.predict(inputs[t]) != expected[t];
        });
    for (auto& worker : workers) worker.join();
    for (std::size_t t = 0; t < threads; ++t) CHECK(mismatches[t] == 0);
}

TEST_CASE("predict allocates the result and nothing else") {
    static const Model<Net> model(5);
    for (const std::size_t rows : {std::size_t(1), std::size_t(33), std::size_t(1000)}) {
        const auto x = random_rows(rows, rows);
        heap_counter::allocations = 0;
        const auto y = model.predict(x);
        const std::size_t allocations = heap_counter::allocations;
        CHECK(allocations == 1);
        CHECK(y.shape()[0] == rows);
    }
}
