// SPDX-License-Identifier: BSL-1.0
#pragma once
// What the training tests share: reading tests/fixtures/training/<name>.safetensors (written
// by tools/make_training_fixtures.py), comparing typenn's numbers with PyTorch's while naming
// the worst element, and the small network the optimizer fixtures train.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <typenn/io/safetensors.hpp>
#include <typenn/typenn.hpp>

namespace typenn::training_test {

// As make_training_fixtures.py's net(), which says why the first Linear has no bias.
using Net = Seq<Linear<6, 9, no_bias>, BatchNorm<9>, ReLU, Linear<9, 3>>;
inline constexpr std::size_t steps = 6;  // STEPS
inline constexpr std::size_t batch = 8;  // BATCH

inline std::filesystem::path fixture_path(std::string_view name) {
    return std::filesystem::path(TYPENN_FIXTURES) / "training" /
           (std::string(name) + ".safetensors");
}

class Fixture {
public:
    explicit Fixture(std::string_view name)
        : path_(fixture_path(name)),
          image_(safetensors::read_file(path_)),
          archive_(image_, path_.string()) {}
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    bool contains(std::string_view key) const { return archive_.find(key) != nullptr; }
    const safetensors::TensorInfo& at(std::string_view key) const { return archive_.at(key); }

    // An F32 or F64 tensor's values, as doubles.
    std::vector<double> values(std::string_view key) const {
        const safetensors::TensorInfo& info = at(key);
        if (info.dtype == safetensors::DType::F64) return safetensors::to_vector<double>(info);
        const std::vector<float> floats = safetensors::to_vector<float>(info);
        return {floats.begin(), floats.end()};
    }

    double scalar(std::string_view key) const { return values(key).at(0); }

    // Rows [first, first + B) of a tensor whose last dimension is W, as a BasicTensor.
    template <class T, std::size_t B, std::size_t W>
    BasicTensor<T, B, W> tensor(std::string_view key, std::size_t first_row = 0) const {
        const std::vector<double> all = values(key);
        REQUIRE(at(key).shape.back() == W);
        REQUIRE(all.size() >= (first_row + B) * W);
        BasicTensor<T, B, W> out;
        std::copy_n(all.begin() + std::ptrdiff_t(first_row * W), B * W, out.begin());
        return out;
    }

private:
    std::filesystem::path path_;
    std::vector<std::byte> image_;
    safetensors::Archive archive_;
};

struct Tolerance {
    double relative;
    double absolute;
};
// Both sides compute in float32 in different orders: about 1e-6 relative apart after a few
// steps; the absolute term keeps values near zero from failing on rounding alone.
inline constexpr Tolerance float_parity{1e-4, 1e-6};

// Every element within tolerance; on failure, names the worst one.
template <class Range>
void require_close(const Range& actual, const std::vector<double>& expected, Tolerance tol,
                   const std::string& what) {
    const std::size_t n = std::size_t(std::distance(std::begin(actual), std::end(actual)));
    REQUIRE(n == expected.size());
    std::size_t worst = 0;
    double worst_excess = -INFINITY;
    auto it = std::begin(actual);
    for (std::size_t k = 0; k < n; ++k, ++it) {
        const double a = double(*it), e = expected[k];
        const double excess = std::isnan(a)
                                  ? INFINITY
                                  : std::abs(a - e) - (tol.absolute + tol.relative * std::abs(e));
        if (excess > worst_excess) {
            worst_excess = excess;
            worst = k;
        }
    }
    auto at = std::begin(actual);
    std::advance(at, std::ptrdiff_t(worst));
    INFO(what << ": worst element " << worst << " is " << double(*at) << ", PyTorch "
              << expected[worst]);
    REQUIRE(worst_excess <= 0);
}

// Every parameter and buffer of the model against the fixture's tensor of the same name.
template <class M>
void require_state(const M& model, const Fixture& expected, Tolerance tol) {
    model.visit([&](const KeyPath& key, auto entry) {
        const std::string name = key.str();
        if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(entry.value)>>) {
            const auto stored = safetensors::to_vector<std::int64_t>(expected.at(name));
            INFO(name);
            REQUIRE(entry.value == stored.at(0));
        } else {
            require_close(entry.value, expected.values(name), tol, name);
        }
    });
}

// What write_optimizer_fixtures does: from the fixture's initial state, `steps` steps of MSE
// training in training mode, one fixture batch per step; returns the losses.
template <class T, class MakeOptimizer>
std::vector<double> train(Model<Net, T>& model, MakeOptimizer&& make_optimizer) {
    load(model, fixture_path(std::is_same_v<T, float> ? "optim_initial" : "optim_initial_f64"));
    auto optimizer = make_optimizer(model);
    const Fixture data("optim_data");
    Tape<Net, batch, T> tape;
    BasicTensor<T, batch, Net::out_features> dy;
    std::vector<double> losses;
    for (std::size_t step = 0; step < steps; ++step) {
        const auto x = data.tensor<T, batch, Net::in_features>("x", step * batch);
        const auto target = data.tensor<T, batch, Net::out_features>("target", step * batch);
        optimizer.zero_grad();
        const auto y = model.forward(x, tape);
        losses.push_back(loss::mse(y, target, dy));
        model.backward(tape, dy);
        optimizer.step();
    }
    return losses;
}

// Trains a float and a double model with the optimizer `make_optimizer` builds and checks the
// losses, parameters and BatchNorm buffers against optim_<name>.safetensors.
template <class MakeOptimizer>
void require_training_matches(std::string_view name, MakeOptimizer make_optimizer) {
    const Fixture expected("optim_" + std::string(name));
    {
        INFO("Model<Net, float>");
        Model<Net, float> model;
        require_close(train(model, make_optimizer), expected.values("losses"), float_parity,
                      "losses");
        require_state(model, expected, float_parity);
    }
    {
        INFO("Model<Net, double>");
        Model<Net, double> model;
        require_close(train(model, make_optimizer), expected.values("losses"), float_parity,
                      "losses");
        require_state(model, expected, float_parity);
    }
}

}  // namespace typenn::training_test
