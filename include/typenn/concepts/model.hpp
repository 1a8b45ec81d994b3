#pragma once
// AnyModel: a Model<Net, T, Schedule> of any network, scalar and schedule, for the functions
// that work on every model (initialisers, clipping, I/O, metrics, diagnostics). Exactly the
// type, so that a const model does not satisfy AnyModel where a function would change it.
#include "typenn/concepts/layer.hpp"
#include "typenn/concepts/scalar.hpp"
#include "typenn/execution/schedule.hpp"

namespace typenn {

template <Layer Net, Scalar T, execution::Schedule Schedule>
class Model;

namespace detail {
template <class M>
inline constexpr bool is_model = false;
template <class Net, class T, class Schedule>
inline constexpr bool is_model<Model<Net, T, Schedule>> = true;
}  // namespace detail

template <class M>
concept AnyModel = detail::is_model<M>;

}  // namespace typenn
