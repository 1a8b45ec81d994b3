#pragma once
// Tensor vocabulary shared by layers, models and I/O: row-major, batch first, sizes fixed at
// compile time so that nothing on the forward/backward path needs the heap.
#include <array>
#include <cstddef>
#include <xtensor/xfixed.hpp>

namespace typenn {

template <class T, std::size_t Rows, std::size_t Cols>
using BasicTensor = xt::xtensor_fixed<T, xt::xshape<Rows, Cols>>;

template <std::size_t Rows, std::size_t Cols>
using Tensor = BasicTensor<float, Rows, Cols>;

template <class T, std::size_t N>
using BasicVector = xt::xtensor_fixed<T, xt::xshape<N>>;

// Scratch storage for activations and gradients inside tapes and on the stack; 64-byte
// alignment lets SIMD kernels use aligned loads at the start of every row block.
template <class T, std::size_t N>
struct alignas(64) AlignedArray {
    std::array<T, N> values;
    T* data() noexcept { return values.data(); }
    const T* data() const noexcept { return values.data(); }
};

}  // namespace typenn
