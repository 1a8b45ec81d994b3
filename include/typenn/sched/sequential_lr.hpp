// SPDX-License-Identifier: BSL-1.0
#pragma once
// sched::SequentialLR: one schedule after another, switching at milestone epochs
// (torch.optim.lr_scheduler.SequentialLR as in PyTorch 1.13), typically a warm-up followed by
// a decay:
//   sched::LinearLR warmup(opt, 0.1, 1.0, 5);
//   sched::CosineAnnealingLR cosine(opt, 95);
//   sched::SequentialLR s(opt, std::tie(warmup, cosine), {5});
// The chained schedules are the caller's and must outlive it. Construction undoes the steps
// their constructors took and restores the optimizer's initial rate; at each milestone the
// next schedule starts over at its epoch 0.
#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <tuple>

#include "typenn/detail/static_for.hpp"
#include "typenn/optim/optimizer.hpp"

namespace typenn::sched {

template <optim::LearningRateControl O, class... Schedules>
class SequentialLR {
    static constexpr std::size_t count = sizeof...(Schedules);
    static_assert(count >= 1, "typenn: sched::SequentialLR needs at least one schedule");

public:
    SequentialLR(O& optimizer, std::tuple<Schedules&...> schedules,
                 std::array<int, count - 1> milestones)
        : schedules_(schedules), milestones_(milestones) {
        detail::static_for<count>([&](auto i) {
            optim::detail::require(&std::get<i>(schedules_).optimizer() == &optimizer,
                                   "sched::SequentialLR expects all schedules to belong to the "
                                   "same optimizer, but the schedule at index " +
                                       std::to_string(std::size_t(i)) + " belongs to another one");
        });
        optimizer.set_lr(optimizer.schedule_base_lr());
        std::apply([](auto&... s) { (s.rewind(), ...); }, schedules_);
        std::get<0>(schedules_).step();
        last_lr_ = std::get<0>(schedules_).lr();
    }

    void step() {
        ++last_epoch_;
        const std::size_t active =
            std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) -
            milestones_.begin();
        const bool at_milestone = active > 0 && milestones_[active - 1] == last_epoch_;
        detail::static_for<count>([&](auto i) {
            if (i != active) return;
            auto& schedule = std::get<i>(schedules_);
            if (at_milestone)
                schedule.restart();
            else
                schedule.step();
            last_lr_ = schedule.lr();
        });
    }

    // The rate the active schedule set last.
    double lr() const noexcept { return last_lr_; }

private:
    std::tuple<Schedules&...> schedules_;
    std::array<int, count - 1> milestones_;
    int last_epoch_ = 0;
    double last_lr_;
};

}  // namespace typenn::sched
