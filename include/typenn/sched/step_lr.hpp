// SPDX-License-Identifier: BSL-1.0
#pragma once
// sched::StepLR: the rate times gamma every step_size epochs (torch.optim.lr_scheduler.StepLR).
#include <cmath>
#include <string>

#include "typenn/sched/chainable.hpp"

namespace typenn::sched {

template <optim::LearningRateControl O>
class StepLR : public Chainable<StepLR<O>, O> {
public:
    StepLR(O& optimizer, int step_size, double gamma = 0.1)
        : Chainable<StepLR<O>, O>(optimizer), step_size_(step_size), gamma_(gamma) {
        optim::detail::require(
            step_size >= 1, "sched::StepLR needs step_size >= 1, got " + std::to_string(step_size));
        this->step();
    }

private:
    friend Chainable<StepLR<O>, O>;

    double chained_lr(double current) const {
        const int epoch = this->last_epoch();
        if (epoch == 0 || epoch % step_size_ != 0) return current;
        return current * gamma_;
    }

    double closed_form_lr(int epoch) const {
        return this->base_lr() * std::pow(gamma_, epoch / step_size_);
    }

    int step_size_;
    double gamma_;
};

}  // namespace typenn::sched
