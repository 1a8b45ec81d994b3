// SPDX-License-Identifier: BSL-1.0
#pragma once
// What the checking policy (execution::Checked) checks, in execution order:
//   forward, inference or training: the model's input (Model), then for each layer its
//   parameters and buffers, then its output;
//   backward: dy (Model), then for each layer the gradients of its parameters, then the
//   gradient it passes to its input.
// The first NaN or infinity throws NonFiniteError. A layer throws with its own key path
// empty; every combinator the error leaves through prepends its segment (within), so that
// the path is complete when the error leaves the model. LayerRunner<Checked, L>
// (layer_runner.hpp) calls these around each layer; Fused and Reference instantiate none of them.
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "typenn/detail/raise.hpp"
#include "typenn/execution/policy.hpp"
#include "typenn/key_path.hpp"
#include "typenn/non_finite_error.hpp"

namespace typenn::execution {

// Runs f, the part of a combinator at `segment` of the combinator's key path (a Seq's
// index, a Residual's "body" or "shortcut"); under Checked, an error from inside gets that
// segment in front of its path. Under the other policies it is a plain call.
template <class S, class Segment, class F>
void within(Segment segment, F&& f) {
    if constexpr (std::is_same_v<S, Checked>) {
#if TYPENN_HAS_EXCEPTIONS
        try {
            f();
        } catch (const NonFiniteError& e) {
            throw e.prepend(segment);
        }
#else
        static_assert(!std::is_same_v<S, Checked>,
                      "typenn: execution::Checked reports through exceptions: build with them");
#endif
    } else {
        f();
    }
}

namespace checked {

using Kind = NonFiniteError::Kind;
using Pass = NonFiniteError::Pass;

// Throws at the first of count values that is not finite, at the site where() describes
// (built only then: a layer's name is a string), its row and column counted in rows of
// `columns` values.
template <class T, class Where>
void throw_at_first_non_finite(const T* values, std::size_t count, std::size_t columns,
                               Where&& where) {
    for (std::size_t k = 0; k < count; ++k)
        if (!std::isfinite(values[k])) {
            NonFiniteError::Site site = where();
            site.row = k / columns;
            site.column = k % columns;
            site.value = double(values[k]);
            TYPENN_RAISE NonFiniteError(std::move(site));
        }
}

// A batch of rows × columns values that layer L produced: its output or its input gradient.
template <class L, class T>
void batch(const T* values, std::size_t rows, std::size_t columns, Kind kind, Pass pass) {
    throw_at_first_non_finite(values, rows * columns, columns, [&] {
        return NonFiniteError::Site{.kind = kind, .pass = pass, .layer_name = L::name()};
    });
}

// What the caller gives the model, its input x or dy: rows × columns values of no layer.
template <class T>
void from_caller(const T* values, std::size_t rows, std::size_t columns, Kind kind, Pass pass) {
    throw_at_first_non_finite(values, rows * columns, columns,
                              [&] { return NonFiniteError::Site{.kind = kind, .pass = pass}; });
}

// A tensor of layer L (a parameter's value or gradient, or a buffer), named `key` from L.
template <class L, class Value>
void tensor(const Value& tensor, const KeyPath& key, Kind kind, Pass pass, bool buffer) {
    const auto shape = Value::shape();
    throw_at_first_non_finite(tensor.data(), tensor.size(), shape.back(), [&] {
        return NonFiniteError::Site{.kind = kind,
                                    .pass = pass,
                                    .layer_name = L::name(),
                                    .tensor = key.str(),
                                    .buffer = buffer,
                                    .vector = shape.size() == 1};
    });
}

// Before a forward pass: every parameter and buffer of layer L. Counters such as
// num_batches_tracked are integers, always finite.
template <class L, class State>
void parameters(const State& s, Pass pass) {
    auto check = [&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.value.data(); }) {
            constexpr bool buffer = !requires { entry.grad; };
            tensor<L>(entry.value, key, Kind::parameter, pass, buffer);
        }
    };
    State::visit(s, KeyPath{}, check);
}

// After a backward pass: the gradient of every parameter of layer L.
template <class L, class State>
void gradients(const State& s) {
    auto check = [&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; })
            tensor<L>(entry.grad, key, Kind::gradient, Pass::backward, false);
    };
    State::visit(s, KeyPath{}, check);
}

}  // namespace checked
}  // namespace typenn::execution
