// SPDX-License-Identifier: BSL-1.0
#pragma once
// The fused policy against the reference policy: same parameters, same data, and every
// result — inference, training forward, dx, every gradient, running statistics — compared.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include <typenn/typenn.hpp>

namespace fused {

template <class M>
std::vector<double> everything(const M& model) {
    std::vector<double> out;
    // Element by element: GCC 12 warns falsely (-Wstringop-overflow) on vector::insert of a
    // float range into doubles.
    model.visit([&](const typenn::KeyPath&, auto entry) {
        if constexpr (requires { entry.value.data(); })
            for (const auto v : entry.value) out.push_back(double(v));
        else
            out.push_back(double(entry.value));
        if constexpr (requires { entry.grad; })
            for (const auto v : entry.grad) out.push_back(double(v));
    });
    return out;
}

template <class A, class B>
void check_close(const A& fused, const B& reference, const char* what) {
    REQUIRE(fused.size() == reference.size());
    std::size_t worst = 0;
    double worst_error = 0;
    for (std::size_t k = 0; k < fused.size(); ++k) {
        const double f = fused.data()[k], r = reference.data()[k];
        const double error = std::abs(f - r) / (1e-5 + 1e-4 * std::abs(r));
        if (!(error <= worst_error)) worst_error = error, worst = k;
    }
    INFO(what << ": worst element " << worst << " is " << fused.data()[worst] << " against "
              << reference.data()[worst] << " (" << worst_error << " tolerances)");
    CHECK(worst_error <= 1.0);
}

template <class Net, std::size_t B>
void compare(std::uint64_t seed, std::size_t rows = B) {
    using namespace typenn;
    Model<Net, float, execution::Fused> fast(seed);
    Model<Net, float, execution::Reference> reference(seed);
    // Parameters and running statistics away from their initial values so that every path
    // matters (inference folds the statistics into the Linear's epilogue).
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal;
    std::vector<float> shared;
    fast.visit([&](const KeyPath& at, auto entry) {
        if constexpr (requires { entry.grad; }) {
            for (auto& v : entry.value) v += 0.2f * normal(rng), shared.push_back(v);
        } else if constexpr (requires { entry.value.data(); }) {
            const bool variance = at.str().ends_with("running_var");
            for (auto& v : entry.value)
                v = variance ? std::exp(0.5f * normal(rng)) : 0.3f * normal(rng), shared.push_back(v);
        }
    });
    std::size_t k = 0;
    reference.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.value.data(); })
            for (auto& v : entry.value) v = shared[k++];
    });
    Tensor<B, Net::in_features> x;
    Tensor<B, Net::out_features> dy;
    for (auto& v : x) v = normal(rng);
    for (auto& v : dy) v = normal(rng);

    check_close(fast.forward(x), reference.forward(x), "inference");
    static Tape<Net, B> fast_tape, reference_tape;
    check_close(fast.forward(x, fast_tape, Rows{rows}), reference.forward(x, reference_tape, Rows{rows}),
                "training forward");
    static BasicTensor<float, B, Net::in_features> fast_dx, reference_dx;
    fast.backward(fast_tape, dy, fast_dx);
    reference.backward(reference_tape, dy, reference_dx);
    check_close(fast_dx, reference_dx, "dx");
    check_close(everything(fast), everything(reference), "parameters, gradients, buffers");
}

}  // namespace fused
