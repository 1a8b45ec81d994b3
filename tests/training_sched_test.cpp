// SPDX-License-Identifier: BSL-1.0
// Learning-rate schedules against torch.optim.lr_scheduler: the rate after construction and
// after each of 45 steps, for every schedule and for SequentialLR chaining them.
#include "training_fixtures.hpp"

using namespace typenn;
using namespace typenn::training_test;

namespace {
constexpr double base_lr = 0.1;  // BASE_LR
// Both sides compute in double by the same formulas; only libm's last bits may differ.
constexpr Tolerance double_parity{1e-12, 1e-18};

template <class Optimizer, class Schedule>
void require_lrs(std::string_view name, Optimizer& opt, Schedule& schedule) {
    const Fixture fixture("sched");
    const std::vector<double> expected = fixture.values(name);
    std::vector<double> lrs{opt.lr()};
    CHECK(schedule.lr() == opt.lr());
    for (std::size_t i = 1; i < expected.size(); ++i) {
        opt.step();
        schedule.step();
        lrs.push_back(opt.lr());
    }
    REQUIRE(expected.size() >= 41);
    require_close(lrs, expected, double_parity, std::string(name));
    CHECK(schedule.lr() == opt.lr());
}
}  // namespace

TEMPLATE_TEST_CASE("schedules match torch.optim.lr_scheduler, first step included", "", float,
                   double) {
    Model<Net, TestType> model;
    optim::SGD opt(model, {.lr = base_lr});
    SECTION("StepLR") {
        sched::StepLR s(opt, 7, 0.5);
        require_lrs("step", opt, s);
    }
    SECTION("MultiStepLR, a milestone listed twice") {
        sched::MultiStepLR s(opt, {5, 12, 30, 12}, 0.3);
        require_lrs("multi_step", opt, s);
    }
    SECTION("ExponentialLR") {
        sched::ExponentialLR s(opt, 0.93);
        require_lrs("exponential", opt, s);
    }
    SECTION("CosineAnnealingLR over several periods") {
        sched::CosineAnnealingLR s(opt, 10, 1e-3);
        require_lrs("cosine_periods", opt, s);
    }
    SECTION("CosineAnnealingLR") {
        sched::CosineAnnealingLR s(opt, 50);
        require_lrs("cosine", opt, s);
    }
    SECTION("LinearLR warm-up") {
        sched::LinearLR s(opt, 0.1, 1.0, 5);
        require_lrs("linear_warmup", opt, s);
    }
    SECTION("LinearLR decay") {
        sched::LinearLR s(opt, 1.0, 0.2, 12);
        require_lrs("linear_decay", opt, s);
    }
}

TEMPLATE_TEST_CASE("SequentialLR matches torch.optim.lr_scheduler.SequentialLR", "", float,
                   double) {
    // Each schedule is constructed first, changing the rate, as in the PyTorch script.
    Model<Net, TestType> model;
    optim::SGD opt(model, {.lr = base_lr});
    SECTION("linear warm-up, then cosine annealing") {
        sched::LinearLR warmup(opt, 0.25, 1.0, 5);
        sched::CosineAnnealingLR cosine(opt, 35, 1e-4);
        sched::SequentialLR s(opt, std::tie(warmup, cosine), {5});
        require_lrs("sequential_warmup_cosine", opt, s);
    }
    SECTION("three schedules") {
        sched::LinearLR warmup(opt, 0.5, 1.0, 4);
        sched::StepLR step(opt, 5, 0.5);
        sched::ExponentialLR exponential(opt, 0.9);
        sched::SequentialLR s(opt, std::tie(warmup, step, exponential), {4, 20});
        require_lrs("sequential_three", opt, s);
    }
    SECTION("into MultiStepLR with a milestone at 0") {
        sched::ExponentialLR exponential(opt, 0.9);
        sched::MultiStepLR multi_step(opt, {0, 3, 6}, 0.5);
        sched::SequentialLR s(opt, std::tie(exponential, multi_step), {10});
        require_lrs("sequential_to_multi_step", opt, s);
    }
    SECTION("into LinearLR") {
        sched::StepLR step(opt, 3, 0.5);
        sched::LinearLR warmup(opt, 0.2, 1.0, 6);
        sched::SequentialLR s(opt, std::tie(step, warmup), {8});
        require_lrs("sequential_to_linear", opt, s);
    }
}

TEST_CASE("a schedule starts from the rate the optimizer had when its first schedule came") {
    Model<Net> model;
    optim::SGD opt(model, {.lr = 0.2});
    sched::ExponentialLR first(opt, 0.5);
    first.step();
    REQUIRE(opt.lr() == 0.1);
    opt.set_lr(0.7);
    sched::StepLR second(opt, 2, 0.5);  // PyTorch: base_lrs from param_group['initial_lr']
    REQUIRE(opt.lr() == 0.7);           // epoch 0 keeps the current rate
    second.step();
    second.step();
    CHECK(opt.lr() == 0.35);
    CHECK(opt.schedule_base_lr() == 0.2);
}

TEST_CASE("schedules and SequentialLR refuse what PyTorch cannot run") {
    Model<Net> model;
    optim::SGD opt(model, {.lr = base_lr});
    optim::SGD other(model, {.lr = base_lr});
    using Catch::Matchers::StartsWith;
    CHECK_THROWS_WITH(sched::StepLR(opt, 0), StartsWith("typenn: sched::StepLR needs step_size"));
    CHECK_THROWS_WITH(sched::CosineAnnealingLR(opt, 0),
                      StartsWith("typenn: sched::CosineAnnealingLR needs T_max"));
    CHECK_THROWS_WITH(sched::LinearLR(opt, 1.5), StartsWith("typenn: sched::LinearLR: starting"));
    CHECK_THROWS_WITH(sched::LinearLR(opt, 0.5, -1), StartsWith("typenn: sched::LinearLR: ending"));
    sched::LinearLR mine(opt), theirs(other);
    CHECK_THROWS_WITH(sched::SequentialLR(opt, std::tie(mine, theirs), {3}),
                      StartsWith("typenn: sched::SequentialLR expects all schedules to belong"));
}
