// SPDX-License-Identifier: BSL-1.0
#pragma once
// What the parity tests share: reading a fixture written by tools/make_core_fixtures.py,
// loading its state into a Model by visiting it, and comparing typenn's numbers with
// PyTorch's, naming the worst element when they differ.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <typenn/io/safetensors.hpp>
#include <typenn/typenn.hpp>

namespace typenn::parity {

// Both sides compute in float32 and sum in different orders. Where a value is a sum that
// cancels to (nearly) zero — the gradient of a bias right before a BatchNorm is exactly zero —
// only rounding noise of the O(1) terms is left: PyTorch's own float32 result is up to 3.5e-6
// away from its float64 one in these fixtures. The absolute term lets such noise agree.
inline constexpr double relative_tolerance = 1e-4;
inline constexpr double absolute_tolerance = 1e-5;

template <class X>
std::vector<std::size_t> shape_of(const X& x) {
    return {x.shape().begin(), x.shape().end()};
}

inline void require_shape(const safetensors::TensorInfo& info,
                          const std::vector<std::size_t>& typenn_shape) {
    INFO(info.name << ": typenn has " << safetensors::describe(info.dtype, typenn_shape)
                   << ", the fixture " << safetensors::describe(info.dtype, info.shape));
    REQUIRE(typenn_shape == info.shape);
}

// Copies a float tensor of the fixture into a typenn tensor of the same shape.
template <class X>
void copy_from(const safetensors::TensorInfo& info, X& out) {
    require_shape(info, shape_of(out));
    const std::vector<float> values = safetensors::to_vector<float>(info);
    std::copy(values.begin(), values.end(), out.begin());
}

// One fixture file, tests/fixtures/core/<name>.safetensors; its tensors view the file's image.
class Fixture {
public:
    explicit Fixture(const std::string& name)
        : path_(std::filesystem::path(TYPENN_FIXTURES) / "core" / (name + ".safetensors")),
          image_(safetensors::read_file(path_)),
          archive_(image_, path_.string()) {}
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    const safetensors::TensorInfo& at(std::string_view key) const { return archive_.at(key); }

    // What follows `prefix` in the names that start with it, in the file's order.
    std::vector<std::string> keys(std::string_view prefix) const {
        std::vector<std::string> out;
        for (const safetensors::TensorInfo& t : archive_.tensors())
            if (t.name.starts_with(prefix)) out.push_back(t.name.substr(prefix.size()));
        return out;
    }

    // The rows the training forward used: "rows" in a partial-batch fixture, else all.
    std::size_t rows(std::size_t batch) const {
        const safetensors::TensorInfo* rows = archive_.find("rows");
        return rows ? std::size_t(safetensors::to_vector<std::int64_t>(*rows).at(0)) : batch;
    }

    template <std::size_t B, std::size_t W>
    Tensor<B, W> tensor(std::string_view key) const {
        Tensor<B, W> out;
        copy_from(at(key), out);
        return out;
    }

private:
    std::filesystem::path path_;
    std::vector<std::byte> image_;
    safetensors::Archive archive_;
};

// "[2, 7]" for flat index 2·columns + 7 of a tensor of that shape.
inline std::string element_index(std::size_t flat, const std::vector<std::size_t>& shape) {
    std::vector<std::size_t> index(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        index[d] = flat % shape[d];
        flat /= shape[d];
    }
    std::string out = "[";
    for (std::size_t d = 0; d < index.size(); ++d)
        out += (d ? ", " : "") + std::to_string(index[d]);
    return out + "]";
}

// Checks |typenn − PyTorch| <= absolute + relative·|PyTorch| for every element; on failure the
// message names the key, the worst element and both values.
template <class X>
void check_close(const std::string& key, const X& actual,
                 const safetensors::TensorInfo& expected) {
    const std::vector<std::size_t> shape = shape_of(actual);
    require_shape(expected, shape);
    const std::vector<float> reference = safetensors::to_vector<float>(expected);

    std::size_t worst = 0;
    double worst_ratio = -1, worst_difference = 0;
    for (std::size_t k = 0; k < reference.size(); ++k) {
        const double a = double(actual.data()[k]), e = double(reference[k]);
        const double difference = std::abs(a - e);
        double ratio = difference / (absolute_tolerance + relative_tolerance * std::abs(e));
        if (std::isnan(ratio)) ratio = std::numeric_limits<double>::infinity();
        if (ratio > worst_ratio) {
            worst = k;
            worst_ratio = ratio;
            worst_difference = difference;
        }
    }
    std::ostringstream message;
    message.precision(9);
    message << key << element_index(worst, shape) << " (worst of " << reference.size()
            << "): typenn " << actual.data()[worst] << ", PyTorch " << reference[worst]
            << ", |difference| " << worst_difference << " is " << worst_ratio
            << " times the tolerance";
    INFO(message.str());
    CHECK(worst_ratio <= 1.0);
}

inline void check_counter(const std::string& key, std::int64_t actual,
                          const safetensors::TensorInfo& expected) {
    const std::vector<std::int64_t> reference = safetensors::to_vector<std::int64_t>(expected);
    INFO(key << ": typenn " << actual);
    REQUIRE(reference.size() == 1);
    CHECK(actual == reference[0]);
}

// num_batches_tracked: the one entry that is a plain integer, not a tensor.
template <class Entry>
constexpr bool is_counter =
    std::is_same_v<std::remove_cvref_t<decltype(std::declval<Entry>().value)>, std::int64_t>;

// typenn must name every tensor as PyTorch's state_dict does, in the same order, with none
// missing or extra: otherwise a checkpoint would not round-trip between the two.
template <class Net>
void check_keys(const Model<Net>& model, const Fixture& fixture) {
    std::vector<std::string> visited;
    model.visit([&](const KeyPath& path, auto) { visited.push_back(path.str()); });
    CHECK(visited == fixture.keys("state."));
}

// Copies "state.<key>" into every parameter and buffer, as a state_dict load would.
template <class Net>
void load_state(Model<Net>& model, const Fixture& fixture) {
    model.visit([&](const KeyPath& path, auto entry) {
        const std::string key = "state." + path.str();
        const safetensors::TensorInfo& info = fixture.at(key);
        if constexpr (is_counter<decltype(entry)>) {
            entry.value = safetensors::to_vector<std::int64_t>(info).at(0);
        } else {
            copy_from(info, entry.value);
        }
    });
}

// After a training forward: buffers as "state_after.<key>", parameters untouched.
template <class Net>
void check_state_after_training(const Model<Net>& model, const Fixture& fixture) {
    model.visit([&](const KeyPath& path, auto entry) {
        const std::string key = path.str();
        if constexpr (is_counter<decltype(entry)>)
            check_counter("state_after." + key, entry.value, fixture.at("state_after." + key));
        else if constexpr (requires { entry.grad; })
            check_close("unchanged " + key, entry.value, fixture.at("state." + key));
        else
            check_close("state_after." + key, entry.value, fixture.at("state_after." + key));
    });
}

template <class Net>
void check_gradients(const Model<Net>& model, const Fixture& fixture) {
    model.visit([&](const KeyPath& path, auto entry) {
        if constexpr (requires { entry.grad; }) {
            const std::string key = "grad." + path.str();
            check_close(key, entry.grad, fixture.at(key));
        }
    });
}

// The whole comparison for one fixture: inference forward from the loaded state, training
// forward (over the fixture's rows), running statistics after it, dL/dx and every parameter
// gradient from one backward.
template <class Net, std::size_t B>
void check_against_pytorch(const std::string& name) {
    const Fixture fixture(name);
    Model<Net> model;
    check_keys(model, fixture);
    load_state(model, fixture);
    const auto x = fixture.tensor<B, Net::in_features>("input");

    check_close("eval_output", model.forward(x), fixture.at("eval_output"));

    Tape<Net, B> tape;
    const auto y = model.forward(x, tape, Rows{fixture.rows(B)});
    check_close("train_output", y, fixture.at("train_output"));
    check_state_after_training(model, fixture);

    model.zero_grad();
    Tensor<B, Net::in_features> dx;
    model.backward(tape, fixture.tensor<B, Net::out_features>("dy"), dx);
    check_close("dx", dx, fixture.at("dx"));
    check_gradients(model, fixture);
}

}  // namespace typenn::parity
