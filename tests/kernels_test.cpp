// SPDX-License-Identifier: BSL-1.0
// The SIMD kernels against plain sums, on whatever architecture this file is compiled for
// (fused_tests: the default; fused_tests_native: every instruction of the building machine).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <vector>

#include <typenn/kernels/simd/products.hpp>
#include <typenn/kernels/simd/sum_lanes.hpp>

namespace {

using namespace typenn::kernels::simd;

template <class T>
std::vector<T> random_values(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<T> u(T(-1), T(1));
    std::vector<T> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

template <class T>
void check_sum_lanes() {
    constexpr std::size_t L = lanes<T>;
    batch<T> rows[L];
    for (std::size_t i = 0; i < L; ++i) {
        alignas(64) std::array<T, L> values{};
        for (std::size_t lane = 0; lane < L; ++lane) values[lane] = T(lane == 0 ? 1000 * i : 1);
        rows[i] = batch<T>::load_aligned(values.data());
    }
    alignas(64) std::array<T, L> sums{};
    sum_lanes(rows).store_aligned(sums.data());
    for (std::size_t i = 0; i < L; ++i) CHECK(sums[i] == T(1000 * i + L - 1));
}

// The epilogue sees each result's row and column, as a scalar or a batch of columns.
template <class T>
constexpr auto plus_position = [](auto sum, std::size_t r, std::size_t n) {
    using V = decltype(sum);
    T positions[lanes<T>];
    for (std::size_t j = 0; j < lanes<T>; ++j) positions[j] = T(n + j) + T(r) / 2;
    return sum + load_as<V>(positions);
};

template <class T>
std::vector<T> transposed(const std::vector<T>& m, std::size_t rows, std::size_t columns) {
    std::vector<T> t(m.size());
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < columns; ++c) t[c * rows + r] = m[r * columns + c];
    return t;
}

// The forward product, with and without a workspace (the broadcast or the dot-product form,
// as sizes and rows choose) and from Bᵀ, and the backward form at one size, against double
// sums.
template <std::size_t N, std::size_t K, class T = float>
void check_products(std::size_t rows) {
    const auto a = random_values<T>(rows * K, 1), b = random_values<T>(N * K, 2);
    std::vector<T> chosen(rows * N), with_workspace(rows * N), from_transposed(rows * N);
    products<N, K>(a.data(), b.data(), chosen.data(), rows, plus_position<T>);
    ProductWorkspace<N, K, T> workspace;
    products<N, K>(a.data(), b.data(), with_workspace.data(), rows, workspace, plus_position<T>);
    transposed_products<N, K>(a.data(), transposed(b, N, K).data(), from_transposed.data(), rows,
                              plus_position<T>);
    // C[m, :] = Σ_k A[m, k] · B'[k, :] with B' = a K × N matrix: reuse b, read as K × N.
    std::vector<T> broadcast(rows * N, T(1));
    broadcast_products<N, K, 1>(a.data(), b.data(), broadcast.data(), rows, K);
    // Float rounding of a K-term sum grows about as √K.
    const double margin = std::max(1e-5, 2e-6 * std::sqrt(double(K)));
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t n = 0; n < N; ++n) {
            double expected_dot = 0, expected_broadcast = 1;
            for (std::size_t k = 0; k < K; ++k) {
                expected_dot += double(a[r * K + k]) * b[n * K + k];
                expected_broadcast += double(a[r * K + k]) * b[k * N + n];
            }
            INFO("rows " << rows << ", N " << N << ", K " << K << ": r " << r << ", n " << n);
            CHECK(chosen[r * N + n] == Approx(expected_dot + n + r / 2.0).margin(margin));
            CHECK(with_workspace[r * N + n] == Approx(expected_dot + n + r / 2.0).margin(margin));
            CHECK(from_transposed[r * N + n] == Approx(expected_dot + n + r / 2.0).margin(margin));
            CHECK(broadcast[r * N + n] == Approx(expected_broadcast).margin(margin));
        }
}

// Rows × Columns out of a matrix InStride wide, into one OutStride wide: what lies outside
// them in out must stay as it was.
template <class T, std::size_t Rows, std::size_t Columns, std::size_t InStride = Columns,
          std::size_t OutStride = Rows>
void check_transpose() {
    const auto in = random_values<T>(Rows * InStride, 3);
    std::vector<T> out(Columns * OutStride, T(-7));
    transpose<Rows, Columns, InStride, OutStride>(in.data(), out.data());
    for (std::size_t c = 0; c < Columns; ++c)
        for (std::size_t r = 0; r < OutStride; ++r)
            CHECK(out[c * OutStride + r] == (r < Rows ? in[r * InStride + c] : T(-7)));
}

// Rows known at compile time, as inference's batch is, against the same rows at run time.
template <std::size_t N, std::size_t K, std::size_t Rows>
void check_compile_time_rows() {
    const auto a = random_values<float>(Rows * K, 4), bt = random_values<float>(K * N, 5);
    std::vector<float> fixed(Rows * N), counted(Rows * N);
    transposed_products<N, K>(a.data(), bt.data(), fixed.data(), typenn::detail::index<Rows>{},
                              plus_position<float>);
    transposed_products<N, K>(a.data(), bt.data(), counted.data(), Rows, plus_position<float>);
    CHECK(fixed == counted);
}

template <std::size_t N, std::size_t K>
void check_every_row_count() {
    // Past a whole tile of broadcast rows: every remainder of 1 to 7 rows.
    for (std::size_t rows : {1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 64})
        check_products<N, K>(rows);
}

}  // namespace

TEST_CASE("kernels: sum_lanes puts the sum of rows[i] in lane i") {
    check_sum_lanes<float>();
    check_sum_lanes<double>();
}

TEST_CASE("kernels: products at sizes with and without vector tails") {
    check_every_row_count<1, 1>();
    check_every_row_count<10, 20>();
    check_every_row_count<20, 10>();
    check_every_row_count<33, 3>();
    check_every_row_count<16, 16>();
    check_every_row_count<17, 33>();
    check_every_row_count<40, 64>();
    check_every_row_count<128, 10>();
    check_every_row_count<256, 256>();
    check_every_row_count<61, 40>();  // a second panel with a vector and scalar columns
    // A panel of Bᵀ too large for the stack: dot products there.
    check_every_row_count<40, stack_panel_bytes / (panel_width<40, float> * sizeof(float)) + 1>();
    for (std::size_t rows : {6, 17, 64}) {
        check_products<33, 70, double>(rows);
        check_products<61, 40, double>(rows);
    }
}

TEST_CASE("kernels: products from Bᵀ on a number of rows fixed at compile time") {
    check_compile_time_rows<20, 10, 1>();
    check_compile_time_rows<61, 3, 3>();
    check_compile_time_rows<61, 3, 8>();
    check_compile_time_rows<33, 7, 19>();
}

TEST_CASE("kernels: transpose in blocks, with tails in both dimensions") {
    check_transpose<float, 1, 1>();
    check_transpose<float, 8, 16>();
    check_transpose<float, 13, 21>();
    check_transpose<float, 20, 3>();
    check_transpose<float, 48, 32>();  // whole 16 × 16 blocks (AVX-512)
    check_transpose<float, 35, 50>();
    check_transpose<double, 13, 21>();
    check_transpose<double, 24, 16>();
    check_transpose<float, 32, 40, 70, 48>();  // a panel out of a wider matrix, as products takes
    check_transpose<float, 20, 35, 40, 24>();
}
