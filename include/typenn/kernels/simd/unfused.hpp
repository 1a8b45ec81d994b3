// SPDX-License-Identifier: BSL-1.0
#pragma once
// unfused(v): v as it is, hidden from the optimiser, so that no multiply-add is fused across
// it. With FMA instructions GCC and Clang fuse a product into the addition that uses it, or
// not, depending on where each inlined copy lands: a function applied to a value in a fused
// stage's registers, and the same function applied to that value stored and reloaded (the
// layer run alone), would round differently. Every value that crosses from one layer's code
// to another's in registers goes through this. Elsewhere than x86-64 and aarch64 it is
// nothing.
#include <type_traits>

namespace typenn::kernels::simd {

template <class V>
[[gnu::always_inline]] inline V unfused(V v) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
#if defined(__x86_64__)
#define TYPENN_VECTOR_REGISTER "+v"
#else
#define TYPENN_VECTOR_REGISTER "+w"
#endif
    if constexpr (std::is_arithmetic_v<V>) {
        asm("" : TYPENN_VECTOR_REGISTER(v));
    } else {
        typename V::register_type r = v;
        asm("" : TYPENN_VECTOR_REGISTER(r));
        return V(r);
    }
#undef TYPENN_VECTOR_REGISTER
#endif
    return v;
}

}  // namespace typenn::kernels::simd
