// SPDX-License-Identifier: BSL-1.0
// Training steps touch no heap: optimizer state is allocated at construction, and losses,
// clipping and schedules work in place. Every global allocation of this program is counted.

#include "training_fixtures.hpp"
#include "heap_counter.hpp"

using namespace typenn;
using namespace typenn::training_test;

TEST_CASE("a training step allocates nothing") {
    static Model<Net> model;
    static Tape<Net, batch> tape;
    optim::SGD sgd(model, {.lr = 0.1, .momentum = 0.9, .weight_decay = 1e-4, .nesterov = true});
    optim::Adam adam(model, {.amsgrad = true});
    optim::AdamW adamw(model);
    sched::LinearLR warmup(sgd, 0.1, 1.0, 3);
    sched::CosineAnnealingLR cosine(sgd, 10);
    sched::SequentialLR schedule(sgd, std::tie(warmup, cosine), {3});
    sched::ReduceLROnPlateau plateau(adam, {.patience = 0});
    Tensor<batch, Net::in_features> x;
    Tensor<batch, Net::out_features> target, dy;
    x.fill(0.5f);
    x(0, 0) = -1.f;
    target.fill(0.25f);
    const std::array<int, batch> labels{0, 1, 2, 0, 1, 2, 0, 1};

    heap_counter::allocations = 0;
    for (int step = 0; step < 5; ++step) {
        sgd.zero_grad();
        const auto y = model.forward(x, tape);
        const float loss = loss::mse(y, target, dy) + loss::cross_entropy(y, labels, dy) +
                           loss::bce_with_logits(y, target, dy, Rows{4});
        model.backward(tape, dy);
        clip_grad_norm(model, 1.0);
        clip_grad_value(model, 0.5);
        sgd.step();
        adam.step();
        adamw.step();
        schedule.step();
        plateau.step(loss);
    }
    const std::size_t counted = heap_counter::allocations;
    CHECK(counted == 0);

    // The counter works: constructing an optimizer allocates its state.
    heap_counter::allocations = 0;
    optim::Adam probe(model);
    CHECK(heap_counter::allocations >= 2);
}
