// SPDX-License-Identifier: BSL-1.0
#pragma once
// Every layer's backward against finite differences (typenn/gradient_check.hpp).
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>

#include <typenn/gradient_check.hpp>
#include <typenn/typenn.hpp>

namespace gradcheck {

template <class Net, std::size_t B>
void check(std::uint64_t seed, std::size_t rows = B) {
    const typenn::GradientCheck result = typenn::gradient_check<Net, B>(seed, rows);
    INFO(Net::name() << ": " << result.mismatched << " of " << result.checked
                     << " mismatched; first: " << result.first_mismatch);
    CHECK(result.passed());
}

}  // namespace gradcheck
