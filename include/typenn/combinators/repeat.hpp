// SPDX-License-Identifier: BSL-1.0
#pragma once
// Repeat<N, L...>: Seq<L..., L..., ...> with the group L... written N times, the way deep
// networks are usually described ("20 × Linear, BatchNorm, ReLU"). It is a plain Seq, so
// keys, shape rules and diagnostics are those of the Seq it spells.
#include <cstddef>
#include <utility>

#include "typenn/combinators/seq.hpp"

namespace typenn {

namespace detail {
template <class Accumulated, std::size_t N, class... Group>
struct repeat;

template <class... Done, class... Group>
struct repeat<Seq<Done...>, 0, Group...> {
    using type = Seq<Done...>;
};

template <class... Done, std::size_t N, class... Group>
    requires(N > 0)
struct repeat<Seq<Done...>, N, Group...> {
    using type = typename repeat<Seq<Done..., Group...>, N - 1, Group...>::type;
};
}  // namespace detail

template <std::size_t N, Layer... Group>
    requires(N >= 1 && sizeof...(Group) >= 1)
using Repeat = typename detail::repeat<Seq<>, N, Group...>::type;

}  // namespace typenn
