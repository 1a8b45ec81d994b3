// SPDX-License-Identifier: BSL-1.0
#pragma once
// where(condition, a, b): a where condition holds, else b — for scalars and for xsimd batches
// alike, so that an activation's formula is written once and serves both the layer one value
// at a time and the fused SIMD kernels.
#include <xsimd/xsimd.hpp>

namespace typenn::detail {

template <class T>
constexpr T where(bool condition, T a, T b) noexcept {
    return condition ? a : b;
}

template <class T, class A>
xsimd::batch<T, A> where(const xsimd::batch_bool<T, A>& condition, const xsimd::batch<T, A>& a,
                         const xsimd::batch<T, A>& b) noexcept {
    return xsimd::select(condition, a, b);
}

}  // namespace typenn::detail
