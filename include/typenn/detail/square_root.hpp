// SPDX-License-Identifier: BSL-1.0
#pragma once
// square_root(x): std::sqrt, in a constant expression too, where a model baked into the program
// (typenn/baked.hpp) derives its BatchNorm's inference scale. std::sqrt is not constexpr in
// C++20 (GCC evaluates it there as an extension, other compilers refuse), so the compiler takes
// Newton's iteration in double precision, from above: it decreases until it reaches the root.
// For float that is std::sqrt's result; for double within an ulp of it.
#include <cmath>
#include <concepts>
#include <limits>
#include <type_traits>

namespace typenn::detail {

template <std::floating_point T>
constexpr T square_root(T x) {
    if (!std::is_constant_evaluated()) return std::sqrt(x);
    if (!(x >= T(0))) return std::numeric_limits<T>::quiet_NaN();
    if (x == T(0) || x == std::numeric_limits<T>::infinity()) return x;
    const double target = double(x);
    double root = target >= 1 ? target : 1.0;
    for (double next = 0.5 * (root + target / root); next < root;
         next = 0.5 * (root + target / root))
        root = next;
    return T(root);
}

}  // namespace typenn::detail
