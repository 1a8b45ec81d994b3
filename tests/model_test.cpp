// SPDX-License-Identifier: BSL-1.0
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_nets.hpp"

using namespace typenn;

namespace {
template <class M>
std::vector<std::string> keys_of(const M& model) {
    std::vector<std::string> keys;
    model.visit([&](const KeyPath& key, auto) { keys.push_back(key.str()); });
    return keys;
}

template <class M>
std::vector<double> values_of(const M& model) {
    std::vector<double> values;
    model.visit([&](const KeyPath&, auto entry) {
        // Element by element: GCC 12 warns falsely (-Wstringop-overflow) on vector::insert of a
        // float range into doubles.
        if constexpr (requires { entry.value.data(); })
            for (const auto v : entry.value) values.push_back(double(v));
        else
            values.push_back(double(entry.value));
    });
    return values;
}

template <std::size_t B, std::size_t W>
Tensor<B, W> ramp(float start, float step) {
    Tensor<B, W> x;
    for (std::size_t k = 0; k < B * W; ++k) x.data()[k] = start + step * float(k % 17) - 0.01f * float(k);
    return x;
}
}  // namespace

TEST_CASE("state_dict keys follow PyTorch's nn.Sequential and Residual(body, shortcut)") {
    CHECK(keys_of(Model<test_nets::Article>{}) ==
          std::vector<std::string>{"0.weight", "0.bias", "2.body.0.weight", "2.body.0.bias",
                                   "2.body.1.weight", "2.body.1.bias", "2.body.1.running_mean",
                                   "2.body.1.running_var", "2.body.1.num_batches_tracked"});
    CHECK(keys_of(Model<Residual<Linear<4, 2>, Seq<Linear<4, 2, no_bias>, PReLU<2>>>>{}) ==
          std::vector<std::string>{"body.weight", "body.bias", "shortcut.0.weight",
                                   "shortcut.1.weight"});
}

TEST_CASE("layer names read as the user wrote them") {
    CHECK(test_nets::Seed::name() == "Seq<Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>>");
    CHECK(Seq<LeakyReLU<0.2f>, ELU<0.5f>, PReLU<>, PReLU<3>, Linear<3, 1, no_bias>>::name() ==
          "Seq<LeakyReLU<0.2>, ELU<0.5>, PReLU<>, PReLU<3>, Linear<3, 1, no_bias>>");
    CHECK(Residual<Linear<2, 2>, Identity>::name() == "Residual<Linear<2, 2>>");
    CHECK(Residual<Linear<2, 3>, Linear<2, 3>>::name() == "Residual<Linear<2, 3>, Linear<2, 3>>");
}

TEST_CASE("a new model is initialised as PyTorch initialises the same layers") {
    Model<Seq<Linear<50, 40>, BatchNorm<40>, PReLU<40>>> model;
    const auto& s = model.state();
    const float bound = 1.0f / std::sqrt(50.0f);
    float lowest = 1, highest = -1;
    for (float w : s.get<0>().weight) lowest = std::min(lowest, w), highest = std::max(highest, w);
    for (float b : s.get<0>().bias) lowest = std::min(lowest, b), highest = std::max(highest, b);
    CHECK(lowest >= -bound);
    CHECK(highest < bound);
    CHECK(highest - lowest > 1.9f * bound);  // 2,040 draws fill the interval
    for (std::size_t c = 0; c < 40; ++c) {
        CHECK(s.get<1>().weight[c] == 1.0f);
        CHECK(s.get<1>().bias[c] == 0.0f);
        CHECK(s.get<1>().running_mean[c] == 0.0f);
        CHECK(s.get<1>().running_var[c] == 1.0f);
        CHECK(s.get<2>().weight[c] == 0.25f);
    }
    CHECK(s.get<1>().num_batches_tracked == 0);
}

TEST_CASE("the same seed gives the same model; another seed another one") {
    CHECK(values_of(Model<test_nets::Seed>(7)) == values_of(Model<test_nets::Seed>(7)));
    CHECK(values_of(Model<test_nets::Seed>(7)) != values_of(Model<test_nets::Seed>(8)));
}

TEST_CASE("training forward uses batch statistics and updates the running ones") {
    Model<Seq<BatchNorm<3>>> model;
    Tensor<4, 3> x = {{1, 10, 0}, {2, 20, 0}, {3, 30, 0}, {6, 40, 0}};
    Tape<Seq<BatchNorm<3>>, 4> tape;
    const auto y = model.forward(x, tape);
    // column 0: mean 3, biased variance 3.5 → normalised with it
    CHECK(y(0, 0) == Approx((1 - 3) / std::sqrt(3.5 + 1e-5)));
    // constant column: zero variance stays finite
    CHECK(y(2, 2) == 0.0f);
    const auto& bn = model.state().get<0>();
    CHECK(bn.running_mean[0] == Approx(0.1 * 3));
    CHECK(bn.running_var[0] == Approx(0.9 + 0.1 * 3.5 * 4 / 3));  // unbiased
    CHECK(bn.num_batches_tracked == 1);
    model.forward(x, tape);
    CHECK(bn.num_batches_tracked == 2);
    // inference: running statistics
    const auto z = model.forward(x);
    CHECK(z(0, 0) == Approx((1 - bn.running_mean[0]) / std::sqrt(bn.running_var[0] + 1e-5)));
}

TEST_CASE("BatchNorm refuses to train on a single row, as PyTorch does") {
    Model<test_nets::Seed> model;
    Tape<test_nets::Seed, 1> one;
    Tensor<1, 10> x = ramp<1, 10>(-1, 0.2f);
    CHECK_THROWS_WITH(model.forward(x, one),
                      Catch::Contains("typenn: BatchNorm<20> in training mode needs more than 1 row"));
    Tape<test_nets::Seed, 4> four;
    CHECK_THROWS_AS(model.forward(ramp<4, 10>(0, 1), four, Rows{1}), std::invalid_argument);
    CHECK_NOTHROW(model.forward(x));  // inference on one row is fine
}

TEST_CASE("Rows outside 1..B and backward without a forward are refused") {
    Model<test_nets::Article> model;
    Tape<test_nets::Article, 4> tape;
    const auto x = ramp<4, 5>(-1, 0.3f);
    CHECK_THROWS_AS(model.forward(x, tape, Rows{0}), std::invalid_argument);
    CHECK_THROWS_AS(model.forward(x, tape, Rows{5}), std::invalid_argument);
    CHECK_THROWS_AS(model.backward(tape, Tensor<4, 7>{}), std::logic_error);
}

TEST_CASE("a partial batch equals a full batch of its rows; other rows are zero") {
    using Net = test_nets::Article;
    Model<Net> partial(3), full(3);
    const auto x8 = ramp<8, 5>(-2, 0.35f);
    Tensor<3, 5> x3;
    std::copy_n(x8.data(), 15, x3.data());
    Tape<Net, 8> tape8;
    Tape<Net, 3> tape3;
    const auto y8 = partial.forward(x8, tape8, Rows{3});
    const auto y3 = full.forward(x3, tape3);
    for (std::size_t k = 0; k < 8 * 7; ++k) CHECK(y8.data()[k] == (k < 21 ? y3.data()[k] : 0.0f));

    Tensor<8, 7> dy8 = ramp<8, 7>(1, -0.1f);
    Tensor<3, 7> dy3;
    std::copy_n(dy8.data(), 21, dy3.data());
    Tensor<8, 5> dx8;
    Tensor<3, 5> dx3;
    partial.backward(tape8, dy8, dx8);
    full.backward(tape3, dy3, dx3);
    for (std::size_t k = 0; k < 8 * 5; ++k) CHECK(dx8.data()[k] == (k < 15 ? dx3.data()[k] : 0.0f));
    CHECK(values_of(partial) == values_of(full));  // running statistics from the same rows
}

TEST_CASE("backward accumulates into gradients until zero_grad") {
    Model<test_nets::Seed> model;
    Tape<test_nets::Seed, 4> tape;
    const auto x = ramp<4, 10>(-1, 0.25f);
    Tensor<4, 1> dy = {{1}, {-2}, {0.5}, {3}};
    model.forward(x, tape);
    model.backward(tape, dy);
    const auto once = model.state().get<0>().weight_grad;
    model.backward(tape, dy);
    const auto& twice = model.state().get<0>().weight_grad;
    for (std::size_t k = 0; k < once.size(); ++k) CHECK(twice.data()[k] == Approx(2 * once.data()[k]));
    CHECK(std::abs(once(3, 4)) > 0);
    model.zero_grad();
    for (float g : model.state().get<0>().weight_grad) CHECK(g == 0.0f);
}

TEST_CASE("Model<Net, double> computes the same function as Model<Net>") {
    using Net = test_nets::NestedResidual;
    Model<Net> single(11);
    Model<Net, double> twin(11);
    std::vector<double> from_single = values_of(single);
    std::size_t k = 0;
    twin.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.value.data(); })
            for (auto& v : entry.value) v = from_single[k++];
        else
            entry.value = std::int64_t(from_single[k++]);
    });
    const auto x = ramp<5, 4>(-1, 0.3f);
    BasicTensor<double, 5, 4> xd;
    std::copy_n(x.data(), 20, xd.data());
    const auto y = single.forward(x);
    const auto yd = twin.forward(xd);
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(y.data()[i] == Approx(yd.data()[i]).epsilon(1e-5));
}
