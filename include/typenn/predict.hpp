// SPDX-License-Identifier: BSL-1.0
#pragma once
// Inference over any number of rows (Model::predict): a forward pass is compiled for a fixed
// batch, so the rows go through it in tiles of a compile-time size, the last one padded with
// copies of its last row, whose outputs are dropped: rows are independent at inference, so
// under execution::Checked a padding row can never be the first to fail. The column count of
// the input is the one shape known only at run time, so it is checked here. Tiles live on the
// caller's stack: a const model serves any number of threads at once, and the result is the
// only allocation.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "typenn/detail/raise.hpp"
#include "typenn/detail/xtensor_includes.hpp"
#include "typenn/non_finite_error.hpp"
#include "typenn/tensor.hpp"

namespace typenn {

// Rows per forward pass: large enough to amortise a pass's fixed costs, small enough that a
// tile of a wide network stays a modest stack buffer.
inline constexpr std::size_t predict_tile_rows = 32;

namespace detail {

template <std::size_t Tile, class M, class E>
xt::xtensor<typename M::scalar, 2> predict_in_tiles(const M& model, const E& x) {
    using T = typename M::scalar;
    constexpr std::size_t in = M::in_features, out = M::out_features;
    static_assert(Tile >= 1, "typenn: Model::predict<Tile> needs Tile >= 1");
    static_assert(xt::get_rank<E>::value == SIZE_MAX || xt::get_rank<E>::value == 2,
                  "typenn: Model::predict takes a 2-D expression [rows, in_features]");
    if (x.dimension() != 2)
        TYPENN_RAISE std::invalid_argument("typenn: Model::predict: expected a 2-D X [rows, " +
                                           std::to_string(in) + "], found " +
                                           std::to_string(x.dimension()) + " dimensions");
    if (x.shape()[1] != in)
        TYPENN_RAISE std::invalid_argument("typenn: Model::predict: expected X with " +
                                           std::to_string(in) + " columns (the input width of " +
                                           M::network::name() + "), found " +
                                           std::to_string(x.shape()[1]));

    const std::size_t rows = x.shape()[0];
    auto y = xt::xtensor<T, 2>::from_shape({rows, out});
    BasicTensor<T, Tile, in> tile;
    for (std::size_t first = 0; first < rows; first += Tile) {
        const std::size_t count = std::min(Tile, rows - first);
        for (std::size_t r = 0; r < count; ++r)
            for (std::size_t c = 0; c < in; ++c) tile(r, c) = static_cast<T>(x(first + r, c));
        for (std::size_t r = count; r < Tile; ++r)
            std::copy_n(tile.data() + (count - 1) * in, in, tile.data() + r * in);
#if TYPENN_HAS_EXCEPTIONS
        try {
#endif
            const auto result = model.forward(tile);
            std::copy_n(result.data(), count * out, y.data() + first * out);
#if TYPENN_HAS_EXCEPTIONS
        } catch (const NonFiniteError& error) {  // under execution::Checked: name X's row
            throw error.from_row(first);
        }
#endif
    }
    return y;
}

}  // namespace detail
}  // namespace typenn
