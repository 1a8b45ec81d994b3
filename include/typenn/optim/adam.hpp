// SPDX-License-Identifier: BSL-1.0
#pragma once
// optim::Adam: torch.optim.Adam as in PyTorch 1.13; weight decay is L2, added to the gradient.
#include "typenn/optim/adaptive_moments.hpp"

namespace typenn::optim {

using AdamOptions = MomentOptions<0.0>;

template <TrainableModel M>
class Adam : public AdaptiveMoments<M, AdamOptions> {
public:
    Adam(M& model, AdamOptions options = {})
        : AdaptiveMoments<M, AdamOptions>(model, options, "optim::Adam") {}

    void step() { this->step_with(this->options().weight_decay, 0); }
};

}  // namespace typenn::optim
