// SPDX-License-Identifier: BSL-1.0
#pragma once
// sched::MultiStepLR: the rate times gamma at each milestone epoch; a milestone listed k times
// multiplies by gamma^k (torch.optim.lr_scheduler.MultiStepLR, which counts them).
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "typenn/sched/chainable.hpp"

namespace typenn::sched {

template <optim::LearningRateControl O>
class MultiStepLR : public Chainable<MultiStepLR<O>, O> {
public:
    MultiStepLR(O& optimizer, std::vector<int> milestones, double gamma = 0.1)
        : Chainable<MultiStepLR<O>, O>(optimizer),
          milestones_(std::move(milestones)),
          gamma_(gamma) {
        std::sort(milestones_.begin(), milestones_.end());
        this->step();
    }

private:
    friend Chainable<MultiStepLR<O>, O>;

    double chained_lr(double current) const {
        const auto hits = std::count(milestones_.begin(), milestones_.end(), this->last_epoch());
        if (hits == 0) return current;
        return current * std::pow(gamma_, double(hits));
    }

    double closed_form_lr(int epoch) const {
        const auto passed =
            std::upper_bound(milestones_.begin(), milestones_.end(), epoch) - milestones_.begin();
        return this->base_lr() * std::pow(gamma_, double(passed));
    }

    std::vector<int> milestones_;  // sorted
    double gamma_;
};

}  // namespace typenn::sched
