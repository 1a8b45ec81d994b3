// SPDX-License-Identifier: BSL-1.0
#pragma once
// Weights baked into the program: tools/typenn_bake.cpp turns a safetensors file into a header
// defining a BakedWeights, and Model<Net, T>(weights) is built from it by the compiler, so
// that the model can be declared constinit or constexpr — no file, no heap, no
// static-initialisation order, nothing that throws. Weights that do not fit Net stop the
// compilation (see baked_mismatch below).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "typenn/key_path.hpp"

namespace typenn {

inline constexpr std::size_t baked_max_rank = 4;

// One tensor of a state_dict: a floating-point tensor's values start at values[offset]; a
// 0-dim integer buffer (BatchNorm's num_batches_tracked) is integers[offset].
struct BakedTensor {
    std::string_view key;
    bool integer;
    std::size_t rank;
    std::array<std::size_t, baked_max_rank> shape;
    std::size_t offset;
};

template <class T>
struct BakedWeights {
    std::span<const BakedTensor> tensors;
    std::span<const T> values;
    std::span<const std::int64_t> integers;
};

// Building a model from weights that do not fit its network reaches one of these while the
// compiler evaluates the constructor. They are not constexpr, so compilation stops with
// "call to non-'constexpr' function" naming the problem, below the chain of calls that names
// the layer (its state's visit) where it was found.
namespace baked_mismatch {
void the_network_has_a_key_that_the_baked_weights_lack();
void a_baked_tensor_has_another_shape_or_dtype_than_the_network_expects();
void the_baked_weights_have_keys_that_the_network_lacks();
}  // namespace baked_mismatch

namespace detail {

constexpr const BakedTensor* find_baked(std::span<const BakedTensor> tensors,
                                        const KeyPath& key) {
    for (const BakedTensor& tensor : tensors)
        if (key.spells(tensor.key)) return &tensor;
    return nullptr;
}

template <class Value>
constexpr bool baked_layout_fits(const BakedTensor& tensor) {
    if constexpr (std::is_integral_v<Value>) {
        return tensor.integer && tensor.rank == 0;
    } else {
        if (tensor.integer || tensor.rank != Value::rank) return false;
        for (std::size_t d = 0; d < Value::rank; ++d)
            if (tensor.shape[d] != Value::shape()[d]) return false;
        return true;
    }
}

// Writes every tensor of a model's state: each value from the baked tensor of the same key
// (as strict as load()), each gradient zero. Writing everything also makes the state fully
// initialised for the compiler, which a constant must be.
template <class State, class T>
constexpr void restore_baked(State& state, const BakedWeights<T>& weights) {
    std::size_t restored = 0;
    auto restore = [&](const KeyPath& key, auto entry) {
        using Value = std::remove_cvref_t<decltype(entry.value)>;
        const BakedTensor* tensor = find_baked(weights.tensors, key);
        if (tensor == nullptr) baked_mismatch::the_network_has_a_key_that_the_baked_weights_lack();
        if (!baked_layout_fits<Value>(*tensor))
            baked_mismatch::a_baked_tensor_has_another_shape_or_dtype_than_the_network_expects();
        if constexpr (std::is_integral_v<Value>) {
            entry.value = weights.integers[tensor->offset];
        } else {
            for (std::size_t k = 0; k < Value::size(); ++k)
                entry.value[k] = weights.values[tensor->offset + k];
        }
        if constexpr (requires { entry.grad; }) entry.grad.fill(T(0));
        ++restored;
    };
    State::visit(state, KeyPath{}, restore);
    // Keys are unique on both sides, so equal counts mean that every baked tensor was used.
    if (restored != weights.tensors.size())
        baked_mismatch::the_baked_weights_have_keys_that_the_network_lacks();
}

}  // namespace detail
}  // namespace typenn
