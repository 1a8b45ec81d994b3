// SPDX-License-Identifier: BSL-1.0
#pragma once
// sum_lanes(rows): one batch whose lane i is the sum of the lanes of rows[i], for lanes<T>
// batches: the reduction that ends every dot-product tile, done once per tile instead of once
// per result. Architecture-specific: xsimd 8.1's haddp gives this everywhere except for float
// on AVX-512, where it returns the lanes in the order 0 1 4 5 2 3 6 7 8 9 12 13 10 11 14 15
// (tests/kernels_test.cpp checks the order on whatever architecture the tests are built for).
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "typenn/kernels/simd/register_tile.hpp"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace typenn::kernels::simd {

// Always inlined: called out of line, the rows would pass through memory.
template <class T>
[[gnu::always_inline]] inline batch<T> sum_lanes(const batch<T>* rows) {
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float> && lanes<T> == 16) {
        // Four halving steps, each adding pairs of vectors after a shuffle, leave lane
        // 4j + order[b] holding the sum of the step's input 4b + j; feeding it rows in the
        // inverse order puts the sum of rows[i] in lane i.
        constexpr int order[4] = {0, 2, 1, 3};
        const auto row = [&](int p) { return __m512(rows[4 * (p % 4) + order[p / 4]]); };
        __m512 halves[8], quarters[4], pairs[2];
        for (int i = 0; i < 8; ++i) {
            const __m512 a = row(2 * i), b = row(2 * i + 1);
            halves[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, 0x44), _mm512_shuffle_f32x4(a, b, 0xEE));
        }
        for (int i = 0; i < 4; ++i) {
            const __m512 a = halves[2 * i], b = halves[2 * i + 1];
            quarters[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, 0x88), _mm512_shuffle_f32x4(a, b, 0xDD));
        }
        for (int i = 0; i < 2; ++i) {
            const __m512 a = quarters[2 * i], b = quarters[2 * i + 1];
            pairs[i] = _mm512_add_ps(_mm512_unpacklo_ps(a, b), _mm512_unpackhi_ps(a, b));
        }
        return _mm512_add_ps(_mm512_unpacklo_ps(pairs[0], pairs[1]),
                             _mm512_unpackhi_ps(pairs[0], pairs[1]));
    } else
#endif
    {
        return xsimd::haddp(rows);
    }
}

}  // namespace typenn::kernels::simd
