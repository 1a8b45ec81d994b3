// SPDX-License-Identifier: BSL-1.0
#pragma once
// exp, expm1, tanh and sigmoid for float, double and any xsimd batch of them (the default
// architecture's and the narrower ones of make_sized_batch_t), giving the same bits for the
// same input whatever the width: a fused stage applies an activation to whole vectors, its
// tails to narrower ones and scalars, and the layer run alone must give the same bits.
//
// So the functions use only operations every width rounds alike: + − × ÷, comparisons,
// selects, bit casts and integer arithmetic, and fused multiply-adds where the hardware has
// them for scalars and every width (multiply_add.hpp); no table lookups, no library calls.
// Every multiply-add is written as multiply_add, never as a * b + c: with fma_available GCC's
// default -ffp-contract=fast would otherwise fuse some of them, depending on the inlining
// context, and without it there is no instruction to contract into. Arguments and results
// pass through unfused() (unfused.hpp) for the same reason.
//
// The reduction is the usual one: x = i·ln 2 + f with |f| ≤ ln 2 / 2, eˣ − 1 = 2ⁱ(eᶠ − 1) +
// 2ⁱ − 1, eᶠ − 1 = f + f²·P(f) with P the minimax polynomials of Arm's optimized-routines
// (expm1f and expm1, generated with Sollya's fpminimax). 2ⁱ is built from the bits of the
// rounded x / ln 2, in two halves where the result may overflow or be subnormal.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "typenn/kernels/simd/divide.hpp"
#include "typenn/kernels/simd/multiply_add.hpp"
#include "typenn/kernels/simd/unfused.hpp"


namespace typenn::kernels::simd {

namespace elementary_detail {

template <class V>
struct value_traits {};
template <>
struct value_traits<float> {
    using lane = float;
    using bits = std::int32_t;
};
template <>
struct value_traits<double> {
    using lane = double;
    using bits = std::int64_t;
};
template <class T, class A>
    requires std::is_same_v<T, float> || std::is_same_v<T, double>
struct value_traits<xsimd::batch<T, A>> {
    using lane = T;
    using bits = xsimd::batch<xsimd::as_integer_t<T>, A>;
};

template <class V>
using lane_t = typename value_traits<V>::lane;
template <class V>
using bits_t = typename value_traits<V>::bits;
template <class V>
inline constexpr bool is_batch = !std::is_same_v<V, lane_t<V>>;

template <class V>
[[gnu::always_inline]] inline bits_t<V> to_bits(V v) {
    if constexpr (is_batch<V>)
        return xsimd::bitwise_cast<bits_t<V>>(v);
    else
        return std::bit_cast<bits_t<V>>(v);
}

template <class V>
[[gnu::always_inline]] inline V from_bits(bits_t<V> b) {
    if constexpr (is_batch<V>)
        return xsimd::bitwise_cast<V>(b);
    else
        return std::bit_cast<V>(b);
}

template <class M, class V>
[[gnu::always_inline]] inline V select(M condition, V if_true, V if_false) {
    if constexpr (is_batch<V>)
        return xsimd::select(condition, if_true, if_false);
    else
        return condition ? if_true : if_false;
}

template <class T>
struct exp_constants;

template <>
struct exp_constants<float> {
    static constexpr float inv_ln2 = 0x1.715476p+0f;
    // ln2_hi has few enough bits that i·ln2_hi is exact for every i we form, with or
    // without a fused multiply-add.
    static constexpr float ln2_hi = 0x1.62e4p-1f;
    static constexpr float ln2_lo = 0x1.7f7d1cp-20f;
    // Adding it rounds x / ln 2 to an integer and leaves that integer in the low bits.
    static constexpr float round_shifter = 0x1.8p23f;
    static constexpr int mantissa_bits = 23;
    static constexpr std::int32_t exponent_bias = 127;
    static constexpr float polynomial[] = {0x1.fffffep-2f, 0x1.5554aep-3f, 0x1.555736p-5f,
                                           0x1.12287cp-7f, 0x1.6b55a2p-10f};
    // Past these eˣ is 0 (below half the least subnormal) or ∞, and eˣ − 1 is −1 or ∞;
    // inside them both halves of 2ⁱ stay normal numbers.
    static constexpr float exp_lowest = -110.0f;
    static constexpr float expm1_lowest = -25.0f;
    static constexpr float highest = 89.0f;
    // tanh(10) rounds to 1; below it e²ˣ needs no split 2ⁱ.
    static constexpr float tanh_saturation = 10.0f;
};

template <>
struct exp_constants<double> {
    static constexpr double inv_ln2 = 0x1.71547652b82fep+0;
    static constexpr double ln2_hi = 0x1.62e42fee00000p-1;
    static constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
    static constexpr double round_shifter = 0x1.8p52;
    static constexpr int mantissa_bits = 52;
    static constexpr std::int64_t exponent_bias = 1023;
    static constexpr double polynomial[] = {
        0x1p-1,
        0x1.5555555555559p-3,
        0x1.555555555554bp-5,
        0x1.111111110f663p-7,
        0x1.6c16c16c1b5f3p-10,
        0x1.a01a01affa35dp-13,
        0x1.a01a018b4ecbbp-16,
        0x1.71ddf82db5bb4p-19,
        0x1.27e517fc0d54bp-22,
        0x1.af5eedae67435p-26,
        0x1.1f143d060a28ap-29,
    };
    static constexpr double exp_lowest = -746.0;
    static constexpr double expm1_lowest = -40.0;
    static constexpr double highest = 710.0;
    static constexpr double tanh_saturation = 20.0;
};

// tanh x = x + x³·Q(x²) for |x| < limit, where e²ˣ − 1 suffers cancellation: Q interpolates
// at Chebyshev nodes (near minimax), fitted in quadruple precision.
template <class T>
struct tanh_near_zero;

template <>
struct tanh_near_zero<float> {
    static constexpr float limit = 0.55f;
    static constexpr float polynomial[] = {-0x1.555554p-2f, 0x1.110feap-3f, -0x1.b9a044p-5f,
                                           0x1.5d220ep-6f, -0x1.b13538p-8f};
};

template <>
struct tanh_near_zero<double> {
    static constexpr double limit = 0.55;
    static constexpr double polynomial[] = {
        -0x1.5555555555555p-2, 0x1.1111111111032p-3,  -0x1.ba1ba1b9fec84p-5,
        0x1.664f487713373p-6,  -0x1.226e32f00cf0cp-7, 0x1.d6d339333f329p-9,
        -0x1.7d97cfd138c28p-10, 0x1.34c5a8a996cd4p-11, -0x1.ec1091436eb2ap-13,
        0x1.64fd88e9900a4p-14, -0x1.59a834187ce22p-16,
    };
};

// x = i·ln 2 + reduced, and i as rounded_i = round_shifter + i (exactly).
template <class V>
struct reduced_argument {
    V reduced;
    V rounded_i;
};

template <class V>
[[gnu::always_inline]] inline reduced_argument<V> reduce(V x) {
    using c = exp_constants<lane_t<V>>;
    const V rounded_i = multiply_add(x, V(c::inv_ln2), V(c::round_shifter));
    const V i = rounded_i - V(c::round_shifter);
    V f = multiply_add(i, V(-c::ln2_hi), x);
    f = multiply_add(i, V(-c::ln2_lo), f);
    return {f, rounded_i};
}

// e^f − 1 − f for |f| ≤ ln 2 / 2, kept apart from f so that small arguments keep their
// relative accuracy.
template <class V>
[[gnu::always_inline]] inline V expm1_reduced(V f) {
    using c = exp_constants<lane_t<V>>;
    constexpr std::size_t n = std::size(c::polynomial);
    V p(c::polynomial[n - 1]);
    for (std::size_t k = n - 1; k-- > 0;) p = multiply_add(p, f, V(c::polynomial[k]));
    return multiply_add(f * f, p, f);
}

// 2ⁿ from integer bits that end in those of n: n itself, the bits of round_shifter + n, or
// differences of those. Shifting n into the exponent drops the rest, the shifter's bits being
// zero as far up as the exponent is wide.
template <class V>
[[gnu::always_inline]] inline V power_of_two(bits_t<V> shifter_plus_i_bits) {
    using c = exp_constants<lane_t<V>>;
    return from_bits<V>((shifter_plus_i_bits + bits_t<V>(c::exponent_bias)) << c::mantissa_bits);
}

// 2ⁱ as low · high with both factors normal for every i in reach of the clamped arguments
// (2ⁱ alone would not be below the least normal or at 2^(max exponent + 1)).
template <class V>
struct split_power_of_two {
    V low;
    V high;
    V inverse_high;
};

template <class V>
[[gnu::always_inline]] inline split_power_of_two<V> split_power(V rounded_i) {
    using c = exp_constants<lane_t<V>>;
    const V i = rounded_i - V(c::round_shifter);
    const V rounded_half = multiply_add(i, V(0.5), V(c::round_shifter));
    const bits_t<V> i_bits = to_bits(rounded_i), half_bits = to_bits(rounded_half);
    return {power_of_two<V>(i_bits - half_bits), power_of_two<V>(half_bits),
            power_of_two<V>(bits_t<V>(0) - half_bits)};
}

template <class V>
[[gnu::always_inline]] inline V clamp(V x, lane_t<V> lowest, lane_t<V> highest) {
    // Comparisons, not min and max, whose NaN handling differs between scalars and vectors.
    x = select(x < V(lowest), V(lowest), x);
    return select(x > V(highest), V(highest), x);
}

template <class V>
[[gnu::always_inline]] inline V exp(V x) {
    using c = exp_constants<lane_t<V>>;
    const auto [f, rounded_i] = reduce(clamp(x, c::exp_lowest, c::highest));
    const split_power_of_two<V> scale = split_power(rounded_i);
    // Exactly rounded once but where the result is subnormal (there twice).
    return multiply_add(expm1_reduced(f), scale.low, scale.low) * scale.high;
}

template <class V>
[[gnu::always_inline]] inline V expm1(V x) {
    using c = exp_constants<lane_t<V>>;
    const auto [f, rounded_i] = reduce(clamp(x, c::expm1_lowest, c::highest));
    const split_power_of_two<V> scale = split_power(rounded_i);
    // 2ⁱ·p + 2ⁱ − 1 scaled by 1 / high, where low − 1 / high is exact for small i.
    const V r = multiply_add(expm1_reduced(f), scale.low, scale.low - scale.inverse_high) *
                scale.high;
    return select(x == V(0), x, r);  // −0 stays −0
}

template <class V>
[[gnu::always_inline]] inline bits_t<V> sign_bit() {
    if constexpr (std::is_same_v<lane_t<V>, float>)
        return bits_t<V>(std::int32_t(std::uint32_t(1) << 31));
    else
        return bits_t<V>(std::int64_t(std::uint64_t(1) << 63));
}

template <class V>
[[gnu::always_inline]] inline V tanh(V x) {
    using c = exp_constants<lane_t<V>>;
    using near_zero = tanh_near_zero<lane_t<V>>;
    const bits_t<V> sign = to_bits(x) & sign_bit<V>();
    V a = from_bits<V>(to_bits(x) ^ sign);
    a = select(a > V(c::tanh_saturation), V(c::tanh_saturation), a);

    const V a2 = a * a;
    constexpr std::size_t n = std::size(near_zero::polynomial);
    V q(near_zero::polynomial[n - 1]);
    for (std::size_t k = n - 1; k-- > 0;) q = multiply_add(q, a2, V(near_zero::polynomial[k]));
    const V small = multiply_add(a * a2, q, a);

    // 1 − 2 / (e²ᵃ + 1), with e²ᵃ + 1 = 2ⁱ·p + (2ⁱ + 1) rounded once (2ⁱ + 1 is exact until
    // the result rounds to 1). Below the limit it would lose to cancellation what it gains.
    const auto [f, rounded_i] = reduce(a + a);
    const V t = power_of_two<V>(to_bits(rounded_i));
    const V large = V(1) - divide(V(2), multiply_add(expm1_reduced(f), t, t + V(1)));

    const V magnitude = select(a < V(near_zero::limit), small, large);
    return from_bits<V>(to_bits(magnitude) | sign);
}

template <class V>
[[gnu::always_inline]] inline V sigmoid(V x) {
    using c = exp_constants<lane_t<V>>;
    // e^−|x| never overflows: 1 / (1 + e) for x ≥ 0, e / (1 + e) below, which keeps the
    // relative accuracy of results near 0 down to the subnormals.
    const V negative_magnitude = from_bits<V>(to_bits(x) | sign_bit<V>());
    const V clamped = select(negative_magnitude < V(c::exp_lowest), V(c::exp_lowest),
                             negative_magnitude);
    const auto [f, rounded_i] = reduce(clamped);
    const split_power_of_two<V> scale = split_power(rounded_i);
    const V e = multiply_add(expm1_reduced(f), scale.low, scale.low) * scale.high;
    return divide(select(x < V(0), e, V(1)), V(1) + e);
}

}  // namespace elementary_detail

template <class V>
concept elementary_argument = requires { typename elementary_detail::value_traits<V>::lane; };

// eˣ; subnormal results are rounded twice.
template <elementary_argument V>
[[gnu::always_inline]] inline V exp(V x) {
    return unfused(elementary_detail::exp(unfused(x)));
}

// eˣ − 1, accurate relative to the result for small x.
template <elementary_argument V>
[[gnu::always_inline]] inline V expm1(V x) {
    return unfused(elementary_detail::expm1(unfused(x)));
}

// tanh x, exactly ±1 from |x| = 10 (float) or 20 (double) on.
template <elementary_argument V>
[[gnu::always_inline]] inline V tanh(V x) {
    return unfused(elementary_detail::tanh(unfused(x)));
}

// 1 / (1 + e⁻ˣ): exactly 1 for large x, 0 for x → −∞, never NaN but for a NaN.
template <elementary_argument V>
[[gnu::always_inline]] inline V sigmoid(V x) {
    return unfused(elementary_detail::sigmoid(unfused(x)));
}

}  // namespace typenn::kernels::simd
