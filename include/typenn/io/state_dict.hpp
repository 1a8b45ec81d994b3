// SPDX-License-Identifier: BSL-1.0
#pragma once
// A Model's state_dict as a safetensors file, with the keys, dtypes and layouts of PyTorch's
// state_dict for the same structure, so that checkpoints travel both ways between typenn and
// torch (load_state_dict / state_dict). A float model is stored as F32, a double model as F64,
// BatchNorm's num_batches_tracked as a 0-dim I64.
// Loading is strict and all-or-nothing: the file must hold exactly the model's tensors, with
// exactly their dtypes and shapes; everything is validated before the first byte is copied,
// so on any io_error the model is left exactly as it was.
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "typenn/concepts/model.hpp"
#include "typenn/detail/raise.hpp"
#include "typenn/io/error.hpp"
#include "typenn/io/safetensors.hpp"
#include "typenn/key_path.hpp"
#include "typenn/model.hpp"

namespace typenn {

namespace detail {
// A model tensor's elements: an xtensor_fixed, or a scalar buffer (num_batches_tracked).
template <class Value>
auto elements_of(Value& value) {
    if constexpr (std::is_arithmetic_v<std::remove_const_t<Value>>)
        return std::span(&value, 1);
    else
        return std::span(value.data(), value.size());
}

// How a model tensor appears in a file; a scalar buffer is a 0-dim tensor, as in PyTorch.
template <class Value>
safetensors::TensorInfo stored_as(const KeyPath& key, const Value& value) {
    const auto elements = elements_of(value);
    using Element = std::remove_const_t<typename decltype(elements)::element_type>;
    std::vector<std::size_t> shape;
    if constexpr (!std::is_arithmetic_v<Value>)
        shape.assign(value.shape().begin(), value.shape().end());
    return {key.str(), safetensors::dtype_of<Element>, std::move(shape), std::as_bytes(elements)};
}

// Every problem at once, as PyTorch's load_state_dict lists them, so that one run shows
// everything a converted checkpoint gets wrong.
template <AnyModel M>
void check_fits(const M& model, const safetensors::Archive& archive) {
    std::vector<std::string> problems;
    std::set<std::string, std::less<>> expected_keys;
    model.visit([&](const KeyPath& key, auto entry) {
        const safetensors::TensorInfo wanted = stored_as(key, entry.value);
        const std::string wanted_layout = safetensors::describe(wanted.dtype, wanted.shape);
        const safetensors::TensorInfo* found = archive.find(wanted.name);
        if (found == nullptr)
            problems.push_back("missing key '" + wanted.name + "': expected " + wanted_layout +
                               ", found no such tensor");
        else if (found->dtype != wanted.dtype || found->shape != wanted.shape)
            problems.push_back("key '" + wanted.name + "': expected " + wanted_layout +
                               ", found " + safetensors::describe(found->dtype, found->shape));
        expected_keys.insert(wanted.name);
    });
    for (const safetensors::TensorInfo& t : archive.tensors())
        if (!expected_keys.contains(t.name))
            problems.push_back("unexpected key '" + t.name + "': expected no such tensor, found " +
                               safetensors::describe(t.dtype, t.shape));
    if (problems.empty()) return;
    std::string message = "typenn: " + archive.source() + ": does not fit " + M::network::name() + ": ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    TYPENN_RAISE io_error(message);
}
}  // namespace detail

// The file image save writes: parameters and buffers in state_dict order.
template <AnyModel M>
std::vector<std::byte> to_bytes(const M& model) {
    std::vector<safetensors::TensorInfo> tensors;
    model.visit([&](const KeyPath& key, auto entry) {
        tensors.push_back(detail::stored_as(key, entry.value));
    });
    return safetensors::serialize(tensors);
}

template <AnyModel M>
void save(const M& model, const std::filesystem::path& path) {
    safetensors::write_file(path, to_bytes(model));
}

// The gradients, keyed by parameter name (PyTorch's named_parameters()), for comparing a
// backward pass with PyTorch's.
template <AnyModel M>
void save_grads(const M& model, const std::filesystem::path& path) {
    std::vector<safetensors::TensorInfo> tensors;
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; })
            tensors.push_back(detail::stored_as(key, entry.grad));
    });
    safetensors::write_file(path, safetensors::serialize(tensors));
}

template <AnyModel M>
void load(M& model, std::span<const std::byte> image,
          std::string source = "<memory>") {
    const safetensors::Archive archive(image, std::move(source));
    detail::check_fits(std::as_const(model), archive);
    model.visit([&](const KeyPath& key, auto entry) {
        const auto stored = archive.at(key.str()).data;
        std::memcpy(std::as_writable_bytes(detail::elements_of(entry.value)).data(),
                    stored.data(), stored.size());
    });
}

template <AnyModel M>
void load(M& model, const std::filesystem::path& path) {
    load(model, safetensors::read_file(path), path.string());
}

}  // namespace typenn
