// SPDX-License-Identifier: BSL-1.0
#pragma once
// The architecture-specific part of the SIMD kernels: how large a block of results a product
// keeps in registers. Everything else in kernels/simd is generic and calls this.
// AVX-512 has 32 vector registers, earlier x86 extensions 16: a tile must leave room for the
// operands it loads next to its accumulators.
#include <cstddef>
#include <type_traits>

#include <xsimd/xsimd.hpp>

namespace typenn::kernels::simd {

template <class T>
using batch = xsimd::batch<T>;

template <class T>
inline constexpr std::size_t lanes = batch<T>::size;

inline constexpr std::size_t vector_registers =
    std::is_base_of_v<xsimd::avx512f, xsimd::default_arch> ? 32 : 16;

// Broadcast products C += a(m, k) · B[k, n-block]: rows × vectors accumulators, plus one
// broadcast and `vectors` loads of B in flight. Measured on AVX-512 (Zen 5), 64 × 256 × 256:
// 8 × 2 reaches 97% of the FMA peak, 6 × 4 78%, 4 × 4 72%: more rows per loaded B vector.
inline constexpr std::size_t broadcast_tile_rows = vector_registers >= 32 ? 8 : 4;
inline constexpr std::size_t broadcast_tile_vectors = 2;

// The widest vector narrower than batch<T> that holds at most Columns values (SSE's 4 floats
// or 8-float AVX under AVX-512), 0 if there is none: columns past the last whole batch take it
// before they fall back to scalars.
template <class T, std::size_t Columns, std::size_t Width = lanes<T> / 2>
constexpr std::size_t narrow_batch_width() {
    if constexpr (Width < 2)
        return 0;
    else if constexpr (Width <= Columns && !std::is_void_v<xsimd::make_sized_batch_t<T, Width>>)
        return Width;
    else
        return narrow_batch_width<T, Columns, Width / 2>();
}

// Row-by-row dot products C[r, n] = A[r, :] · B[n, :]: rows × (lanes / rows) accumulators,
// one batch each, reduced together at the end.
template <class T>
inline constexpr std::size_t dot_tile_rows = lanes<T> < 4 ? lanes<T> : 4;

}  // namespace typenn::kernels::simd
