// SPDX-License-Identifier: BSL-1.0
#pragma once
// What the tests of execution::Checked share: models with a planted value, and the error a
// pass throws.
#include <catch2/catch.hpp>

#include <cmath>
#include <optional>
#include <random>
#include <string>

#include <typenn/typenn.hpp>

namespace checked_test {
using namespace typenn;

template <class Net>
using CheckedModel = Model<Net, float, execution::Checked>;

// Sets element k of the tensor whose state_dict key is `key` (its value, or its gradient).
template <class M>
void plant(M& model, const std::string& key, std::size_t k, float value, bool in_grad = false) {
    bool found = false;
    model.visit([&](const KeyPath& at, auto entry) {
        if (at.str() != key) return;
        if constexpr (requires { entry.grad; }) {
            (in_grad ? entry.grad : entry.value)[k] = value;
            found = true;
        } else if constexpr (requires { entry.value.data(); }) {
            entry.value[k] = value;
            found = true;
        }
    });
    REQUIRE(found);
}

// Every parameter (weights and biases) set to `value`.
template <class M>
void fill_parameters(M& model, const std::string& layer, float weight, float bias) {
    model.visit([&](const KeyPath& at, auto entry) {
        const std::string key = at.str();
        if constexpr (requires { entry.grad; }) {
            if (key == layer + ".weight") entry.value.fill(weight);
            if (key == layer + ".bias") entry.value.fill(bias);
        }
    });
}

// The NonFiniteError f throws; none if it returns.
template <class F>
std::optional<NonFiniteError> error_of(F&& f) {
    try {
        f();
    } catch (const NonFiniteError& e) {
        return e;
    }
    return std::nullopt;
}

template <class T, std::size_t B, std::size_t W>
void fill_normal(BasicTensor<T, B, W>& t, std::uint64_t seed, float scale = 1) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal;
    for (auto& v : t) v = scale * normal(rng);
}

}  // namespace checked_test
