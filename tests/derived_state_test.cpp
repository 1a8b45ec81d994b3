// What a model derives from its parameters — a narrow Linear's transposed weights, a
// BatchNorm's inference scale and shift — follows every way the parameters change; a stale
// copy would make inference run on parameters older than the model's.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <typenn/typenn.hpp>

namespace {

using namespace typenn;

// Linear<3, 40> has fewer inputs than any vector holds, so it keeps Wᵀ on every instruction
// set; the residual's Linear<40, 40> does not.
using Net = Seq<Linear<3, 40>, BatchNorm<40>, ReLU, Residual<Seq<Linear<40, 40>, ReLU>>,
                Linear<40, 2>>;
static_assert(Linear<3, 40>::keeps_transposed<float> && !Linear<40, 40>::keeps_transposed<float>);

template <class M>
void require_derived_current(const M& model) {
    const auto& linear = model.state().template get<0>();
    for (std::size_t o = 0; o < 40; ++o)
        for (std::size_t k = 0; k < 3; ++k) REQUIRE(linear.weight_t(k, o) == linear.weight(o, k));
    const auto& norm = model.state().template get<1>();
    for (std::size_t c = 0; c < 40; ++c) {
        const float scale = norm.weight[c] / std::sqrt(norm.running_var[c] + 1e-5f);
        REQUIRE(norm.inference_scale[c] == Approx(scale).epsilon(1e-6));
        REQUIRE(norm.inference_shift[c] ==
                Approx(norm.bias[c] - norm.running_mean[c] * scale).epsilon(1e-6).margin(1e-7));
    }
    // The same parameters under the reference schedule, which derives nothing.
    Model<Net, float, execution::Reference> reference;
    load(reference, to_bytes(model));
    Tensor<5, 3> x;
    std::mt19937 rng(9);
    std::normal_distribution<float> normal;
    for (auto& v : x) v = normal(rng);
    const auto fused = model.forward(x), expected = reference.forward(x);
    for (std::size_t k = 0; k < fused.size(); ++k)
        CHECK(fused.data()[k] == Approx(expected.data()[k]).epsilon(1e-4).margin(1e-5));
    Tensor<1, 3> one;
    for (std::size_t k = 0; k < 3; ++k) one(0, k) = x(0, k);
    const auto single = model.forward(one), single_expected = reference.forward(one);
    for (std::size_t k = 0; k < single.size(); ++k)
        CHECK(single.data()[k] == Approx(single_expected.data()[k]).epsilon(1e-4).margin(1e-5));
}

template <class M>
void train_one_step(M& model) {
    Tensor<6, 3> x;
    Tensor<6, 2> target, dy;
    std::mt19937 rng(4);
    std::normal_distribution<float> normal;
    for (auto& v : x) v = 2.0f * normal(rng) + 1.0f;
    for (auto& v : target) v = normal(rng);
    Tape<Net, 6> tape;
    optim::SGD sgd(model, {.lr = 0.5, .momentum = 0.9});
    sgd.zero_grad();
    loss::mse(model.forward(x, tape), target, dy);
    model.backward(tape, dy);
    sgd.step();
}

}  // namespace

TEST_CASE("derived state follows every change of the parameters") {
    Model<Net> model(17);
    require_derived_current(model);

    SECTION("edit()") {
        {
            auto state = model.edit();
            state->get<0>().weight(7, 2) = 3.0f;
            state->get<1>().running_var[5] = 4.0f;
            state->get<1>().running_mean[6] = -2.0f;
        }
        REQUIRE(model.state().get<0>().weight_t(2, 7) == 3.0f);
        require_derived_current(model);
    }
    SECTION("a non-const visit") {
        model.visit([](const KeyPath&, auto entry) {
            if constexpr (requires { entry.value.data(); })
                for (auto& v : entry.value) v = 1.5f * v + 0.25f;
        });
        require_derived_current(model);
    }
    SECTION("load, and a load refused") {
        const Model<Net> other(18);
        load(model, to_bytes(other));
        REQUIRE(model.state().get<0>().weight_t == other.state().get<0>().weight_t);
        require_derived_current(model);
        const auto before = to_bytes(model);
        auto malformed = to_bytes(Model<Net>(19));
        malformed.resize(malformed.size() - 4);
        REQUIRE_THROWS(load(model, malformed));
        REQUIRE(to_bytes(model) == before);
        require_derived_current(model);
    }
    SECTION("a training forward moves the running statistics, and a step the weights") {
        const auto scale_before = model.state().get<1>().inference_scale;
        const auto weight_t_before = model.state().get<0>().weight_t;
        train_one_step(model);
        REQUIRE(model.state().get<1>().inference_scale != scale_before);
        REQUIRE(model.state().get<0>().weight_t != weight_t_before);
        require_derived_current(model);
    }
    SECTION("reset_parameters, and a copy") {
        train_one_step(model);
        std::mt19937_64 rng(5);
        model.reset_parameters(rng);
        require_derived_current(model);
        const Model<Net> copy = model;
        require_derived_current(copy);
    }
}
