// SPDX-License-Identifier: BSL-1.0
#pragma once
#include <cstddef>
#include <type_traits>
#include <utility>

namespace typenn::detail {

template <std::size_t I>
using index = std::integral_constant<std::size_t, I>;

// Calls f(index<0>{}), ..., f(index<N-1>{}) in order; the index stays a constant expression.
template <std::size_t N, class F>
constexpr void static_for(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) { (f(index<I>{}), ...); }(
        std::make_index_sequence<N>{});
}

// The same, from N-1 down to 0 (backward passes).
template <std::size_t N, class F>
constexpr void static_for_reverse(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) { (f(index<N - 1 - I>{}), ...); }(
        std::make_index_sequence<N>{});
}

}  // namespace typenn::detail
