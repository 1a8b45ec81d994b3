// SPDX-License-Identifier: BSL-1.0
#pragma once
// What both I/O test files share: the network of tests/fixtures/io (see
// tools/make_io_fixtures.py), models whose every tensor has a distinct non-default value, and
// a copy of every value that does not go through the I/O code under test.
#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <typenn/typenn.hpp>

namespace io_test {
using namespace typenn;

using Net = Seq<Linear<5, 7>, BatchNorm<7>, LeakyReLU<0.2f>, Residual<Seq<Linear<7, 7>, PReLU<>>>,
                Linear<7, 3, no_bias>>;

inline const std::string fixtures = TYPENN_FIXTURES "/io/";

// Two models made from different seeds differ in every parameter, buffer and gradient, so
// that a load that copied any tensor before refusing a file would be caught.
template <class T = float>
Model<Net, T> model_with_state(std::uint64_t seed) {
    Model<Net, T> model(seed);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<T> positive(T(0.5), T(2));
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (std::is_arithmetic_v<std::remove_reference_t<decltype(entry.value)>>)
            entry.value = static_cast<std::int64_t>(seed);
        else
            for (auto& v : entry.value) v = positive(rng);
        if constexpr (requires { entry.grad; })
            for (auto& g : entry.grad) g = positive(rng);
    });
    return model;
}

// Every value and gradient of a model, keyed by name ("1.running_var", "0.weight.grad").
using Snapshot = std::vector<std::pair<std::string, std::vector<double>>>;

template <class T>
Snapshot snapshot(const Model<Net, T>& model, bool with_grads = true) {
    Snapshot out;
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(entry.value)>>)
            out.push_back({key.str(), {double(entry.value)}});
        else
            out.push_back({key.str(), {entry.value.begin(), entry.value.end()}});
        if constexpr (requires { entry.grad; })
            if (with_grads)
                out.push_back({key.str() + ".grad", {entry.grad.begin(), entry.grad.end()}});
    });
    return out;
}

}  // namespace io_test
