// SPDX-License-Identifier: BSL-1.0
// Models built by the compiler from baked weights (typenn/baked.hpp, tools/typenn_bake.cpp):
// the state_dict PyTorch saved in tests/fixtures/io, baked at build time, gives the model that
// load() gives, bit for bit, with every gradient zero.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include <typenn/typenn.hpp>

#include "io_test_support.hpp"
#include "pytorch_net_weights.hpp"  // baked from fixtures/io/pytorch_net.safetensors

using namespace typenn;
using io_test::fixtures;
using io_test::Net;

namespace {
constinit const Model<Net> baked{pytorch_net_weights::weights};

// The compiler itself evaluated the model: its values are usable in constant expressions.
constexpr Model<Net> compile_time{pytorch_net_weights::weights};

template <class Value>
constexpr float first_value(const Value& value) {
    if constexpr (std::is_integral_v<Value>)
        return float(value);
    else
        return value[0];
}
constexpr float compile_time_value(std::string_view wanted) {
    float found = -1;
    auto find = [&](const KeyPath& key, auto entry) {
        if (key.spells(wanted)) found = first_value(entry.value);
    };
    compile_time.visit(find);
    return found;
}
constexpr float baked_value(std::string_view wanted) {
    for (const BakedTensor& tensor : pytorch_net_weights::tensors)
        if (tensor.key == wanted) return pytorch_net_weights::values[tensor.offset];
    return -2;
}
static_assert(compile_time_value("1.num_batches_tracked") == 1);
static_assert(compile_time_value("3.body.1.weight") == baked_value("3.body.1.weight"));
static_assert(compile_time_value("4.weight") == baked_value("4.weight"));

constexpr bool spells(std::string_view expected) {
    const KeyPath root;
    const KeyPath residual = root / std::size_t(12);
    const KeyPath body = residual / "body";
    const KeyPath first = body / std::size_t(0);
    const KeyPath weight = first / "weight";
    return weight.spells(expected);
}
static_assert(spells("12.body.0.weight"));
static_assert(!spells("2.body.0.weight") && !spells("112.body.0.weight"));
static_assert(!spells("12.body0.weight") && !spells("12.body.0.weigh"));
static_assert(!spells(".12.body.0.weight") && !spells("12.body.0.weight."));
static_assert(KeyPath().spells("") && !KeyPath().spells("0"));
}  // namespace

TEST_CASE("a model built from baked weights equals the model loaded from the same file") {
    static Model<Net> loaded;
    load(loaded, fixtures + "pytorch_net.safetensors");
    CHECK(to_bytes(baked) == to_bytes(loaded));
    CHECK(to_bytes(baked) == safetensors::read_file(fixtures + "pytorch_net.safetensors"));

    const auto io_image = safetensors::read_file(fixtures + "pytorch_net_io.safetensors");
    const safetensors::Archive io(io_image, "pytorch_net_io.safetensors");
    const auto x = safetensors::to_vector<float>(io.at("input"));
    Tensor<4, 5> input;
    std::copy(x.begin(), x.end(), input.begin());
    CHECK((baked.forward(input) == loaded.forward(input)));
}

TEST_CASE("a model built from baked weights starts with zero gradients") {
    std::size_t parameters = 0;
    baked.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; }) {
            INFO(key.str());
            ++parameters;
            for (const float g : entry.grad) CHECK(g == 0.0f);
        }
    });
    CHECK(parameters == 8);
}
