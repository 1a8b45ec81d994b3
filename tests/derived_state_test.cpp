// SPDX-License-Identifier: BSL-1.0
// What a model derives from its parameters — a narrow Linear's transposed weights, a
// BatchNorm's inference scale and shift — follows every way the parameters change; a stale
// copy would make inference run on parameters older than the model's.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <random>

#include <typenn/typenn.hpp>

namespace {

using namespace typenn;

// Linear<3, 40> has fewer inputs than a vector of floats holds on any instruction set, so it
// keeps Wᵀ; the one that ends the residual's body adds the shortcut as it stores, 40 columns
// being whole vectors and narrower ones; Linear<40, 3> keeps none.
using Net = Seq<Linear<3, 40>, BatchNorm<40>, ReLU,
                Residual<Seq<Linear<40, 3>, ReLU, Linear<3, 40>>>, Linear<40, 2>>;
static_assert(Linear<3, 40>::keeps_transposed<float> && !Linear<40, 3>::keeps_transposed<float>);

template <class T>
void require_transposed(const Array<T, 40, 3>& weight, const Array<T, 3, 40>& weight_t) {
    for (std::size_t o = 0; o < 40; ++o)
        for (std::size_t k = 0; k < 3; ++k) REQUIRE(weight_t(k, o) == weight(o, k));
}

template <class M>
void require_derived_current(const M& model) {
    using T = typename M::scalar;
    const auto& first = model.state().template get<0>();
    const auto& last_in_body = model.state().template get<3>().body.template get<2>();
    if constexpr (Linear<3, 40>::keeps_transposed<T>) {
        require_transposed(first.weight, first.weight_t);
        require_transposed(last_in_body.weight, last_in_body.weight_t);
    }
    const auto& norm = model.state().template get<1>();
    for (std::size_t c = 0; c < 40; ++c) {
        const T scale = norm.weight[c] / std::sqrt(norm.running_var[c] + T(1e-5));
        REQUIRE(norm.inference_scale[c] == Approx(scale).epsilon(1e-6));
        REQUIRE(norm.inference_shift[c] ==
                Approx(norm.bias[c] - norm.running_mean[c] * scale).epsilon(1e-6).margin(1e-7));
    }
    // The same parameters under the reference policy, which derives nothing.
    Model<Net, T, execution::Reference> reference;
    load(reference, to_bytes(model));
    BasicTensor<T, 5, 3> x;
    std::mt19937 rng(9);
    std::normal_distribution<T> normal;
    for (auto& v : x) v = normal(rng);
    BasicTensor<T, 1, 3> one;
    for (std::size_t k = 0; k < 3; ++k) one(0, k) = x(0, k);
    const auto fused = model.forward(x), expected = reference.forward(x);
    const auto single = model.forward(one), single_expected = reference.forward(one);
    for (std::size_t k = 0; k < fused.size(); ++k)
        CHECK(fused.data()[k] == Approx(expected.data()[k]).epsilon(1e-4).margin(1e-5));
    for (std::size_t k = 0; k < single.size(); ++k)
        CHECK(single.data()[k] == Approx(single_expected.data()[k]).epsilon(1e-4).margin(1e-5));
}

template <class T>
struct Training {
    BasicTensor<T, 6, 3> x;
    BasicTensor<T, 6, 2> target, dy;
    Tape<Net, 6, T> tape;

    Training() {
        std::mt19937 rng(4);
        std::normal_distribution<T> normal;
        for (auto& v : x) v = T(2) * normal(rng) + T(1);
        for (auto& v : target) v = normal(rng);
    }
};

}  // namespace

TEMPLATE_TEST_CASE("derived state follows every change of the parameters", "", float, double) {
    Model<Net, TestType> model(17);
    require_derived_current(model);

    SECTION("edit()") {
        {
            auto state = model.edit();
            state->template get<0>().weight(7, 2) = TestType(3);
            state->template get<1>().running_var[5] = TestType(4);
            state->template get<1>().running_mean[6] = TestType(-2);
        }
        require_derived_current(model);
    }
    SECTION("a non-const visit") {
        model.visit([](const KeyPath&, auto entry) {
            if constexpr (requires { entry.value.data(); })
                for (auto& v : entry.value) v = TestType(1.5) * v + TestType(0.25);
        });
        require_derived_current(model);
    }
    SECTION("load") {
        const Model<Net, TestType> other(18);
        load(model, to_bytes(other));
        require_derived_current(model);
    }
    SECTION("a training forward moves the running statistics, an optimizer step the weights") {
        Training<TestType> data;
        const auto scale_before = model.state().template get<1>().inference_scale;
        loss::mse(model.forward(data.x, data.tape), data.target, data.dy);
        REQUIRE(model.state().template get<1>().inference_scale != scale_before);
        require_derived_current(model);

        optim::SGD sgd(model, {.lr = 0.5, .momentum = 0.9});
        model.backward(data.tape, data.dy);
        const auto weight_before = model.state().template get<0>().weight;
        sgd.step();
        REQUIRE(model.state().template get<0>().weight != weight_before);
        require_derived_current(model);
    }
    SECTION("reset_parameters") {
        std::mt19937_64 rng(5);
        model.reset_parameters(rng);
        require_derived_current(model);
    }
}

namespace {
// Built by the compiler, as a model baked into the program is: its derived state too, with the
// square root a constant expression allows.
using Baked = Seq<Linear<3, 16, no_bias>, BatchNorm<16>>;
inline constexpr BakedTensor baked_tensors[] = {
    {"0.weight", false, 2, {16, 3}, 0},   {"1.weight", false, 1, {16}, 48},
    {"1.bias", false, 1, {16}, 64},       {"1.running_mean", false, 1, {16}, 80},
    {"1.running_var", false, 1, {16}, 96}, {"1.num_batches_tracked", true, 0, {}, 0}};
inline constexpr std::array<float, 112> baked_values = [] {
    std::array<float, 112> v{};
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(i % 7) * 0.375f + float(i / 48);
    return v;
}();
inline constexpr std::int64_t baked_count[] = {3};
constexpr Model<Baked> baked_model{BakedWeights<float>{baked_tensors, baked_values, baked_count}};
}  // namespace

TEST_CASE("a model built at compile time derives what inference reads, as at run time") {
    const auto& norm = baked_model.state().get<1>();
    for (std::size_t c = 0; c < 16; ++c) {
        const float scale = norm.weight[c] / std::sqrt(norm.running_var[c] + 1e-5f);
        CHECK(norm.inference_scale[c] == scale);
        CHECK(norm.inference_shift[c] ==
              Approx(norm.bias[c] - norm.running_mean[c] * scale).epsilon(1e-6));
    }
    if constexpr (Linear<3, 16>::keeps_transposed<float>)
        for (std::size_t o = 0; o < 16; ++o)
            for (std::size_t k = 0; k < 3; ++k)
                CHECK(baked_model.state().get<0>().weight_t(k, o) ==
                      baked_model.state().get<0>().weight(o, k));
}

TEST_CASE("square_root in a constant expression gives std::sqrt's float") {
    static constexpr std::array<float, 8> x = {0.0f, 1e-5f, 0.25f, 1.0f, 2.0f, 3.0f, 1e6f, 3.4e38f};
    static constexpr auto roots = [] {
        std::array<float, 8> r{};
        for (std::size_t i = 0; i < x.size(); ++i) r[i] = detail::square_root(x[i]);
        return r;
    }();
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(roots[i] == std::sqrt(x[i]));
    static_assert(detail::square_root(-1.0f) != detail::square_root(-1.0f));  // NaN
}
