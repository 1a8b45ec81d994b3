// SPDX-License-Identifier: BSL-1.0
#pragma once
// load_as<V>(at) and store_at(at, value) for V a batch or the scalar itself, so that one
// formula serves a loop's whole batches and its scalar tail (an epilogue, an optimizer's
// update). Not named load and store: argument-dependent lookup would prefer xsimd's, which
// require aligned addresses.
#include <cstddef>
#include <type_traits>

#include "typenn/kernels/simd/register_tile.hpp"

namespace typenn::kernels::simd {

template <class V, class T>
inline V load_as(const T* at) {
    if constexpr (std::is_same_v<V, T>)
        return *at;
    else
        return V::load_unaligned(at);
}

template <class T, class V>
inline void store_at(T* at, const V& value) {
    if constexpr (std::is_same_v<V, T>)
        *at = value;
    else
        value.store_unaligned(at);
}

namespace detail {
// The rest of a loop from i on, Width values at a time where a batch of Width fits, then
// narrower, then scalars: at most one batch of each narrower width remains after whole ones.
template <class T, std::size_t Width, class F>
inline void for_each_narrower(std::size_t i, std::size_t count, F& f) {
    if constexpr (Width < 2) {
        for (; i < count; ++i) f(std::type_identity<T>{}, i);
    } else {
        using narrow = xsimd::make_sized_batch_t<T, Width>;
        if constexpr (!std::is_void_v<narrow>) {
            if (count - i >= Width) {
                f(std::type_identity<narrow>{}, i);
                i += Width;
            }
        }
        for_each_narrower<T, Width / 2>(i, count, f);
    }
}
}  // namespace detail

// f(std::type_identity<V>{}, i) over i < count: V = batch<T> at i = 0, lanes, … while a whole
// batch fits, then a narrower batch where one fits (4 floats after 16), then V = T at each
// remaining i. For loops GCC will not vectorise by itself, such as those calling std::sqrt,
// whose errno it must keep, or a fused stage's layers, one row at a time.
template <class T, class F>
inline void for_each_batch(std::size_t count, F&& f) {
    const std::size_t whole = count / lanes<T> * lanes<T>;
    for (std::size_t i = 0; i < whole; i += lanes<T>) f(std::type_identity<batch<T>>{}, i);
    detail::for_each_narrower<T, lanes<T> / 2>(whole, count, f);
}

}  // namespace typenn::kernels::simd
