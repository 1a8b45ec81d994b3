// SPDX-License-Identifier: BSL-1.0
#pragma once
// Register-blocked matrix products on compile-time sizes, the work of Linear layers:
//   products:           C[r, n] = epilogue(A[r, :] · B[n, :], r, n)   (forward, W as PyTorch stores it)
//                       in the broadcast form on panels of Bᵀ where enough rows pay for
//                       transposing B, else as dot products
//   transposed_products: the same from Bᵀ, which a layer with few inputs keeps
//   broadcast_products: C[m, :] += Σ_k a(m, k) · B[k, :]                (backward: dW += dZᵀ·X)
//                       or C[m, n] = epilogue(Σ_k a(m, k) · B[k, n], m, n)   (backward: dX = dZ·W)
// Sizes along the vectorised dimension are template parameters, so every tail is resolved at
// compile time; the number of rows is the only size that may be a run-time value (a partial
// batch); where it is a compile-time one (an index<>), no branch depends on it.
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "typenn/array.hpp"
#include "typenn/detail/static_for.hpp"
#include "typenn/kernels/simd/load_store.hpp"
#include "typenn/kernels/simd/register_tile.hpp"
#include "typenn/kernels/simd/sum_lanes.hpp"
#include "typenn/kernels/simd/transpose.hpp"

namespace typenn::kernels::simd {

// The forward product takes the broadcast form, which keeps a block of C in registers and
// runs near the FMA peak, where C has a whole vector of columns. It needs Bᵀ, made one panel
// of a tile's columns at a time: the panel [K, 2 vectors] stays in L1 while every row
// multiplies it, where the whole of Bᵀ went out to L2 and beyond and was read back (64 × 256
// × 256, transposes included: 40 µs, 211 GFLOP/s, against 57 µs with Bᵀ whole and 60 µs as
// dot products, on AVX-512). A Linear's tape keeps room for the panel (ProductWorkspace), so
// that a training step allocates nothing; inference puts it on the stack where it fits
// (stack_panel_bytes). Transposing the panels costs as much as the dot products' extra time on
// about K / 20 rows (AVX-512, measured break-even: 12 rows for 256 × 256, at most 8 for
// 128 × 128): fewer rows take dot products.
template <std::size_t N, class T>
inline constexpr bool broadcast_forward = N >= lanes<T>;

template <std::size_t K>
inline constexpr std::size_t broadcast_forward_rows =
    K / 20 > broadcast_tile_rows ? K / 20 : broadcast_tile_rows;

template <std::size_t N, class T>
inline constexpr std::size_t panel_width =
    N < broadcast_tile_vectors * lanes<T> ? N : broadcast_tile_vectors * lanes<T>;

// Inference keeps a panel on the stack up to this size (K ≤ 256 floats with AVX-512); larger
// ones take dot products.
inline constexpr std::size_t stack_panel_bytes = 32768;

// A layer with fewer inputs than a vector has no whole vector for a dot product to take: its
// products would run in scalars (seed's Linear<10, 20>: 200 scalar multiply-adds a row). Its Wᵀ
// is small, so the layer keeps it beside W (Linear's weight_t) and every number of rows takes
// the broadcast form, with no panel to make (transposed_products).
template <std::size_t N, std::size_t K, class T>
inline constexpr bool keeps_transposed = broadcast_forward<N, T> && K < lanes<T>;

template <std::size_t N, std::size_t K, class T,
          bool = broadcast_forward<N, T> && !keeps_transposed<N, K, T>>
struct ProductWorkspace {
    Array<T, K, panel_width<N, T>> panel;
};

template <std::size_t N, std::size_t K, class T>
struct ProductWorkspace<N, K, T, false> {};

namespace detail {
using typenn::detail::static_for;

// Pins a loaded operand to a register. Without it GCC folds every use of a row of A into the
// FMAs as a memory operand next to the row of B it already reloads: two loads per FMA instead
// of about one.
template <class V>
inline void keep_in_register(V& v) {
#if defined(__GNUC__) && defined(__x86_64__)
    asm("" : "+v"(v.data));
#endif
}

// Tells GCC the memory at p is read and written here, a boundary its optimisers do not cross.
inline void opaque(const void* p) {
#if defined(__GNUC__)
    asm volatile("" : : "r"(p) : "memory");
#endif
}

// Rows × Columns results, Rows · Columns ≤ lanes, each with an accumulator of its own; one
// sum_lanes reduces them all at the end.
template <std::size_t Rows, std::size_t Columns, std::size_t K, class T, class Finish>
inline void dot_tile(const T* a, const T* b, std::size_t r0, std::size_t n0, Finish& finish) {
    constexpr std::size_t L = lanes<T>, vectorised = K / L * L;
    static_assert(Rows * Columns <= L);
    // One reduction of all lanes costs about as much as four single ones.
    constexpr bool reduce_together = vectorised > 0 && Rows * Columns * 4 > L;
    constexpr std::size_t accumulators = reduce_together ? L : Rows * Columns;
    batch<T> acc[accumulators];
#pragma GCC unroll 16
    for (std::size_t p = 0; p < accumulators; ++p) acc[p] = batch<T>(T(0));
    for (std::size_t k = 0; k < vectorised; k += L) {
        batch<T> bv[Columns];
#pragma GCC unroll 16
        for (std::size_t j = 0; j < Columns; ++j) bv[j] = batch<T>::load_unaligned(b + (n0 + j) * K + k);
#pragma GCC unroll 8
        for (std::size_t i = 0; i < Rows; ++i) {
            auto av = batch<T>::load_unaligned(a + (r0 + i) * K + k);
            keep_in_register(av);
#pragma GCC unroll 16
            for (std::size_t j = 0; j < Columns; ++j)
                acc[i * Columns + j] = xsimd::fma(av, bv[j], acc[i * Columns + j]);
        }
    }
    // Not aligned: over-aligning a local would realign the stack on every call of a small tile.
    T sums[reduce_together ? L : 1];
    if constexpr (reduce_together) sum_lanes(acc).store_unaligned(sums);
#pragma GCC unroll 8
    for (std::size_t i = 0; i < Rows; ++i)
#pragma GCC unroll 16
        for (std::size_t j = 0; j < Columns; ++j) {
            T sum = T(0);
            if constexpr (reduce_together)
                sum = sums[i * Columns + j];
            else if constexpr (vectorised > 0)
                sum = xsimd::hadd(acc[i * Columns + j]);
            for (std::size_t k = vectorised; k < K; ++k)
                sum += a[(r0 + i) * K + k] * b[(n0 + j) * K + k];
            finish(r0 + i, n0 + j, sum);
        }
}

// Row r alone, a matrix-vector product streaming B from cache: Columns dot products at a
// time, each reduced on its own. The rows of B are loaded before the row of A: GCC 12
// schedules that order best (digits at batch 1: 0.80 µs, against 0.95 the other way round).
template <std::size_t Columns, std::size_t K, class T, class Finish>
inline void row_tile(const T* a, const T* b, std::size_t r, std::size_t n0, Finish& finish) {
    constexpr std::size_t L = lanes<T>, vectorised = K / L * L;
    batch<T> acc[Columns];
    static_for<Columns>([&](auto j) { acc[j] = batch<T>(T(0)); });
    for (std::size_t k = 0; k < vectorised; k += L) {
        batch<T> bv[Columns];
        static_for<Columns>([&](auto j) { bv[j] = batch<T>::load_unaligned(b + (n0 + j) * K + k); });
        auto av = batch<T>::load_unaligned(a + r * K + k);
        keep_in_register(av);
        static_for<Columns>([&](auto j) { acc[j] = xsimd::fma(av, bv[j], acc[j]); });
    }
    // The tail's sum is a chain of its own, which runs while the vector is reduced.
    static_for<Columns>([&](auto j) {
        T tail = T(0);
        for (std::size_t k = vectorised; k < K; ++k) tail += a[r * K + k] * b[(n0 + j) * K + k];
        finish(r, n0 + j, (vectorised > 0 ? xsimd::hadd(acc[j]) : T(0)) + tail);
    });
}

// All N results of Rows rows, in tiles of lanes / Rows columns that one sum_lanes reduces;
// a single row 4 columns at a time (measured faster than 16).
template <std::size_t Rows, std::size_t N, std::size_t K, class T, class Finish>
inline void dot_row_block(const T* a, const T* b, std::size_t r0, Finish& finish) {
    if constexpr (Rows == 1) {
        constexpr std::size_t C = 4, full = N / C;
        for (std::size_t n0 = 0; n0 < full * C; n0 += C) row_tile<C, K>(a, b, r0, n0, finish);
        if constexpr (N % C != 0) row_tile<N % C, K>(a, b, r0, full * C, finish);
    } else {
        constexpr std::size_t C = lanes<T> / Rows, full = N / C;
        for (std::size_t n0 = 0; n0 < full * C; n0 += C) dot_tile<Rows, C, K>(a, b, r0, n0, finish);
        if constexpr (N % C != 0) dot_tile<Rows, N % C, K>(a, b, r0, full * C, finish);
    }
}

// Runs Kernel<R> for every block of R rows, R = Tile for all but the last, remainder rows
// through a smaller instantiation: the one run-time branch, outside the hot loops; none where
// rows is a compile-time constant (an index<>, as inference's batch is).
template <std::size_t Tile, class Rows, class Block>
inline void over_row_blocks(Rows rows, Block&& block) {
    std::size_t r = 0;
    for (; r + Tile <= rows; r += Tile) block(typenn::detail::index<Tile>{}, r);
    if constexpr (std::is_empty_v<Rows>) {
        if constexpr (rows % Tile > 0) block(typenn::detail::index<rows % Tile>{}, r);
    } else {
        const std::size_t rest = rows - r;
        static_for<Tile>([&](auto n) {
            if constexpr (n > 0)
                if (rest == n) block(n, r);
        });
    }
}

// What a broadcast tile does with its finished results: add them to C (dW), or store what the
// epilogue makes of them (forward, dX). V is batch<T>, or in the columns past the last whole
// one a narrower batch or T itself.
struct AddTo {
    template <class T, class V>
    void operator()(T* at, V value, std::size_t, std::size_t) const {
        store_at(at, value + load_as<V>(at));
    }
};

template <class Epilogue>
struct StoreFinished {
    Epilogue& epilogue;
    template <class T, class V>
    void operator()(T* at, V value, std::size_t row, std::size_t column) const {
        store_at(at, epilogue(value, row, column));
    }
};

// C[m0 + i, n0 + column] = write(Σ_k a(m0 + i, k) · B[k, column]) for i < Rows and
// column < Vectors · V::size, V a batch of T, where b points at the first column of B's block,
// BStride apart from one k to the next.
// A tile of fewer than four accumulators (a row or a few on one vector) sums even and odd k
// apart: one chain of FMAs waits out each one's latency (seed's Linear<10, 20> at batch 1: 10
// in a row).
template <std::size_t Rows, std::size_t Vectors, std::size_t BStride, std::size_t N, std::size_t AM,
          std::size_t AK, class V, class T, class Write>
inline void broadcast_tile(const T* a, const T* b, T* c, std::size_t m0, std::size_t n0,
                           auto k_count, Write& write) {
    constexpr std::size_t L = V::size, chains = Rows * Vectors < 4 ? 2 : 1;
    V acc[chains][Rows][Vectors];
    static_for<chains>([&](auto h) {
        static_for<Rows>([&](auto i) {
            static_for<Vectors>([&](auto j) { acc[h][i][j] = V(T(0)); });
        });
    });
    const auto step = [&](std::size_t k, auto h) {
        V bv[Vectors];
#pragma GCC unroll 8
        for (std::size_t j = 0; j < Vectors; ++j) bv[j] = V::load_unaligned(b + k * BStride + j * L);
#pragma GCC unroll 8
        for (std::size_t i = 0; i < Rows; ++i) {
            const V av(a[(m0 + i) * AM + k * AK]);
#pragma GCC unroll 8
            for (std::size_t j = 0; j < Vectors; ++j)
                acc[h][i][j] = xsimd::fma(av, bv[j], acc[h][i][j]);
        }
    };
    std::size_t k = 0;
    for (; k + chains <= k_count; k += chains) static_for<chains>([&](auto h) { step(k + h, h); });
    if constexpr (chains > 1)
        if (k < k_count) step(k, typenn::detail::index<0>{});
    static_for<Rows>([&](auto i) {
        static_for<Vectors>([&](auto j) {
            V sum = acc[0][i][j];
            if constexpr (chains > 1) sum = sum + acc[1][i][j];
            write(c + (m0 + i) * N + n0 + j * L, sum, m0 + i, n0 + j * L);
        });
    });
}

// The same for Columns columns, fewer than the narrowest batch holds, in scalars.
template <std::size_t Rows, std::size_t Columns, std::size_t BStride, std::size_t N, std::size_t AM,
          std::size_t AK, class T, class Write>
inline void broadcast_scalar_columns(const T* a, const T* b, T* c, std::size_t m0, std::size_t n0,
                                     auto k_count, Write& write) {
    T acc[Rows][Columns] = {};
    for (std::size_t k = 0; k < k_count; ++k)
        static_for<Rows>([&](auto i) {
            const T av = a[(m0 + i) * AM + k * AK];
            static_for<Columns>([&](auto j) { acc[i][j] += av * b[k * BStride + j]; });
        });
    // Handed over through memory GCC must assume read: reading single lanes straight from the
    // accumulators keeps its SLP vectoriser from packing a row's columns into one vector (seed's
    // Linear<10, 20> at 32 rows with bias and ReLU: 324 ns, against 216 this way).
    T sums[Rows][Columns];
    std::memcpy(sums, acc, sizeof sums);
    opaque(sums);
    static_for<Rows>([&](auto i) {
        static_for<Columns>([&](auto j) {
            write(c + (m0 + i) * N + n0 + j, sums[i][j], m0 + i, n0 + j);
        });
    });
}

// Columns < lanes columns: as many as fit in batches narrower than batch<T>, then scalars.
template <std::size_t Rows, std::size_t Columns, std::size_t BStride, std::size_t N, std::size_t AM,
          std::size_t AK, class T, class Write>
inline void broadcast_narrow_columns(const T* a, const T* b, T* c, std::size_t m0, std::size_t n0,
                                     auto k_count, Write& write) {
    constexpr std::size_t width = narrow_batch_width<T, Columns>();
    if constexpr (width == 0) {
        broadcast_scalar_columns<Rows, Columns, BStride, N, AM, AK>(a, b, c, m0, n0, k_count,
                                                                    write);
    } else {
        broadcast_tile<Rows, 1, BStride, N, AM, AK, xsimd::make_sized_batch_t<T, width>>(
            a, b, c, m0, n0, k_count, write);
        if constexpr (Columns > width)
            broadcast_narrow_columns<Rows, Columns - width, BStride, N, AM, AK>(
                a, b + width, c, m0, n0 + width, k_count, write);
    }
}

// Columns n0 … n0 + Width − 1 of Rows rows, tile by tile.
template <std::size_t Rows, std::size_t Width, std::size_t BStride, std::size_t N, std::size_t AM,
          std::size_t AK, class T, class Write>
inline void broadcast_row_block(const T* a, const T* b, T* c, std::size_t m0, std::size_t n0,
                                auto k_count, Write& write) {
    constexpr std::size_t L = lanes<T>, block = broadcast_tile_vectors * L;
    constexpr std::size_t full = Width / block * block, vector_columns = Width / L * L;
    for (std::size_t j0 = 0; j0 < full; j0 += block)
        broadcast_tile<Rows, broadcast_tile_vectors, BStride, N, AM, AK, batch<T>>(
            a, b + j0, c, m0, n0 + j0, k_count, write);
    if constexpr (vector_columns > full)
        broadcast_tile<Rows, (vector_columns - full) / L, BStride, N, AM, AK, batch<T>>(
            a, b + full, c, m0, n0 + full, k_count, write);
    if constexpr (Width > vector_columns)
        broadcast_narrow_columns<Rows, Width - vector_columns, BStride, N, AM, AK>(
            a, b + vector_columns, c, m0, n0 + vector_columns, k_count, write);
}

template <std::size_t Width, std::size_t BStride, std::size_t N, std::size_t AM, std::size_t AK,
          class T, class Write>
void broadcast_rows(const T* a, const T* b, T* c, auto rows, std::size_t n0,
                    auto k_count, Write write) {
    over_row_blocks<broadcast_tile_rows>(rows, [&](auto tile_rows, std::size_t m0) {
        broadcast_row_block<tile_rows, Width, BStride, N, AM, AK>(a, b, c, m0, n0, k_count, write);
    });
}

// Rows rows of dot products, then the epilogue over them in batches: an epilogue inside the
// dot-product tiles took registers their loops need (wide at 64 rows: 342 µs against 258).
template <std::size_t Rows, std::size_t N, std::size_t K, class T, class Epilogue>
inline void finished_rows(const T* a, const T* b, T* c, std::size_t r0, Epilogue& epilogue) {
    const auto store_sum = [c](std::size_t r, std::size_t n, T sum) { c[r * N + n] = sum; };
    dot_row_block<Rows, N, K>(a, b, r0, store_sum);
    for (std::size_t r = r0; r < r0 + Rows; ++r)
        for_each_batch<T>(N, [&](auto as, std::size_t n) {
            using V = typename decltype(as)::type;
            store_at(c + r * N + n, epilogue(load_as<V>(c + r * N + n), r, n));
        });
}

// A single row of a layer with at least 4096 weights, in a function of its own: inlined into a
// whole network's forward, GCC 12 schedules its matrix-vector loop worse (digits at batch 1:
// 0.94 µs, against 0.78 this way). Smaller layers stay inline, where the call costs more than
// it saves (seed at batch 1: 0.087 µs, against 0.066).
template <std::size_t N, std::size_t K, class T, class Epilogue>
[[gnu::noinline]] void finished_row_out_of_line(const T* a, const T* b, T* c, std::size_t r, Epilogue& epilogue) {
    finished_rows<1, N, K>(a, b, c, r, epilogue);
}

// Columns n0 … n0 + Width − 1 of the forward product in the broadcast form: their rows of B
// transposed into a panel [K, Width] small enough to stay in L1 while every row of A
// multiplies it.
template <std::size_t Width, std::size_t N, std::size_t K, class T, class Write>
inline void panel_columns(const T* a, const T* b, T* c, std::size_t rows, std::size_t n0,
                          T* panel, Write& write) {
    transpose<Width, K, K, Width>(b + n0 * K, panel);
    broadcast_rows<Width, Width, N, K, 1>(a, panel, c, rows, n0, K, write);
}

// Out of line, like finished_row_out_of_line: inlined next to the dot products, it made GCC 12
// schedule their loops worse (wide at 8 rows: 40 µs, against 33).
template <std::size_t N, std::size_t K, class T, class Epilogue>
[[gnu::noinline]] void panel_products(const T* a, const T* b, T* c, std::size_t rows, T* panel,
                                      Epilogue& epilogue) {
    constexpr std::size_t P = panel_width<N, T>, full = N / P * P;
    StoreFinished<Epilogue> write{epilogue};
    for (std::size_t n0 = 0; n0 < full; n0 += P) panel_columns<P, N, K>(a, b, c, rows, n0, panel, write);
    if constexpr (N > full) panel_columns<N - full, N, K>(a, b, c, rows, full, panel, write);
}

template <std::size_t N, std::size_t K, class T, class Epilogue>
void dot_products(const T* a, const T* b, T* c, std::size_t rows, Epilogue& epilogue) {
    over_row_blocks<dot_tile_rows<T>>(rows, [&](auto tile_rows, std::size_t r0) {
        if constexpr (tile_rows == 1 && K * N >= 4096)
            finished_row_out_of_line<N, K>(a, b, c, r0, epilogue);
        else
            finished_rows<tile_rows, N, K>(a, b, c, r0, epilogue);
    });
}

// The panel in a frame of its own, so that calls taking dot products (a single row) do not
// reserve it.
template <std::size_t N, std::size_t K, class T, class Epilogue>
[[gnu::noinline]] void panel_products_on_stack(const T* a, const T* b, T* c, std::size_t rows,
                                               Epilogue& epilogue) {
    Array<T, K, panel_width<N, T>> panel;
    panel_products<N, K>(a, b, c, rows, panel.data(), epilogue);
}
}  // namespace detail

// For m < rows: C[m, :] += Σ_{k < k_count} a[m·AM + k·AK] · B[k, :], with B and C row-major
// with N columns. AM, AK are A's strides, so that A may be read transposed.
template <std::size_t N, std::size_t AM, std::size_t AK, class T>
void broadcast_products(const T* a, const T* b, T* c, std::size_t rows, std::size_t k_count) {
    detail::broadcast_rows<N, N, N, AM, AK>(a, b, c, rows, 0, k_count, detail::AddTo{});
}

// The same storing C[m, n] = epilogue(Σ_k a[m·AM + k·AK] · B[k, n], m, n), the epilogue as
// products' takes it, run on the accumulators before they are stored.
template <std::size_t N, std::size_t AM, std::size_t AK, class T, class Epilogue>
void broadcast_products(const T* a, const T* b, T* c, std::size_t rows, std::size_t k_count,
                        Epilogue&& epilogue) {
    detail::StoreFinished<std::remove_reference_t<Epilogue>> write{epilogue};
    detail::broadcast_rows<N, N, N, AM, AK>(a, b, c, rows, 0, k_count, write);
}

// C[r, n] = epilogue(Σ_k A[r, k] · B[n, k], r, n) for r < rows and n < N, A row-major [rows, K]
// and B row-major [N, K]: the forward product x·Wᵀ with W as PyTorch stores it. The epilogue
// takes and returns a T, or a batch of T (batch<T> or narrower: write it for any) of the
// columns n, n + 1, … of row r: in the broadcast form it runs on the accumulators before they
// are stored, in the dot-product form on each finished block of rows.
template <std::size_t N, std::size_t K, class T, bool Room, class Epilogue>
void products(const T* a, const T* b, T* c, std::size_t rows,
              ProductWorkspace<N, K, T, Room>& workspace, Epilogue&& epilogue) {
    if constexpr (Room) {
        if (rows >= broadcast_forward_rows<K>) {
            detail::panel_products<N, K>(a, b, c, rows, workspace.panel.data(), epilogue);
            return;
        }
    }
    detail::dot_products<N, K>(a, b, c, rows, epilogue);
}

// The same without a workspace, for inference: the panel on the stack where it takes at most
// stack_panel_bytes.
template <std::size_t N, std::size_t K, class T, class Epilogue>
void products(const T* a, const T* b, T* c, std::size_t rows, Epilogue&& epilogue) {
    if constexpr (broadcast_forward<N, T> && K * panel_width<N, T> * sizeof(T) <= stack_panel_bytes) {
        if (rows >= broadcast_forward_rows<K>) {
            detail::panel_products_on_stack<N, K>(a, b, c, rows, epilogue);
            return;
        }
    }
    detail::dot_products<N, K>(a, b, c, rows, epilogue);
}

// The same with B given transposed, bt row-major [K, N] (a layer that keeps its Wᵀ): the
// broadcast form on any number of rows.
template <std::size_t N, std::size_t K, class T, class Epilogue>
void transposed_products(const T* a, const T* bt, T* c, auto rows, Epilogue&& epilogue) {
    detail::StoreFinished<std::remove_reference_t<Epilogue>> write{epilogue};
    detail::broadcast_rows<N, N, N, K, 1>(a, bt, c, rows, 0, typenn::detail::index<K>{}, write);
}

}  // namespace typenn::kernels::simd
