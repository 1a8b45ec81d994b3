// SPDX-License-Identifier: BSL-1.0
// kernels::simd's tanh, sigmoid, expm1 and exp: accuracy against the standard library, the
// same bits from scalars and from every batch width the build has, and special values.
//
// Worst errors measured, the same with GCC 12 on x86-64 (SSE2, and -march=native with
// AVX-512), with clang 19 (-march=native) and with GCC 12 for aarch64 under QEMU: every 97th
// float, and the double sample below, against std:: (sigmoid against 1 / (1 + e⁻ˣ) computed
// in double for floats, in long double for doubles):
//   float   tanh 2 ulp, sigmoid 2 ulp, expm1 2 ulp, exp 1 ulp;
//   double  tanh 2 ulp, sigmoid 2 ulp, expm1 2 ulp, exp 1 ulp.
// The tests print them again (WARN) and bound them at 2 ulp for float, 4 for double.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "typenn/kernels/simd/elementary_functions.hpp"

namespace {

namespace simd = typenn::kernels::simd;

template <class T>
using bits_of = std::conditional_t<std::is_same_v<T, float>, std::int32_t, std::int64_t>;

// Distance in representable values; NaN against NaN is 0, NaN against a number the maximum.
template <class T>
std::int64_t ulp_distance(T a, T b) {
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b) ? 0 : std::numeric_limits<std::int64_t>::max();
    const auto ordered = [](T v) {
        const auto bits = std::bit_cast<bits_of<T>>(v);
        return bits < 0 ? std::int64_t(std::numeric_limits<bits_of<T>>::min()) - bits
                        : std::int64_t(bits);
    };
    const std::int64_t d = ordered(a) - ordered(b);
    return d < 0 ? -d : d;
}

template <class T>
bool same_bits(T a, T b) {
    if (std::isnan(a)) return std::isnan(b);
    return std::bit_cast<bits_of<T>>(a) == std::bit_cast<bits_of<T>>(b);
}

// Calls f.template operator()<B>() for every batch of T the build has, widest first.
template <class T, std::size_t Width = 64, class F>
void for_each_batch(F&& f) {
    if constexpr (Width >= 2) {
        using B = xsimd::make_sized_batch_t<T, Width>;
        if constexpr (!std::is_void_v<B>) f.template operator()<B>();
        for_each_batch<T, Width / 2>(f);
    }
}

template <class T>
std::string batch_widths() {
    std::string widths;
    for_each_batch<T>([&]<class B>() { widths += std::to_string(B::size) + " "; });
    return widths;
}

enum class function { tanh, sigmoid, expm1, exp };
constexpr function all_functions[] = {function::tanh, function::sigmoid, function::expm1,
                                      function::exp};

const char* name(function f) {
    switch (f) {
        case function::tanh: return "tanh";
        case function::sigmoid: return "sigmoid";
        case function::expm1: return "expm1";
        default: return "exp";
    }
}

template <class V>
V evaluate(function f, V x) {
    switch (f) {
        case function::tanh: return simd::tanh(x);
        case function::sigmoid: return simd::sigmoid(x);
        case function::expm1: return simd::expm1(x);
        default: return simd::exp(x);
    }
}

// The standard library's value; sigmoid in the next wider type, as the layers compute it.
float reference(function f, float x) {
    switch (f) {
        case function::tanh: return std::tanh(x);
        case function::sigmoid: return float(1.0 / (1.0 + std::exp(-double(x))));
        case function::expm1: return std::expm1(x);
        default: return std::exp(x);
    }
}

double reference(function f, double x) {
    switch (f) {
        case function::tanh: return std::tanh(x);
        case function::sigmoid: return double(1.0L / (1.0L + std::exp(-static_cast<long double>(x))));
        case function::expm1: return std::expm1(x);
        default: return std::exp(x);
    }
}

struct sweep_result {
    std::int64_t worst_ulp = 0;
    double worst_at = 0;
    std::size_t width_mismatches = 0;
    double first_mismatch_at = 0;
};

// Scalars against the reference, and every batch width against the scalars, on `inputs`.
template <class T>
sweep_result sweep(function f, const std::vector<T>& inputs) {
    sweep_result result;
    std::vector<T> scalar(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        scalar[i] = evaluate(f, inputs[i]);
        const std::int64_t d = ulp_distance(scalar[i], reference(f, inputs[i]));
        if (d > result.worst_ulp) {
            result.worst_ulp = d;
            result.worst_at = double(inputs[i]);
        }
    }
    for_each_batch<T>([&]<class B>() {
        alignas(64) T lanes[B::size];
        for (std::size_t i = 0; i + B::size <= inputs.size(); i += B::size) {
            evaluate(f, B::load_unaligned(&inputs[i])).store_aligned(lanes);
            for (std::size_t l = 0; l < B::size; ++l)
                if (!same_bits(lanes[l], scalar[i + l]) && result.width_mismatches++ == 0)
                    result.first_mismatch_at = double(inputs[i + l]);
        }
    });
    return result;
}

// Every 97th float where the build is optimised; a sparser sweep in an unoptimised or
// sanitised one (CI's AddressSanitizer build), which runs the same code a hundred times slower.
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t float_stride = 97;
#else
constexpr std::uint64_t float_stride = 9973;
#endif

std::vector<float> every_nth_float() {
    std::vector<float> inputs;
    inputs.reserve((std::uint64_t(1) << 32) / float_stride + 64);
    for (std::uint64_t bits = 0; bits < (std::uint64_t(1) << 32); bits += float_stride)
        inputs.push_back(std::bit_cast<float>(std::uint32_t(bits)));
    while (inputs.size() % 64 != 0) inputs.push_back(0.0f);
    return inputs;
}

// Random bit patterns over the whole range, and uniform samples where the functions bend.
std::vector<double> double_sample() {
    std::mt19937_64 random(20240611);
    std::vector<double> inputs;
    for (int i = 0; i < (1 << 19); ++i) inputs.push_back(std::bit_cast<double>(random()));
    std::uniform_real_distribution<double> wide(-800.0, 800.0), narrow(-40.0, 40.0),
        small(-1.0, 1.0);
    for (int i = 0; i < (1 << 19); ++i) {
        inputs.push_back(wide(random));
        inputs.push_back(narrow(random));
        inputs.push_back(small(random));
        inputs.push_back(small(random) * 1e-6);
    }
    return inputs;
}

template <class T>
std::vector<T> special_values() {
    using limits = std::numeric_limits<T>;
    std::vector<T> values = {T(0),
                             -T(0),
                             limits::denorm_min(),
                             -limits::denorm_min(),
                             limits::min(),
                             -limits::min(),
                             limits::min() / T(3),
                             limits::epsilon(),
                             -limits::epsilon(),
                             T(1e-30),
                             T(-1e-30),
                             limits::max(),
                             limits::lowest(),
                             limits::infinity(),
                             -limits::infinity(),
                             limits::quiet_NaN(),
                             -limits::quiet_NaN()};
    for (T v : {T(0.1), T(0.25), T(0.3465), T(0.5), T(1), T(9), T(10), T(11), T(20), T(21),
                T(25), T(40), T(88), T(88.5), T(88.72), T(89), T(103), T(104), T(110),
                T(700), T(709.5), T(710), T(745), T(746), T(1000)}) {
        values.push_back(v);
        values.push_back(-v);
    }
    while (values.size() % 64 != 0) values.push_back(T(0));
    return values;
}

}  // namespace

TEST_CASE("elementary functions on floats: within 2 ulp, the same bits at every width",
          "[elementary][kernels]") {
    const std::vector<float> inputs = every_nth_float();
    for (function f : all_functions) {
        const sweep_result r = sweep(f, inputs);
        WARN("float " << name(f) << ": worst " << r.worst_ulp << " ulp at " << r.worst_at
                      << "; batches of " << batch_widths<float>() << "lanes: "
                      << r.width_mismatches << " mismatches");
        INFO("float " << name(f) << ": first width mismatch at " << r.first_mismatch_at);
        CHECK(r.worst_ulp <= 2);
        CHECK(r.width_mismatches == 0);
    }
}

TEST_CASE("elementary functions on doubles: within 4 ulp, the same bits at every width",
          "[elementary][kernels]") {
    const std::vector<double> inputs = double_sample();
    for (function f : all_functions) {
        const sweep_result r = sweep(f, inputs);
        WARN("double " << name(f) << ": worst " << r.worst_ulp << " ulp at " << r.worst_at
                       << "; batches of " << batch_widths<double>() << "lanes: "
                       << r.width_mismatches << " mismatches");
        INFO("double " << name(f) << ": first width mismatch at " << r.first_mismatch_at);
        CHECK(r.worst_ulp <= 4);
        CHECK(r.width_mismatches == 0);
    }
}

TEMPLATE_TEST_CASE("elementary functions: special values", "[elementary][kernels]", float,
                   double) {
    using T = TestType;
    using limits = std::numeric_limits<T>;
    const T inf = limits::infinity(), nan = limits::quiet_NaN();
    const std::vector<T> values = special_values<T>();
    for (function f : all_functions) {
        const sweep_result r = sweep(f, values);
        INFO(name(f) << " worst at " << r.worst_at);
        CHECK(r.worst_ulp <= (std::is_same_v<T, float> ? 2 : 4));
        CHECK(r.width_mismatches == 0);
    }

    // Saturation is exact, the sign of zero kept, nothing becomes NaN that was not one.
    const T saturation = std::is_same_v<T, float> ? T(10) : T(20);
    CHECK(simd::tanh(saturation) == T(1));
    CHECK(simd::tanh(std::nextafter(saturation, T(0))) == std::tanh(std::nextafter(saturation, T(0))));
    CHECK(simd::tanh(T(-25)) == T(-1));
    CHECK(simd::tanh(inf) == T(1));
    CHECK(simd::tanh(-inf) == T(-1));
    CHECK(simd::tanh(limits::max()) == T(1));
    CHECK(std::signbit(simd::tanh(-T(0))));
    CHECK(simd::tanh(limits::denorm_min()) == limits::denorm_min());
    CHECK(simd::sigmoid(T(0)) == T(0.5));
    CHECK(simd::sigmoid(-T(0)) == T(0.5));
    CHECK(simd::sigmoid(T(40)) == T(1));
    CHECK(simd::sigmoid(inf) == T(1));
    CHECK(simd::sigmoid(-inf) == T(0));
    CHECK(simd::sigmoid(limits::lowest()) == T(0));
    CHECK(simd::sigmoid(T(-1000)) == T(0));
    CHECK(simd::expm1(-inf) == T(-1));
    CHECK(simd::expm1(T(-50)) == T(-1));
    CHECK(simd::expm1(inf) == inf);
    CHECK(simd::expm1(limits::max()) == inf);
    CHECK(std::signbit(simd::expm1(-T(0))));
    CHECK(simd::expm1(limits::denorm_min()) == limits::denorm_min());
    CHECK(simd::expm1(T(1e-30)) == T(1e-30));
    CHECK(simd::exp(-inf) == T(0));
    CHECK(simd::exp(inf) == inf);
    CHECK(simd::exp(T(0)) == T(1));
    for (T x : {nan, -nan}) {
        CHECK(std::isnan(simd::tanh(x)));
        CHECK(std::isnan(simd::sigmoid(x)));
        CHECK(std::isnan(simd::expm1(x)));
        CHECK(std::isnan(simd::exp(x)));
    }

    // Small arguments keep their relative accuracy.
    for (T x = T(1e-3); x > T(100) * limits::min(); x *= T(0.37)) {
        CHECK(ulp_distance(simd::expm1(x), std::expm1(x)) <= 1);
        CHECK(ulp_distance(simd::expm1(-x), std::expm1(-x)) <= 1);
        CHECK(ulp_distance(simd::tanh(x), std::tanh(x)) <= 1);
    }
}

// An epilogue multiplies before the call and adds after it: the results must not depend on
// whether the compiler fused those with the function's own first or last operation. The
// epilogue itself has no multiply-add to contract, so any difference would be the function's.
TEMPLATE_TEST_CASE("elementary functions: the same bits between a product and a sum",
                   "[elementary][kernels]", float, double) {
    using T = TestType;
    std::mt19937 random(7);
    std::uniform_real_distribution<T> d(T(-3), T(3));
    std::vector<T> a(4096), b(4096), c(4096);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = d(random), b[i] = d(random), c[i] = d(random);
    const auto epilogue = [](auto a, auto b, auto c) {
        return ((simd::tanh(a * b) + c) + (simd::sigmoid(a * b) + c)) +
               ((simd::expm1(a * b) + c) + (simd::exp(a * b) + c));
    };
    std::vector<T> scalar(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) scalar[i] = epilogue(a[i], b[i], c[i]);
    for_each_batch<T>([&]<class B>() {
        INFO(B::size << " lanes");
        std::size_t mismatches = 0;
        for (std::size_t i = 0; i < a.size(); i += B::size) {
            const B r = epilogue(B::load_unaligned(&a[i]), B::load_unaligned(&b[i]),
                                 B::load_unaligned(&c[i]));
            alignas(64) T lanes[B::size];
            r.store_aligned(lanes);
            for (std::size_t l = 0; l < B::size; ++l) mismatches += !same_bits(lanes[l], scalar[i + l]);
        }
        CHECK(mismatches == 0);
    });
}
