// SPDX-License-Identifier: BSL-1.0
#pragma once
// Array<T, Dims...>: the fixed-size, row-major storage of parameters, gradients and buffers.
// Unlike xtensor's fixed containers it is a literal type, so a whole model can be built at
// compile time (constinit/constexpr, weights baked into the binary); blocks of 64 bytes or
// more start on a cache line, so SIMD kernels may use aligned loads at row starts.
#include <array>
#include <concepts>
#include <cstddef>

namespace typenn {

template <class T, std::size_t... Dims>
struct alignas((sizeof(T) * ... * Dims) >= 64 ? 64 : alignof(T)) Array {
    static constexpr std::size_t rank = sizeof...(Dims);
    static constexpr std::size_t count = (Dims * ... * std::size_t(1));

    std::array<T, count> values;  // uninitialised, as scratch buffers want it; models write every value

    static constexpr std::array<std::size_t, rank> dimensions{Dims...};
    static constexpr const std::array<std::size_t, rank>& shape() noexcept { return dimensions; }
    static constexpr std::size_t size() noexcept { return count; }

    constexpr T* data() noexcept { return values.data(); }
    constexpr const T* data() const noexcept { return values.data(); }
    constexpr T* begin() noexcept { return values.data(); }
    constexpr T* end() noexcept { return values.data() + count; }
    constexpr const T* begin() const noexcept { return values.data(); }
    constexpr const T* end() const noexcept { return values.data() + count; }

    constexpr void fill(T value) noexcept { values.fill(value); }

    constexpr T& operator[](std::size_t i) noexcept { return values[i]; }
    constexpr const T& operator[](std::size_t i) const noexcept { return values[i]; }

    // Row-major element access by index per dimension: v(i), m(row, column).
    template <std::integral... Index>
        requires(sizeof...(Index) == rank)
    constexpr T& operator()(Index... index) noexcept {
        return values[offset(index...)];
    }
    template <std::integral... Index>
        requires(sizeof...(Index) == rank)
    constexpr const T& operator()(Index... index) const noexcept {
        return values[offset(index...)];
    }

    friend constexpr bool operator==(const Array&, const Array&) = default;

private:
    template <class... Index>
    static constexpr std::size_t offset(Index... index) noexcept {
        std::size_t flat = 0, d = 0;
        ((flat = flat * shape()[d++] + std::size_t(index)), ...);
        return flat;
    }
};

}  // namespace typenn
