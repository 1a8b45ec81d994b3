// SPDX-License-Identifier: BSL-1.0
#pragma once
// optim::AdamW: torch.optim.AdamW as in PyTorch 1.13; weight decay is decoupled: each step
// first shrinks the parameters by (1 − lr·weight_decay), then takes Adam's step without decay.
#include "typenn/optim/adaptive_moments.hpp"

namespace typenn::optim {

using AdamWOptions = MomentOptions<1e-2>;

template <TrainableModel M>
class AdamW : public AdaptiveMoments<M, AdamWOptions> {
public:
    AdamW(M& model, AdamWOptions options = {})
        : AdaptiveMoments<M, AdamWOptions>(model, options, "optim::AdamW") {}

    void step() { this->step_with(0, this->options().weight_decay); }
};

}  // namespace typenn::optim
