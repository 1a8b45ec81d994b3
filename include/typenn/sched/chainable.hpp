// SPDX-License-Identifier: BSL-1.0
#pragma once
// What the epoch schedules of torch.optim.lr_scheduler share, as PyTorch 1.13 implements
// them: each step() derives the next rate from the optimizer's current one (the "chainable"
// form, so that schedules compose), from a base rate that is the optimizer's rate when its
// first schedule was attached; construction takes the first step, which sets epoch 0's rate.
// Rates are doubles, computed as PyTorch computes them in Python floats.
//
// A schedule states its rule:
//   double chained_lr(double current) const;   // the rate at last_epoch() given the current one
//   double closed_form_lr(int epoch) const;    // the rate at `epoch` from the base rate
// and ends its constructor with this->step().
#include "typenn/optim/optimizer.hpp"

namespace typenn::sched {

template <class Derived, optim::LearningRateControl O>
class Chainable {
public:
    void step() {
        ++last_epoch_;
        apply(derived().chained_lr(optimizer_.lr()));
    }

    // The rate this schedule set last (PyTorch's get_last_lr()).
    double lr() const noexcept { return last_lr_; }
    int last_epoch() const noexcept { return last_epoch_; }
    O& optimizer() noexcept { return optimizer_; }

    // What SequentialLR does to the schedules it chains, under PyTorch's names for them:
    // `last_epoch -= 1` undoes the step construction took, and
    // `step(0)` starts a schedule over at epoch 0 by its closed form, at a milestone.
    void rewind() noexcept { --last_epoch_; }
    void restart() {
        last_epoch_ = 0;
        apply(derived().closed_form_lr(0));
    }

protected:
    explicit Chainable(O& optimizer)
        : optimizer_(optimizer), base_lr_(optimizer.schedule_base_lr()) {}

    double base_lr() const noexcept { return base_lr_; }

private:
    Derived& derived() noexcept { return static_cast<Derived&>(*this); }

    void apply(double lr) {
        optimizer_.set_lr(lr);
        last_lr_ = lr;
    }

    O& optimizer_;
    double base_lr_;
    double last_lr_ = 0;
    int last_epoch_ = -1;
};

}  // namespace typenn::sched
