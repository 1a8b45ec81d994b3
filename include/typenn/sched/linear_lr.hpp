// SPDX-License-Identifier: BSL-1.0
#pragma once
// sched::LinearLR: the base rate times a factor that moves linearly from start_factor to
// end_factor over total_iters epochs, then stays (torch.optim.lr_scheduler.LinearLR): the
// usual warm-up.
#include <algorithm>
#include <string>

#include "typenn/sched/chainable.hpp"

namespace typenn::sched {

template <optim::LearningRateControl O>
class LinearLR : public Chainable<LinearLR<O>, O> {
public:
    LinearLR(O& optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0,
             int total_iters = 5)
        : Chainable<LinearLR<O>, O>(optimizer),
          start_(start_factor),
          end_(end_factor),
          total_iters_(total_iters) {
        // PyTorch 1.13 accepts start_factor 0 and then divides by zero at the first step.
        optim::detail::require(start_factor > 0 && start_factor <= 1,
                               "sched::LinearLR: starting multiplicative factor expected to be in "
                               "(0, 1], got " +
                                   std::to_string(start_factor));
        optim::detail::require(
            end_factor >= 0 && end_factor <= 1,
            "sched::LinearLR: ending multiplicative factor expected to be between 0 "
            "and 1, got " +
                std::to_string(end_factor));
        optim::detail::require(total_iters >= 1, "sched::LinearLR needs total_iters >= 1, got " +
                                                     std::to_string(total_iters));
        this->step();
    }

private:
    friend Chainable<LinearLR<O>, O>;

    double chained_lr(double current) const {
        const int epoch = this->last_epoch();
        if (epoch == 0) return current * start_;
        if (epoch > total_iters_) return current;
        return current *
               (1. + (end_ - start_) / (total_iters_ * start_ + (epoch - 1) * (end_ - start_)));
    }

    double closed_form_lr(int epoch) const {
        return this->base_lr() *
               (start_ + (end_ - start_) * std::min(total_iters_, epoch) / total_iters_);
    }

    double start_, end_;
    int total_iters_;
};

}  // namespace typenn::sched
