#pragma once
// How a network runs. Model<Net, T, Schedule> picks one; all compute the same function and
// store the same tape, so they can be compared on the same data.
//   Fused:     the planner's stages (Linear [+ BatchNorm] [+ activation]) on SIMD kernels.
//   Reference: every layer on its own through the plain loops of kernels/reference.hpp, the
//              definition the fused code is tested against.
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
concept Schedule = std::same_as<S, Fused> || std::same_as<S, Reference> || std::same_as<S, Checked>;

}  // namespace typenn::execution
