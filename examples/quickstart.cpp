// SPDX-License-Identifier: BSL-1.0
// The article's network, Seq<Linear<10,20>, BatchNorm<20>, ReLU, Linear<20,1>>, learning
// y = sin(x₀) + x₁·x₂ − |x₃| from 1,024 random samples, in mini-batches of 32.
#include <cmath>
#include <cstdio>
#include <random>

#include <typenn/typenn.hpp>

using namespace typenn;
using Net = Seq<Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>>;
constexpr std::size_t Batch = 32, Batches = 32;

int main() {
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    static Tensor<Batch, 10> x[Batches];
    static Tensor<Batch, 1> y[Batches];
    for (std::size_t b = 0; b < Batches; ++b)
        for (std::size_t r = 0; r < Batch; ++r) {
            for (std::size_t c = 0; c < 10; ++c) x[b](r, c) = normal(rng);
            y[b](r, 0) = std::sin(x[b](r, 0)) + x[b](r, 1) * x[b](r, 2) - std::abs(x[b](r, 3));
        }

    Model<Net> model;
    Tape<Net, Batch> tape;
    optim::SGD opt(model, {.lr = 0.05, .momentum = 0.9});
    sched::CosineAnnealingLR schedule(opt, 60);
    Tensor<Batch, 1> dy;
    for (int epoch = 1; epoch <= 60; ++epoch) {
        double total = 0;
        for (std::size_t b = 1; b < Batches; ++b) {  // batch 0 is held out
            opt.zero_grad();
            total += loss::mse(model.forward(x[b], tape), y[b], dy);
            model.backward(tape, dy);
            opt.step();
        }
        schedule.step();
        if (epoch % 10 == 0)
            std::printf("epoch %2d  train mse %.4f  held-out mse %.4f\n", epoch,
                        total / (Batches - 1), loss::mse(model.forward(x[0]), y[0], dy));
    }
}
