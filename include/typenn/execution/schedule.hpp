#pragma once
// How a network runs. Model<Net, T, Schedule> picks one; both compute the same function and
// store the same tape, so they can be compared on the same data.
//   Fused:     the planner's stages (Linear [+ BatchNorm] [+ activation]) on SIMD kernels.
//   Reference: every layer on its own through the plain loops of kernels/reference.hpp, the
//              definition the fused code is tested against.
#include <concepts>

namespace typenn::execution {

struct Fused {};
struct Reference {};

template <class S>
concept Schedule = std::same_as<S, Fused> || std::same_as<S, Reference>;

}  // namespace typenn::execution
