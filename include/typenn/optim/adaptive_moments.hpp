// SPDX-License-Identifier: BSL-1.0
#pragma once
// What Adam and AdamW share (PyTorch 1.13's _single_tensor_adam / _single_tensor_adamw):
// moving averages of the gradient and of its square, bias-corrected by the step count,
// optionally AMSGrad's running maximum of the latter. They differ only in where weight decay
// enters: added to the gradient (Adam) or shrinking the parameter first (AdamW).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "typenn/detail/where.hpp"
#include "typenn/kernels/simd/load_store.hpp"
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
        const Decay decay = coupled_decay != 0     ? Decay::coupled
                            : decoupled_decay != 0 ? Decay::decoupled
                                                   : Decay::none;
        const Update update{minus_step_size, bias_correction2_sqrt, shrink, coupled, beta1,
                            beta2, eps, new_weight1, new_weight2, o_.maximize, o_.amsgrad, decay};
        this->for_each_parameter([&](T* p, const T* grad, std::size_t first, std::size_t count) {
            update(p, grad, exp_avg_.data() + first, exp_avg_sq_.data() + first,
                   o_.amsgrad ? max_exp_avg_sq_.data() + first : nullptr, count);
        });
    }

private:
    // One step over one tensor; the options that shape the loop are template parameters and
    // the coefficients members of a value, as in SGD::Update.
    // Where weight decay enters: added to the gradient (Adam), shrinking the parameter
    // (AdamW), or nowhere.
    enum class Decay { none, coupled, decoupled };

    struct Update {
        T minus_step_size, bias_correction2_sqrt, shrink, coupled, beta1, beta2, eps,
            new_weight1, new_weight2;
        bool maximize, amsgrad;
        Decay decay;

        void operator()(T* p, const T* grad, T* m, T* v, T* v_max, std::size_t count) const {
            if (amsgrad)
                with_amsgrad<true>(p, grad, m, v, v_max, count);
            else
                with_amsgrad<false>(p, grad, m, v, v_max, count);
        }

        template <bool AmsGrad>
        void with_amsgrad(T* p, const T* grad, T* m, T* v, T* v_max, std::size_t count) const {
            switch (decay) {
                case Decay::coupled:
                    return loop<AmsGrad, Decay::coupled>(p, grad, m, v, v_max, count);
                case Decay::decoupled:
                    return loop<AmsGrad, Decay::decoupled>(p, grad, m, v, v_max, count);
                case Decay::none:
                    return loop<AmsGrad, Decay::none>(p, grad, m, v, v_max, count);
            }
        }

        // Written for batches: std::sqrt's errno keeps GCC from vectorising the loop (wide
        // net: 790 µs a step against 67). Square roots and divisions are correctly rounded in
        // both, though GCC may fuse a multiply and an add in one and not in the other.
        template <bool AmsGrad, Decay D>
        void loop(T* p, const T* grad, T* m, T* v, T* v_max, std::size_t count) const {
            kernels::simd::for_each_batch<T>(count, [&](auto as, std::size_t i) {
                update<AmsGrad, D, typename decltype(as)::type>(
                    p + i, grad + i, m + i, v + i, AmsGrad ? v_max + i : nullptr);
            });
        }

        // The update of the elements at these addresses: a batch of them, or one (V = T).
        template <bool AmsGrad, Decay D, class V>
        void update(T* p, const T* grad, T* m, T* v, T* v_max) const {
            using kernels::simd::load_as, kernels::simd::store_at;
            V g = load_as<V>(grad), value = load_as<V>(p);
            if (maximize) g = -g;
            if constexpr (D == Decay::coupled) g += coupled * value;
            if constexpr (D == Decay::decoupled) value *= shrink;
            const V first_moment = load_as<V>(m) * beta1 + new_weight1 * g;
            const V second_moment = load_as<V>(v) * beta2 + new_weight2 * g * g;
            V second = second_moment;
            if constexpr (AmsGrad) {
                const V running_max = load_as<V>(v_max);  // std::max(running_max, second_moment)
                second = typenn::detail::where(running_max < second_moment, second_moment, running_max);
                store_at(v_max, second);
            }
            using std::sqrt;
            const V denom = sqrt(second) / bias_correction2_sqrt + eps;
            store_at(p, value + minus_step_size * (first_moment / denom));
            store_at(m, first_moment);
            store_at(v, second_moment);
        }
    };

    Options o_;
    std::vector<T> exp_avg_, exp_avg_sq_, max_exp_avg_sq_;
    std::int64_t step_ = 0;
};

}  // namespace typenn::optim
