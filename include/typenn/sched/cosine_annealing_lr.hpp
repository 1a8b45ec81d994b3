// SPDX-License-Identifier: BSL-1.0
#pragma once
// sched::CosineAnnealingLR: from the base rate down to eta_min along half a cosine over t_max
// epochs, then back up again, periodically (torch.optim.lr_scheduler.CosineAnnealingLR, by
// its recursion, which agrees with eta_min + (base − eta_min)·(1 + cos(π·t/t_max))/2 when
// nothing else changes the rate).
#include <cmath>
#include <numbers>
#include <string>

#include "typenn/sched/chainable.hpp"

namespace typenn::sched {

template <optim::LearningRateControl O>
class CosineAnnealingLR : public Chainable<CosineAnnealingLR<O>, O> {
public:
    CosineAnnealingLR(O& optimizer, int t_max, double eta_min = 0)
        : Chainable<CosineAnnealingLR<O>, O>(optimizer), t_max_(t_max), eta_min_(eta_min) {
        optim::detail::require(
            t_max >= 1, "sched::CosineAnnealingLR needs T_max >= 1, got " + std::to_string(t_max));
        this->step();
    }

private:
    friend Chainable<CosineAnnealingLR<O>, O>;

    double chained_lr(double current) const {
        using std::numbers::pi;
        const int epoch = this->last_epoch();
        if (epoch == 0) return current;
        // At the bottom of a period the ratio below would divide by zero: climb instead.
        if ((epoch - 1 - t_max_) % (2 * t_max_) == 0)
            return current + (this->base_lr() - eta_min_) * (1 - std::cos(pi / t_max_)) / 2;
        return (1 + std::cos(pi * epoch / t_max_)) / (1 + std::cos(pi * (epoch - 1) / t_max_)) *
                   (current - eta_min_) +
               eta_min_;
    }

    double closed_form_lr(int epoch) const {
        using std::numbers::pi;
        return eta_min_ + (this->base_lr() - eta_min_) * (1 + std::cos(pi * epoch / t_max_)) / 2;
    }

    int t_max_;
    double eta_min_;
};

}  // namespace typenn::sched
