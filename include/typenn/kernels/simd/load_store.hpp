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

// f(std::type_identity<V>{}, i) over i < count: V = batch<T> at i = 0, lanes, … while a whole
// batch fits, then V = T at each remaining i. For loops GCC will not vectorise by itself, such
// as those calling std::sqrt, whose errno it must keep.
template <class T, class F>
inline void for_each_batch(std::size_t count, F&& f) {
    const std::size_t whole = count / lanes<T> * lanes<T>;
    for (std::size_t i = 0; i < whole; i += lanes<T>) f(std::type_identity<batch<T>>{}, i);
    for (std::size_t i = whole; i < count; ++i) f(std::type_identity<T>{}, i);
}

}  // namespace typenn::kernels::simd
