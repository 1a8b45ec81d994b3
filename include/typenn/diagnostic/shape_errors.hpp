// SPDX-License-Identifier: BSL-1.0
#pragma once
// Compile-time shape diagnostics. Each check is a class template whose instantiation prints a
// static_assert starting with "typenn:"; its template arguments (shown by the compiler in the
// "In instantiation of" line) name the layer, its position and the widths involved. A failed
// check makes the enclosing network `valid == false`, and everything downstream (Model, Tape)
// then dispatches to a dead end instead of producing a cascade of follow-up errors.
#include <cstddef>

namespace typenn::diagnostic {

// Argument wrappers: they make the instantiation line read like a sentence.
template <std::size_t I> struct position_in_seq { static constexpr std::size_t value = I; };
template <std::size_t W> struct takes_width { static constexpr std::size_t value = W; };
template <std::size_t W> struct receives_width { static constexpr std::size_t value = W; };
template <std::size_t W> struct gives_width { static constexpr std::size_t value = W; };

// A layer inside a Seq receives a width it does not take. Layers specialise this template to
// say it in their own words; this primary template covers combinators.
template <class Layer, class Position, class Takes, class Receives>
struct input_width_mismatch {
    static_assert(Takes::value == Receives::value,
                  "typenn: a layer in a Seq receives a width other than the one it takes "
                  "(Layer, position_in_seq, takes and receives are in the instantiation above)");
    static constexpr bool reported = true;
};

template <class Residual, class BodyTakes, class BodyGives>
struct residual_body_changes_width {
    static_assert(BodyTakes::value == BodyGives::value,
                  "typenn: Residual<Body> adds its input to Body's output, so Body must keep the "
                  "width; give a shortcut that maps it: Residual<Body, Linear<in, out>>");
    static constexpr bool reported = true;
};

template <class Residual, class BodyTakes, class ShortcutTakes>
struct residual_inputs_differ {
    static_assert(BodyTakes::value == ShortcutTakes::value,
                  "typenn: Residual<Body, Shortcut>: Body and Shortcut must take the same width");
    static constexpr bool reported = true;
};

template <class Residual, class BodyGives, class ShortcutGives>
struct residual_outputs_differ {
    static_assert(BodyGives::value == ShortcutGives::value,
                  "typenn: Residual<Body, Shortcut>: Shortcut's output width differs from Body's");
    static constexpr bool reported = true;
};

template <class Net, class Takes, class Receives>
struct forward_input_width_mismatch {
    static_assert(Takes::value == Receives::value,
                  "typenn: Model<Net>::forward: the input tensor's column count is not "
                  "Net::in_features");
    static constexpr bool reported = true;
};

}  // namespace typenn::diagnostic
