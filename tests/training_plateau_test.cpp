// SPDX-License-Identifier: BSL-1.0
// sched::ReduceLROnPlateau against torch.optim.lr_scheduler.ReduceLROnPlateau: the rate after
// each step on metric sequences that exercise patience, threshold (rel and abs), cooldown,
// min_lr, eps, and both modes.
#include "training_fixtures.hpp"

using namespace typenn;
using namespace typenn::training_test;

namespace {
constexpr Tolerance double_parity{1e-12, 1e-18};

template <class T>
void require_plateau(std::string_view name, double lr, sched::PlateauOptions options) {
    const Fixture fixture("plateau");
    const std::vector<double> metrics = fixture.values(std::string(name) + ".metrics");
    Model<Net, T> model;
    optim::SGD opt(model, {.lr = lr});
    sched::ReduceLROnPlateau s(opt, options);
    std::vector<double> lrs;
    for (const double metric : metrics) {
        opt.step();
        s.step(metric);
        lrs.push_back(opt.lr());
        REQUIRE(s.lr() == opt.lr());
    }
    REQUIRE(metrics.size() >= 40);
    require_close(lrs, fixture.values(std::string(name) + ".lrs"), double_parity,
                  std::string(name));
}
}  // namespace

TEMPLATE_TEST_CASE("ReduceLROnPlateau matches PyTorch's", "", float, double) {
    SECTION("min, relative threshold, cooldown, min_lr") {
        require_plateau<TestType>("min_rel_cooldown", 0.1,
                                  {.mode = sched::min,
                                   .factor = 0.5,
                                   .patience = 3,
                                   .threshold = 1e-2,
                                   .cooldown = 2,
                                   .min_lr = 0.004});
    }
    SECTION("max, absolute threshold") {
        require_plateau<TestType>("max_abs", 0.1,
                                  {.mode = sched::max,
                                   .factor = 0.3,
                                   .patience = 2,
                                   .threshold = 0.05,
                                   .threshold_mode = sched::ThresholdMode::abs,
                                   .min_lr = 1e-3});
    }
    SECTION("max, relative threshold, down to where eps stops it") {
        require_plateau<TestType>("max_rel", 0.1,
                                  {.mode = sched::max, .patience = 1, .threshold = 0.1});
    }
    SECTION("defaults") { require_plateau<TestType>("defaults", 0.1, {}); }
    SECTION("changes below eps are skipped") {
        require_plateau<TestType>("eps", 1e-7, {.factor = 0.5, .patience = 0});
    }
}

TEST_CASE("ReduceLROnPlateau tracks the best metric and its bad epochs") {
    Model<Net> model;
    optim::SGD opt(model, {.lr = 1.0});
    sched::ReduceLROnPlateau s(opt, {.patience = 1, .cooldown = 1});
    s.step(3.0);
    CHECK(s.best() == 3.0);
    s.step(3.0);  // not better by 1e-4 relative
    CHECK(s.num_bad_epochs() == 1);
    s.step(2.9999);
    CHECK(s.num_bad_epochs() == 0);  // reduced, counter reset
    CHECK(opt.lr() == Approx(0.1));
    CHECK(s.in_cooldown());
    CHECK_THROWS_WITH(sched::ReduceLROnPlateau(opt, {.factor = 1.0}),
                      Catch::Matchers::StartsWith("typenn: sched::ReduceLROnPlateau: factor"));
}
