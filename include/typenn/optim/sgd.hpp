#pragma once
// optim::SGD: torch.optim.SGD as in PyTorch 1.13, element by element:
//   d = grad (+ weight_decay·p);  with momentum: buf = d on the first step, then
//   buf = momentum·buf + (1 − dampening)·d, and d = buf, or d + momentum·buf with nesterov;
//   p −= lr·d.
#include <limits>
#include <vector>

#include "typenn/optim/optimizer.hpp"

namespace typenn::optim {

struct SGDOptions {
    double lr = std::numeric_limits<double>::quiet_NaN();  // required, as in PyTorch
    double momentum = 0;
    double dampening = 0;
    double weight_decay = 0;
    bool nesterov = false;
    bool maximize = false;
};

template <TrainableModel M>
class SGD : public Optimizer<M> {
    using T = typename M::scalar;

public:
    SGD(M& model, SGDOptions options)
        : Optimizer<M>(model, options.lr, "optim::SGD"), options_(options) {
        detail::require(options.momentum >= 0,
                        "optim::SGD: invalid momentum value " + std::to_string(options.momentum));
        detail::require(options.weight_decay >= 0, "optim::SGD: invalid weight_decay value " +
                                                       std::to_string(options.weight_decay));
        detail::require(!options.nesterov || (options.momentum > 0 && options.dampening == 0),
                        "optim::SGD: Nesterov momentum requires a momentum and zero dampening");
        if (options.momentum != 0) momentum_buffer_.resize(this->element_count());
    }

    void step() {
        const T weight_decay = T(options_.weight_decay), momentum = T(options_.momentum);
        const T keep = T(1 - options_.dampening), minus_lr = T(-this->lr());
        const bool first = !started_;
        this->for_each_element([&](T& p, T grad, std::size_t k) {
            T d = options_.maximize ? -grad : grad;
            if (options_.weight_decay != 0) d += weight_decay * p;
            if (options_.momentum != 0) {
                T& buf = momentum_buffer_[k];
                buf = first ? d : buf * momentum + keep * d;
                d = options_.nesterov ? d + momentum * buf : buf;
            }
            p += minus_lr * d;
        });
        started_ = true;
    }

    const SGDOptions& options() const noexcept { return options_; }

private:
    SGDOptions options_;
    std::vector<T> momentum_buffer_;
    bool started_ = false;
};

}  // namespace typenn::optim
