// SPDX-License-Identifier: BSL-1.0
#pragma once
// Gradient clipping as torch.nn.utils does it, over every parameter of a model:
//   clip_grad_norm(model, max_norm) scales all gradients by min(1, max_norm/(norm + 1e-6)),
//   norm being the p-norm of all gradient elements together (2 by default, or infinity:
//   the largest magnitude), and returns that norm as it was before clipping;
//   clip_grad_value(model, v) clamps every gradient element into [−v, v].
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "typenn/concepts/model.hpp"
#include "typenn/detail/raise.hpp"
#include "typenn/key_path.hpp"
#include "typenn/model.hpp"

namespace typenn {

struct GradNormOptions {
    double norm_type = 2;
    bool error_if_nonfinite = false;  // throw instead of scaling by a NaN or infinite norm
};

namespace detail {
template <AnyModel M, class F>
void for_each_gradient(M& model, F&& f) {
    model.visit_gradients([&](const KeyPath&, auto& grad) {
        for (auto& g : grad) f(g);
    });
}
}  // namespace detail

// The norm is summed in double: float gradients of a large model keep their precision.
template <AnyModel M>
typename M::scalar clip_grad_norm(M& model, double max_norm, GradNormOptions options = {}) {
    using T = typename M::scalar;
    const double p = options.norm_type;
    if (!(p > 0))
        TYPENN_RAISE std::invalid_argument(
            "typenn: clip_grad_norm: norm_type must be positive, got " + std::to_string(p));
    double accumulated = 0;
    if (std::isinf(p))
        detail::for_each_gradient(
            model, [&](T g) { accumulated = std::max(accumulated, double(std::abs(g))); });
    else
        detail::for_each_gradient(model,
                                  [&](T g) { accumulated += std::pow(std::abs(double(g)), p); });
    const T total = T(std::isinf(p) ? accumulated : std::pow(accumulated, 1 / p));
    if (options.error_if_nonfinite && !std::isfinite(total))
        TYPENN_RAISE std::domain_error(
            "typenn: clip_grad_norm: the total norm of order " + std::to_string(p) +
            " of the gradients is non-finite, so it cannot be clipped (PyTorch: "
            "error_if_nonfinite=True)");
    const T coefficient = std::min(T(max_norm) / (total + T(1e-6)), T(1));
    detail::for_each_gradient(model, [&](T& g) { g *= coefficient; });
    return total;
}

template <AnyModel M>
void clip_grad_value(M& model, double clip_value) {
    using T = typename M::scalar;
    if (!(clip_value >= 0))
        TYPENN_RAISE std::invalid_argument(
            "typenn: clip_grad_value: clip_value must be >= 0, got " + std::to_string(clip_value));
    const T bound = T(clip_value);
    detail::for_each_gradient(model, [&](T& g) { g = std::clamp(g, -bound, bound); });
}

}  // namespace typenn
