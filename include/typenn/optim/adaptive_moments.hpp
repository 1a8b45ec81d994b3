#pragma once
// What Adam and AdamW share (PyTorch 1.13's _single_tensor_adam / _single_tensor_adamw):
// moving averages of the gradient and of its square, bias-corrected by the step count,
// optionally AMSGrad's running maximum of the latter. They differ only in where weight decay
// enters: added to the gradient (Adam) or shrinking the parameter first (AdamW).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "typenn/optim/optimizer.hpp"

namespace typenn::optim {

// Adam's and AdamW's options, which differ only in the default weight decay.
template <double DefaultWeightDecay>
struct MomentOptions {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = DefaultWeightDecay;
    bool amsgrad = false;
    bool maximize = false;
};

template <TrainableModel M, class Options>
class AdaptiveMoments : public Optimizer<M> {
    using T = typename M::scalar;

public:
    const Options& options() const noexcept { return o_; }
    // Steps taken so far (PyTorch's state['step']).
    std::int64_t step_count() const noexcept { return step_; }

protected:
    AdaptiveMoments(M& model, const Options& o, const char* name)
        : Optimizer<M>(model, o.lr, name), o_(o) {
        const std::string who = name;
        detail::require(o.eps >= 0, who + ": invalid epsilon value " + std::to_string(o.eps));
        detail::require(o.beta1 >= 0 && o.beta1 < 1,
                        who + ": invalid beta parameter at index 0: " + std::to_string(o.beta1));
        detail::require(o.beta2 >= 0 && o.beta2 < 1,
                        who + ": invalid beta parameter at index 1: " + std::to_string(o.beta2));
        detail::require(o.weight_decay >= 0,
                        who + ": invalid weight_decay value " + std::to_string(o.weight_decay));
        exp_avg_.resize(this->element_count());
        exp_avg_sq_.resize(this->element_count());
        if (o.amsgrad) max_exp_avg_sq_.resize(this->element_count());
    }

    // Bias corrections in double, as PyTorch computes them from Python floats.
    void step_with(double coupled_decay, double decoupled_decay) {
        ++step_;
        const double lr = this->lr();
        const double bias_correction1 = 1 - std::pow(o_.beta1, double(step_));
        const double bias_correction2 = 1 - std::pow(o_.beta2, double(step_));
        const T minus_step_size = T(-(lr / bias_correction1));
        const T bias_correction2_sqrt = T(std::sqrt(bias_correction2));
        const T shrink = T(1 - lr * decoupled_decay), coupled = T(coupled_decay);
        const T beta1 = T(o_.beta1), beta2 = T(o_.beta2), eps = T(o_.eps);
        const T new_weight1 = T(1 - o_.beta1), new_weight2 = T(1 - o_.beta2);
        this->for_each_element([&](T& p, T grad, std::size_t k) {
            T g = o_.maximize ? -grad : grad;
            if (coupled_decay != 0) g += coupled * p;
            if (decoupled_decay != 0) p *= shrink;
            T& m = exp_avg_[k];
            T& v = exp_avg_sq_[k];
            m = m * beta1 + new_weight1 * g;
            v = v * beta2 + new_weight2 * g * g;
            T second = v;
            if (o_.amsgrad) second = max_exp_avg_sq_[k] = std::max(max_exp_avg_sq_[k], v);
            const T denom = std::sqrt(second) / bias_correction2_sqrt + eps;
            p += minus_step_size * (m / denom);
        });
    }

private:
    Options o_;
    std::vector<T> exp_avg_, exp_avg_sq_, max_exp_avg_sq_;
    std::int64_t step_ = 0;
};

}  // namespace typenn::optim
