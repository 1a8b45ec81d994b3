// SPDX-License-Identifier: BSL-1.0
#pragma once
#include <concepts>

namespace typenn {

// The element types a model can be computed in: float for speed, double for gradient checks.
template <class T>
concept Scalar = std::same_as<T, float> || std::same_as<T, double>;

}  // namespace typenn
