// SPDX-License-Identifier: BSL-1.0
#pragma once
// sched::ExponentialLR: the rate times gamma every epoch
// (torch.optim.lr_scheduler.ExponentialLR).
#include <cmath>

#include "typenn/sched/chainable.hpp"

namespace typenn::sched {

template <optim::LearningRateControl O>
class ExponentialLR : public Chainable<ExponentialLR<O>, O> {
public:
    ExponentialLR(O& optimizer, double gamma)
        : Chainable<ExponentialLR<O>, O>(optimizer), gamma_(gamma) {
        this->step();
    }

private:
    friend Chainable<ExponentialLR<O>, O>;

    double chained_lr(double current) const {
        return this->last_epoch() == 0 ? current : current * gamma_;
    }

    double closed_form_lr(int epoch) const { return this->base_lr() * std::pow(gamma_, epoch); }

    double gamma_;
};

}  // namespace typenn::sched
