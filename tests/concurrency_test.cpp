// SPDX-License-Identifier: BSL-1.0
// Inference on a const model only reads the model and keeps its scratch on the caller's
// stack, so several threads may run forward on one model at once: each must get, bit for
// bit, what one thread alone gets. .ci/run also runs this test built with ThreadSanitizer,
// which reports any data race between them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <latch>
#include <random>
#include <thread>
#include <vector>

#include "test_nets.hpp"

using namespace typenn;

namespace {
constexpr std::size_t threads = 4, inputs = 12, rounds = 10;

template <std::size_t B, std::size_t W>
Tensor<B, W> random_input(std::mt19937_64& rng) {
    std::normal_distribution<float> draw(0.f, 2.f);
    Tensor<B, W> x;
    for (float& v : x) v = draw(rng);
    return x;
}

// A model whose BatchNorm running statistics have left their defaults, so that inference
// reads every kind of state.
template <class Net, std::size_t B>
Model<Net> trained_model(std::mt19937_64& rng) {
    Model<Net> model(11);
    Tape<Net, B> tape;
    for (int step = 0; step < 3; ++step)
        model.forward(random_input<B, Net::in_features>(rng), tape);
    return model;
}

template <class Net, std::size_t B>
void require_concurrent_inference_matches_one_thread() {
    using Input = Tensor<B, Net::in_features>;
    using Output = Tensor<B, Net::out_features>;
    std::mt19937_64 rng(B);
    const Model<Net> model = trained_model<Net, std::max<std::size_t>(B, 2)>(rng);
    std::vector<Input> x;
    std::vector<Output> expected;
    for (std::size_t i = 0; i < inputs; ++i) {
        x.push_back(random_input<B, Net::in_features>(rng));
        expected.push_back(model.forward(x.back()));
    }

    // Each thread walks the inputs from its own starting point, so that at any moment the
    // threads compute different inputs as well as the same ones.
    std::vector<std::size_t> mismatches(threads, 0), computed(threads, 0);
    std::latch start(threads);
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            start.arrive_and_wait();
            for (std::size_t round = 0; round < rounds; ++round)
                for (std::size_t k = 0; k < inputs; ++k) {
                    const std::size_t i = (k + t * 5) % inputs;
                    const Output y = model.forward(x[i]);
                    mismatches[t] += std::memcmp(y.data(), expected[i].data(),
                                                 sizeof(float) * y.size()) != 0;
                    ++computed[t];
                }
        });
    for (auto& worker : workers) worker.join();
    for (std::size_t t = 0; t < threads; ++t) {
        INFO("thread " << t);
        CHECK(computed[t] == rounds * inputs);
        CHECK(mismatches[t] == 0);
    }
}
}  // namespace

TEST_CASE("several threads running inference on one const model get one thread's results") {
    SECTION("every activation, batch 1") {
        require_concurrent_inference_matches_one_thread<test_nets::EveryActivation, 1>();
    }
    SECTION("every activation, batch 13") {
        require_concurrent_inference_matches_one_thread<test_nets::EveryActivation, 13>();
    }
    SECTION("nested residuals with BatchNorm, batch 32") {
        require_concurrent_inference_matches_one_thread<test_nets::NestedResidual, 32>();
    }
    SECTION("Linear, BatchNorm, ReLU, batch 64") {
        require_concurrent_inference_matches_one_thread<test_nets::Seed, 64>();
    }
}

// zero_grad and clipping write gradients only, which inference never reads: a trainer may clear
// them while other threads still infer on the model. Under ThreadSanitizer this fails if they
// remake the derived state (a BatchNorm's inference map, a narrow Linear's Wᵀ) that inference
// reads, as every writing visit does.
TEST_CASE("zeroing and clipping gradients while other threads run inference on the model") {
    using Net = test_nets::Seed;
    std::mt19937_64 rng(7);
    Model<Net> model = trained_model<Net, 8>(rng);
    const Model<Net>& readers_view = model;
    const auto x = random_input<8, Net::in_features>(rng);
    const auto expected = readers_view.forward(x);
    constexpr std::size_t readers = threads - 1, calls = rounds * inputs;
    std::vector<std::size_t> mismatches(readers, 0);
    std::latch start(readers + 1);
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < readers; ++t)
        workers.emplace_back([&, t] {
            start.arrive_and_wait();
            for (std::size_t call = 0; call < calls; ++call) {
                const auto y = readers_view.forward(x);
                mismatches[t] += std::memcmp(y.data(), expected.data(), sizeof(float) * y.size()) != 0;
            }
        });
    start.arrive_and_wait();
    for (std::size_t call = 0; call < calls; ++call) {
        model.zero_grad();
        clip_grad_value(model, 0.5);
        clip_grad_norm(model, 1.0);
    }
    for (auto& worker : workers) worker.join();
    for (std::size_t t = 0; t < readers; ++t) CHECK(mismatches[t] == 0);
}
