// SPDX-License-Identifier: BSL-1.0
#pragma once
// The rows a loss averages over: all B by default, or the first Rows{n} of a final partial
// batch, as the model's training forward took them.
#include <cstddef>
#include <stdexcept>
#include <string>

#include "typenn/detail/raise.hpp"
#include "typenn/tape.hpp"

namespace typenn::loss::detail {

inline std::size_t checked_rows(Rows rows, std::size_t batch, const char* loss) {
    if (rows.count < 1 || rows.count > batch)
        TYPENN_RAISE std::invalid_argument("typenn: loss::" + std::string(loss) + ": Rows{" +
                                           std::to_string(rows.count) + "} is outside 1.." +
                                           std::to_string(batch));
    return rows.count;
}

}  // namespace typenn::loss::detail
