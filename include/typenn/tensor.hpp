// SPDX-License-Identifier: BSL-1.0
#pragma once
// Tensor vocabulary shared by layers, models and I/O: row-major, batch first, sizes fixed at
// compile time so that nothing on the forward/backward path needs the heap.
#include <cstddef>

#include "typenn/detail/xtensor_includes.hpp"

namespace typenn {

template <class T, std::size_t Rows, std::size_t Cols>
using BasicTensor = xt::xtensor_fixed<T, xt::xshape<Rows, Cols>>;

template <std::size_t Rows, std::size_t Cols>
using Tensor = BasicTensor<float, Rows, Cols>;

}  // namespace typenn
