// SPDX-License-Identifier: BSL-1.0
// A model under execution::Checked trains with the whole library and, when every value stays
// finite, gives Fused's results bit for bit: it runs each layer on the kernels Fused uses.
#include <cstring>
#include <random>
#include <vector>

#include <typenn/metrics/accuracy.hpp>

#include "checked_support.hpp"
#include "user_layers.hpp"

using namespace typenn;
using namespace checked_test;

namespace {
using Net = Seq<Linear<6, 12>, BatchNorm<12>, ReLU,
                Residual<Seq<Linear<12, 12>, BatchNorm<12>, ReLU, Linear<12, 12>>>, Linear<12, 3>>;
constexpr std::size_t batch = 16;

// Every gradient, in state_dict order: bit-identity of the backward pass before a step.
template <class M>
std::vector<float> gradients(const M& model) {
    std::vector<float> out;
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; })
            out.insert(out.end(), entry.grad.begin(), entry.grad.end());
    });
    return out;
}

template <class A, class B>
bool same_bits(const A& a, const B& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0;
}
}  // namespace

TEST_CASE("checked: training gives Fused's losses, gradients and parameters bit for bit") {
    Model<Net, float, execution::Fused> fused;
    CheckedModel<Net> checked;
    std::mt19937_64 init_fused(5), init_checked(5);
    init::kaiming_uniform(fused, init_fused);
    init::kaiming_uniform(checked, init_checked);
    REQUIRE(to_bytes(checked) == to_bytes(fused));

    optim::SGD fused_sgd(fused, {.lr = 0.05, .momentum = 0.9, .weight_decay = 1e-3});
    optim::SGD checked_sgd(checked, {.lr = 0.05, .momentum = 0.9, .weight_decay = 1e-3});
    static Tape<Net, batch> fused_tape, checked_tape;
    Tensor<batch, 6> x;
    Tensor<batch, 3> fused_dy, checked_dy;
    std::vector<int> labels(batch);
    for (int step = 0; step < 6; ++step) {
        INFO("step " << step);
        fill_normal(x, 100 + step);
        for (std::size_t r = 0; r < batch; ++r) labels[r] = int((r * 7 + step) % 3);
        const Rows rows{step == 5 ? 11 : batch};  // a final partial batch
        const auto& fused_y = fused.forward(x, fused_tape, rows);
        const auto& checked_y = checked.forward(x, checked_tape, rows);
        CHECK(same_bits(checked_y, fused_y));
        const float fused_loss = loss::cross_entropy(fused_y, labels, fused_dy, rows);
        const float checked_loss = loss::cross_entropy(checked_y, labels, checked_dy, rows);
        CHECK(checked_loss == fused_loss);
        fused.backward(fused_tape, fused_dy);
        checked.backward(checked_tape, checked_dy);
        CHECK(same_bits(gradients(checked), gradients(fused)));
        CHECK(clip_grad_norm(checked, 1.0) == clip_grad_norm(fused, 1.0));
        fused_sgd.step();
        checked_sgd.step();
        fused_sgd.zero_grad();
        checked_sgd.zero_grad();
        CHECK(to_bytes(checked) == to_bytes(fused));
    }
}

// Trains Net under Fused and Checked from the same parameters: the same bits everywhere.
template <class Net, std::size_t In, std::size_t Out>
void check_same_bits_as_fused() {
    Model<Net, float, execution::Fused> fused(3);
    CheckedModel<Net> checked;
    load(checked, to_bytes(fused));
    static Tape<Net, batch> fused_tape, checked_tape;
    Tensor<batch, In> x;
    fill_normal(x, 4);
    Tensor<batch, Out> dy;
    fill_normal(dy, 5);
    CHECK(same_bits(checked.forward(x, checked_tape), fused.forward(x, fused_tape)));
    fused.backward(fused_tape, dy);
    checked.backward(checked_tape, dy);
    CHECK(same_bits(gradients(checked), gradients(fused)));
}

TEST_CASE("checked: activations fused into a Linear's epilogue give the bits they give alone") {
    check_same_bits_as_fused<Seq<Linear<6, 40>, Tanh, Linear<40, 40>, Sigmoid, Linear<40, 20>,
                                 ELU<>, Linear<20, 3>>, 6, 3>();
}

TEST_CASE("checked: chains of elementwise layers written outside the library, fused") {
    using user_layers::Scale, user_layers::Softsign;
    check_same_bits_as_fused<Seq<Linear<6, 40>, Softsign, Scale<40>, Tanh, Linear<40, 20, no_bias>,
                                 BatchNorm<20>, Scale<20>, Softsign, Linear<20, 3>>, 6, 3>();
}

TEST_CASE("checked: inference agrees with Fused, which folds BatchNorm into the Linear") {
    Model<Net, float, execution::Fused> fused(7);
    CheckedModel<Net> checked;
    load(checked, to_bytes(fused));
    Tensor<batch, 6> x;
    fill_normal(x, 8);
    // Running statistics away from 0 and 1, so that the folding matters.
    static Tape<Net, batch> tape;
    for (int i = 0; i < 3; ++i) fused.forward(x, tape), checked.forward(x, tape);
    REQUIRE(to_bytes(checked) == to_bytes(fused));
    const auto expected = fused.forward(x);
    const auto got = checked.forward(x);
    for (std::size_t k = 0; k < got.size(); ++k)
        CHECK(got.data()[k] == Approx(expected.data()[k]).epsilon(1e-5).margin(1e-6));
}

TEST_CASE("checked: the library's functions take a checked model") {
    CheckedModel<Net> model;
    std::mt19937_64 rng(9);
    init::xavier_normal(model, rng);
    clip_grad_value(model, 0.5);
    data::Dataset<6> samples;
    for (int k = 0; k < 20; ++k) {
        const std::array<float, 6> row{float(k % 3), 1, 0, float(k), 0, 1};
        samples.push_back(row, k % 3);
    }
    const double accuracy = metrics::accuracy<8>(model, samples);
    CHECK((accuracy >= 0 && accuracy <= 1));
    CHECK(parameter_flow(model).size() == 12);
    CHECK(layer_flow(model, 0.1).size() == 6);
    optim::Adam adam(model, {.lr = 1e-3});
    CHECK(adam.element_count() > 0);
}
