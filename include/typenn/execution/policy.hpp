// SPDX-License-Identifier: BSL-1.0
#pragma once
// How a network runs: its execution policy (not to be confused with the learning-rate
// schedules of sched/). Model<Net, T, Policy> picks one; all compute the same function from the
// same parameters, so they can be compared on the same data.
//   Fused:     the planner's stages (a product, a normalisation, elementwise layers) on SIMD
//              kernels.
//   Reference: every layer on its own in plain loops, the definition the fused code is tested
//              against: a Linear's products in kernels/reference.hpp, a BatchNorm's own,
//              an elementwise layer's element functions one value at a time.
//   Checked:   every layer on its own, on the kernels Fused uses for it, with every value that
//              enters or leaves a layer checked; the first non-finite one throws
//              NonFiniteError (execution/checked.hpp). Training gives Fused's results bit for
//              bit; Fused and Reference contain no checks at all.
#include <concepts>

namespace typenn::execution {

struct Fused {};
struct Reference {};
struct Checked {};

template <class S>
concept ExecutionPolicy = std::same_as<S, Fused> || std::same_as<S, Reference> || std::same_as<S, Checked>;

}  // namespace typenn::execution
