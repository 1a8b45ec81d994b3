// SPDX-License-Identifier: BSL-1.0
#pragma once
// multiply_add(a, b, c): a·b + c for a scalar or any xsimd batch of float or double, rounded
// once wherever the machine fuses multiply-adds for scalars and every vector width alike
// (fma_available), else rounded twice everywhere: the same bits for a lane of any width and
// for the scalar. Code whose batch form must give its scalar form's bits (a fused stage's
// layers, kernels/simd/elementary_functions.hpp) writes its multiply-adds with it, never as
// a * b + c, which GCC's default -ffp-contract=fast fuses or not depending on the inlining
// context. xsimd 8.1's own fma is not enough: on a batch of an architecture without FMA in its
// name (batch<float, sse4_2>, the 4-float batch of an AVX-512 build) it is a multiply and an
// add, fused or not as the compiler pleases.
#include <type_traits>

#include <xsimd/xsimd.hpp>

#if defined(__aarch64__)
#include <arm_neon.h>
#elif defined(__FMA__)
#include <immintrin.h>
#endif

namespace typenn::kernels::simd {

// aarch64 always has scalar and vector FMA; x86 has it from FMA3 (Haswell, Zen) for scalars,
// 128 and 256 bits, and for 512 bits with any AVX-512.
#if defined(__aarch64__) || defined(__FMA__)
inline constexpr bool fma_available = true;
#else
inline constexpr bool fma_available = false;
#endif

template <class V>
[[gnu::always_inline]] inline V multiply_add(V a, V b, V c) {
    if constexpr (!fma_available) {
        return a * b + c;
    } else if constexpr (std::is_arithmetic_v<V>) {
        if constexpr (std::is_same_v<V, float>)
            return __builtin_fmaf(a, b, c);
        else
            return __builtin_fma(a, b, c);
    } else {
        using register_type = typename V::register_type;
        const register_type ra = a, rb = b, rc = c;
        constexpr bool is_float = std::is_same_v<typename V::value_type, float>;
#if defined(__aarch64__)
        if constexpr (is_float)
            return V(vfmaq_f32(rc, ra, rb));
        else
            return V(vfmaq_f64(rc, ra, rb));
#elif defined(__FMA__)
        if constexpr (sizeof(register_type) == 16) {
            if constexpr (is_float)
                return V(_mm_fmadd_ps(ra, rb, rc));
            else
                return V(_mm_fmadd_pd(ra, rb, rc));
        } else if constexpr (sizeof(register_type) == 32) {
            if constexpr (is_float)
                return V(_mm256_fmadd_ps(ra, rb, rc));
            else
                return V(_mm256_fmadd_pd(ra, rb, rc));
        } else {
            static_assert(sizeof(register_type) == 64);
            if constexpr (is_float)
                return V(_mm512_fmadd_ps(ra, rb, rc));
            else
                return V(_mm512_fmadd_pd(ra, rb, rc));
        }
#endif
    }
}

}  // namespace typenn::kernels::simd
