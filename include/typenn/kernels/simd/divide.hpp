// SPDX-License-Identifier: BSL-1.0
#pragma once
// divide(a, b): a / b rounded once, for a scalar or any xsimd batch. xsimd 8.1 divides float
// batches on aarch64 by a reciprocal estimate and two Newton steps, which rounds otherwise
// than a scalar division: a layer whose batch form must give its scalar form's bits divides
// through this.
#include <xsimd/xsimd.hpp>

#if defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace typenn::kernels::simd {

template <class V>
inline constexpr bool is_float_batch = false;
template <class A>
inline constexpr bool is_float_batch<xsimd::batch<float, A>> = true;

template <class V>
[[gnu::always_inline]] inline V divide(V a, V b) {
#if defined(__aarch64__)
    if constexpr (is_float_batch<V>) {
        using register_type = typename V::register_type;
        const register_type ra = a, rb = b;
        return V(vdivq_f32(ra, rb));
    }
#endif
    return a / b;
}

}  // namespace typenn::kernels::simd
