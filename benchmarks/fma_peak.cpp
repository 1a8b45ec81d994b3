// SPDX-License-Identifier: BSL-1.0
// The machine's single-thread FMA peak, measured in the same run as everything else: 16
// independent chains of fused multiply-adds on the widest vectors this build may use, enough
// to cover the FMA latency on every FMA port (Zen 5: 2 ports × 4 cycles needs 8). run.py
// checks in the disassembly that the kernel's loop is made of vfmadd instructions.
#include <immintrin.h>

#include <cstddef>
#include <memory>

#include "cases.hpp"

namespace {

#if defined(__AVX512F__)
using Vector = __m512;
constexpr const char* isa = "avx512";
inline Vector broadcast(float v) { return _mm512_set1_ps(v); }
inline Vector fma(Vector a, Vector b, Vector c) { return _mm512_fmadd_ps(a, b, c); }
inline Vector add(Vector a, Vector b) { return _mm512_add_ps(a, b); }
inline float lane_sum(Vector v) { return _mm512_reduce_add_ps(v); }
#elif defined(__FMA__)
using Vector = __m256;
constexpr const char* isa = "avx2-fma";
inline Vector broadcast(float v) { return _mm256_set1_ps(v); }
inline Vector fma(Vector a, Vector b, Vector c) { return _mm256_fmadd_ps(a, b, c); }
inline Vector add(Vector a, Vector b) { return _mm256_add_ps(a, b); }
inline float lane_sum(Vector v) {
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, v);
    float sum = 0;
    for (float lane : lanes) sum += lane;
    return sum;
}
#else
// Without FMA in this build (TYPENN_NATIVE=OFF): separate multiply and add, still 2 FLOPs.
using Vector = __m128;
constexpr const char* isa = "sse2-no-fma";
inline Vector broadcast(float v) { return _mm_set1_ps(v); }
inline Vector fma(Vector a, Vector b, Vector c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
inline Vector add(Vector a, Vector b) { return _mm_add_ps(a, b); }
inline float lane_sum(Vector v) {
    alignas(16) float lanes[4];
    _mm_store_ps(lanes, v);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
#endif

constexpr std::size_t chains = 16;
constexpr std::size_t lanes = sizeof(Vector) / sizeof(float);

}  // namespace

// Not in the anonymous namespace: run.py finds it by name in the binary. noipa: the compiler
// must not see that it is pure, or it would hoist the call out of the timed loop.
// acc = acc·a + b converges to b / (1 − a), so no value overflows or becomes subnormal.
extern "C" [[gnu::noipa]] float typenn_bench_fma_kernel(long repeats) {
    const Vector a = broadcast(0.999f), b = broadcast(0.001f);
    Vector acc[chains];
    for (std::size_t c = 0; c < chains; ++c) acc[c] = broadcast(float(c));
    for (long r = 0; r < repeats; ++r)
        for (std::size_t c = 0; c < chains; ++c) acc[c] = fma(acc[c], a, b);
    Vector total = acc[0];
    for (std::size_t c = 1; c < chains; ++c) total = add(total, acc[c]);
    return lane_sum(total);
}

namespace {

constexpr long repeats = 4096;

class FmaPeak final : public bench::Runner {
public:
    void run(benchmark::State& state) override {
        long n = repeats;
        for (auto _ : state) {
            benchmark::DoNotOptimize(n);
            benchmark::DoNotOptimize(result_ = typenn_bench_fma_kernel(n));
        }
    }
    void once() override { result_ = typenn_bench_fma_kernel(repeats); }
    double result() const override { return result_; }

private:
    float result_ = 0;
};

const bool registered = [] {
    bench::registry().push_back({"machine", "fma_peak", isa, 2.0 * chains * lanes * repeats,
                                 true, [] { return std::make_unique<FmaPeak>(); }});
    return true;
}();

}  // namespace
