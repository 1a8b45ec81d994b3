// SPDX-License-Identifier: BSL-1.0
#pragma once
// AnyModel: a Model<Net, T, Policy> of any network, scalar and execution policy, for the
// functions that work on every model (initialisers, clipping, I/O, metrics, diagnostics).
// Exactly the type, so that a const model does not satisfy AnyModel where a function would
// change it.
#include "typenn/concepts/scalar.hpp"
#include "typenn/execution/policy.hpp"

namespace typenn {

template <class Net, Scalar T, execution::ExecutionPolicy Policy>
class Model;

namespace detail {
template <class M>
inline constexpr bool is_model = false;
template <class Net, class T, class Policy>
inline constexpr bool is_model<Model<Net, T, Policy>> = true;
}  // namespace detail

template <class M>
concept AnyModel = detail::is_model<M>;

}  // namespace typenn
