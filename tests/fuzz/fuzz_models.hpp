// SPDX-License-Identifier: BSL-1.0
#pragma once
// The models the load fuzzer loads into, and what its checks and the seed corpus share.
// Together they hold every kind of tensor load handles: weights and biases, a no_bias Linear,
// a one-element PReLU slope, BatchNorm's running statistics and its 0-dim I64 counter, keys
// nested through Seq and Residual (with and without a shortcut), F32 and F64.
// Built by clang 14, which has no floating-point template parameters: ELU<> and LeakyReLU<>
// are left out, and they hold no tensor.
#include <cstddef>
#include <cstdint>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

#include <typenn/combinators/residual.hpp>
#include <typenn/combinators/seq.hpp>
#include <typenn/io/state_dict.hpp>
#include <typenn/layers/batchnorm.hpp>
#include <typenn/layers/linear.hpp>
#include <typenn/layers/prelu.hpp>
#include <typenn/layers/relu.hpp>
#include <typenn/layers/sigmoid.hpp>
#include <typenn/layers/tanh.hpp>
#include <typenn/model.hpp>

namespace typenn::fuzz {

using Mixed = Seq<Linear<3, 4>, BatchNorm<4>, ReLU, Residual<Seq<Linear<4, 4>, Tanh>>,
                  Linear<4, 2, no_bias>>;
using WithShortcut = Residual<Seq<Linear<2, 3>, PReLU<>>, Seq<Linear<2, 3, no_bias>, Sigmoid>>;
// Two tensors of a few bytes: a mutation can turn almost any header into one that loads.
using Tiny = Linear<2, 1>;

using Models = std::tuple<Model<Mixed>, Model<Mixed, double>, Model<WithShortcut>,
                          Model<Tiny>, Model<Tiny, double>>;

// Every byte of a model's values and buffers, or of its gradients, in visiting order: two
// models are bit-identical exactly when both are equal (unlike ==, which NaN and -0 fool).
template <class M>
std::vector<std::byte> value_bytes(const M& model) {
    std::vector<std::byte> out;
    model.visit([&](const KeyPath&, auto entry) {
        std::span<const std::byte> bytes;
        if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(entry.value)>>)
            bytes = std::as_bytes(std::span(&entry.value, 1));
        else
            bytes = std::as_bytes(std::span(entry.value.data(), entry.value.size()));
        out.insert(out.end(), bytes.begin(), bytes.end());
    });
    return out;
}

template <class M>
std::vector<std::byte> gradient_bytes(const M& model) {
    std::vector<std::byte> out;
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; }) {
            const auto bytes = std::as_bytes(std::span(entry.grad.data(), entry.grad.size()));
            out.insert(out.end(), bytes.begin(), bytes.end());
        }
    });
    return out;
}

// A model whose every value and gradient differs from the one at the same place in a model
// made from another seed, so that a load which copied part of a file, or touched a gradient,
// shows.
template <class M>
M distinct_model(std::uint64_t seed) {
    M model;
    using T = typename M::scalar;
    T next = T(seed);
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(entry.value)>>)
            entry.value = std::int64_t(seed);
        else
            for (auto& v : entry.value) v = next += T(0.25);
        if constexpr (requires { entry.grad; })
            for (auto& g : entry.grad) g = -(next += T(0.25));
    });
    return model;
}

}  // namespace typenn::fuzz
