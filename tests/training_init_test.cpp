// SPDX-License-Identifier: BSL-1.0
// Weight initialisers: every Linear weight matrix is drawn with the standard deviation (and,
// for the uniform variants, the bound) of PyTorch's formula, for every fan mode and
// nonlinearity; biases are redrawn or zeroed; BatchNorm and PReLU parameters are untouched.
#include <memory>
#include <random>

#include "training_fixtures.hpp"

using namespace typenn;

namespace {
// Two layers with different fans, so that fan_in and fan_out give different spreads.
using Big = Seq<Linear<512, 256>, BatchNorm<256>, PReLU<256>, Linear<256, 128>>;

struct Sample {
    double mean, stddev, largest;
};

template <class X>
Sample sample_of(const X& x) {
    double sum = 0, squares = 0, largest = 0;
    for (const auto v : x) {
        sum += v;
        squares += double(v) * v;
        largest = std::max(largest, std::abs(double(v)));
    }
    const double n = double(x.size()), mean = sum / n;
    return {mean, std::sqrt(squares / n - mean * mean), largest};
}

enum class Shape { normal, uniform };

// The drawn weights against a distribution of standard deviation `stddev`: the sample's mean
// within 4 standard errors of 0, its std within 2 %, and a uniform one's range ±√3·std.
template <class X>
void require_drawn(const X& weight, Shape shape, double stddev) {
    const Sample s = sample_of(weight);
    INFO("expected std " << stddev << ", sample mean " << s.mean << ", std " << s.stddev
                         << ", largest " << s.largest);
    CHECK(std::abs(s.mean) < 4 * stddev / std::sqrt(double(weight.size())));
    CHECK(s.stddev == Approx(stddev).epsilon(0.02));
    if (shape == Shape::uniform) {
        CHECK(s.largest <= std::sqrt(3.0) * stddev);
        CHECK(s.largest > 0.99 * std::sqrt(3.0) * stddev);
    } else {
        CHECK(s.largest > 3.5 * stddev);  // a normal's tails, which a uniform lacks
    }
}

struct Kaiming {
    init::Nonlinearity nonlinearity;
    double a;
    double gain;  // by PyTorch's table, not by calculate_gain
};
const Kaiming kaiming_cases[] = {
    {init::linear, 0, 1},
    {init::sigmoid, 0, 1},
    {init::tanh, 0, 5.0 / 3},
    {init::relu, 0, std::sqrt(2.0)},
    {init::leaky_relu, 0, std::sqrt(2.0)},  // PyTorch's default: a = 0
    {init::leaky_relu, 0.2, std::sqrt(2.0 / 1.04)},
    {init::selu, 0, 0.75},
};
}  // namespace

TEST_CASE("calculate_gain has PyTorch's values") {
    CHECK(init::calculate_gain(init::linear) == 1);
    CHECK(init::calculate_gain(init::sigmoid) == 1);
    CHECK(init::calculate_gain(init::tanh) == Approx(5.0 / 3));
    CHECK(init::calculate_gain(init::relu) == Approx(std::sqrt(2.0)));
    CHECK(init::calculate_gain(init::leaky_relu) == Approx(std::sqrt(2.0 / (1 + 1e-4))));
    CHECK(init::calculate_gain(init::leaky_relu, 0.2) == Approx(std::sqrt(2.0 / 1.04)));
    CHECK(init::calculate_gain(init::selu) == 0.75);
}

TEST_CASE("kaiming_normal and kaiming_uniform: std = gain/√fan for every mode and nonlinearity") {
    auto model = std::make_unique<Model<Big>>();
    std::mt19937 rng(42);
    for (const Kaiming& k : kaiming_cases)
        for (const init::FanMode mode : {init::fan_in, init::fan_out}) {
            const bool by_fan_in = mode == init::fan_in;
            INFO("nonlinearity " << int(k.nonlinearity) << ", a " << k.a << ", "
                                 << (by_fan_in ? "fan_in" : "fan_out"));
            const init::KaimingOptions options{
                .a = k.a, .mode = mode, .nonlinearity = k.nonlinearity};
            init::kaiming_normal(*model, rng, options);
            require_drawn(model->state().get<0>().weight, Shape::normal,
                          k.gain / std::sqrt(by_fan_in ? 512.0 : 256.0));
            require_drawn(model->state().get<3>().weight, Shape::normal,
                          k.gain / std::sqrt(by_fan_in ? 256.0 : 128.0));
            init::kaiming_uniform(*model, rng, options);
            require_drawn(model->state().get<0>().weight, Shape::uniform,
                          k.gain / std::sqrt(by_fan_in ? 512.0 : 256.0));
            require_drawn(model->state().get<3>().weight, Shape::uniform,
                          k.gain / std::sqrt(by_fan_in ? 256.0 : 128.0));
        }
}

TEST_CASE("kaiming's defaults are PyTorch's: fan_in, leaky_relu with a = 0") {
    auto model = std::make_unique<Model<Big>>();
    std::mt19937 rng(7);
    init::kaiming_normal(*model, rng);
    require_drawn(model->state().get<0>().weight, Shape::normal, std::sqrt(2.0 / 512));
}

TEST_CASE("xavier_normal and xavier_uniform: std = gain·√(2/(fan_in + fan_out))") {
    auto model = std::make_unique<Model<Big>>();
    std::mt19937 rng(42);
    for (const Kaiming& k : kaiming_cases) {
        const double gain = init::calculate_gain(k.nonlinearity, k.a);
        INFO("gain " << gain);
        REQUIRE(gain == Approx(k.gain));
        init::xavier_normal(*model, rng, {.gain = gain});
        require_drawn(model->state().get<0>().weight, Shape::normal, gain * std::sqrt(2.0 / 768));
        require_drawn(model->state().get<3>().weight, Shape::normal, gain * std::sqrt(2.0 / 384));
        init::xavier_uniform(*model, rng, {.gain = gain});
        require_drawn(model->state().get<0>().weight, Shape::uniform, gain * std::sqrt(2.0 / 768));
        require_drawn(model->state().get<3>().weight, Shape::uniform, gain * std::sqrt(2.0 / 384));
    }
}

TEST_CASE("initialisers touch Linear weights and biases only") {
    auto model = std::make_unique<Model<Big>>();
    {
        auto edited = model->edit();
        edited->get<1>().weight.fill(1.5f);
        edited->get<1>().bias.fill(-0.5f);
        edited->get<1>().running_mean.fill(0.25f);
        edited->get<2>().weight.fill(0.125f);
    }
    const auto& s = model->state();
    const auto batchnorm = s.get<1>();
    const auto prelu = s.get<2>();
    const auto bias0 = s.get<0>().bias;
    std::mt19937 rng(3);

    SECTION("biases redrawn as PyTorch's default: U(±1/√fan_in)") {
        init::xavier_uniform(*model, rng);
        CHECK((s.get<0>().bias != bias0));
        CHECK(sample_of(s.get<0>().bias).largest <= 1 / std::sqrt(512.0));
        CHECK(sample_of(s.get<3>().bias).largest <= 1 / std::sqrt(256.0));
        CHECK(sample_of(s.get<3>().bias).largest > 0.9 / std::sqrt(256.0));
    }
    SECTION("biases zeroed") {
        init::kaiming_uniform(*model, rng, {.bias = init::zero_bias});
        CHECK(sample_of(s.get<0>().bias).largest == 0);
        CHECK(sample_of(s.get<3>().bias).largest == 0);
    }
    CHECK((s.get<1>().weight == batchnorm.weight));
    CHECK((s.get<1>().bias == batchnorm.bias));
    CHECK((s.get<1>().running_mean == batchnorm.running_mean));
    CHECK((s.get<1>().running_var == batchnorm.running_var));
    CHECK((s.get<2>().weight == prelu.weight));
}

TEST_CASE("the same seed gives the same weights") {
    auto a = std::make_unique<Model<Big, double>>();
    auto b = std::make_unique<Model<Big, double>>();
    std::mt19937 rng_a(42), rng_b(42), rng_c(43);
    init::kaiming_normal(*a, rng_a, {.mode = init::fan_out, .nonlinearity = init::relu});
    init::kaiming_normal(*b, rng_b, {.mode = init::fan_out, .nonlinearity = init::relu});
    CHECK((a->state().get<0>().weight == b->state().get<0>().weight));
    CHECK((a->state().get<3>().bias == b->state().get<3>().bias));
    init::kaiming_normal(*b, rng_c, {.mode = init::fan_out, .nonlinearity = init::relu});
    CHECK((a->state().get<0>().weight != b->state().get<0>().weight));
}
