// SPDX-License-Identifier: BSL-1.0
#pragma once
// sched::ReduceLROnPlateau: multiplies the rate by `factor` once a metric has not improved
// for more than `patience` epochs, then waits `cooldown` epochs before counting again
// (torch.optim.lr_scheduler.ReduceLROnPlateau as in PyTorch 1.13, defaults included).
// An improvement must beat the best value so far by `threshold`, relative to it (rel) or
// absolute (abs); the rate never goes below min_lr, and changes smaller than eps are skipped.
#include <algorithm>
#include <limits>
#include <string>

#include "typenn/optim/optimizer.hpp"

namespace typenn::sched {

enum class PlateauMode { min, max };
inline constexpr PlateauMode min = PlateauMode::min;  // lower metric is better (a loss)
inline constexpr PlateauMode max = PlateauMode::max;  // higher metric is better (an accuracy)

enum class ThresholdMode { rel, abs };

struct PlateauOptions {
    PlateauMode mode = min;
    double factor = 0.1;
    int patience = 10;
    double threshold = 1e-4;
    ThresholdMode threshold_mode = ThresholdMode::rel;
    int cooldown = 0;
    double min_lr = 0;
    double eps = 1e-8;
};

template <optim::LearningRateControl O>
class ReduceLROnPlateau {
public:
    ReduceLROnPlateau(O& optimizer, PlateauOptions options = {})
        : optimizer_(optimizer),
          o_(options),
          best_(options.mode == min ? std::numeric_limits<double>::infinity()
                                    : -std::numeric_limits<double>::infinity()),
          last_lr_(optimizer.lr()) {
        optim::detail::require(options.factor < 1.0,
                               "sched::ReduceLROnPlateau: factor should be < 1.0, got " +
                                   std::to_string(options.factor));
    }

    void step(double metric) {
        if (improves_on_best(metric)) {
            best_ = metric;
            bad_epochs_ = 0;
        } else {
            ++bad_epochs_;
        }
        if (cooldown_counter_ > 0) {
            --cooldown_counter_;
            bad_epochs_ = 0;  // bad epochs in cooldown do not count
        }
        if (bad_epochs_ > o_.patience) {
            reduce_lr();
            cooldown_counter_ = o_.cooldown;
            bad_epochs_ = 0;
        }
        last_lr_ = optimizer_.lr();
    }

    double lr() const noexcept { return last_lr_; }
    double best() const noexcept { return best_; }
    int num_bad_epochs() const noexcept { return bad_epochs_; }
    bool in_cooldown() const noexcept { return cooldown_counter_ > 0; }

private:
    bool improves_on_best(double a) const {
        const bool rel = o_.threshold_mode == ThresholdMode::rel;
        if (o_.mode == min) return rel ? a < best_ * (1. - o_.threshold) : a < best_ - o_.threshold;
        return rel ? a > best_ * (o_.threshold + 1.) : a > best_ + o_.threshold;
    }

    void reduce_lr() {
        const double old_lr = optimizer_.lr();
        const double new_lr = std::max(old_lr * o_.factor, o_.min_lr);
        if (old_lr - new_lr > o_.eps) optimizer_.set_lr(new_lr);
    }

    O& optimizer_;
    PlateauOptions o_;
    double best_;
    double last_lr_;
    int bad_epochs_ = 0;
    int cooldown_counter_ = 0;
};

}  // namespace typenn::sched
