// SPDX-License-Identifier: BSL-1.0
#pragma once
// LayerWithParameters: a layer that runs on its own, through the members every execution
// policy calls (Linear, PReLU, and every kind but the combinators; its parameters may be
// none). Sizes are template parameters: W the width it receives, T the scalar, B the batch;
// pointers are row-major, `rows` the batch's valid rows. The members are checked at the width
// the layer takes (4 where it takes any), float, and a batch of 2.
#include <cstddef>
#include <random>

#include "typenn/concepts/layer.hpp"
#include "typenn/key_path.hpp"
#include "typenn/width.hpp"

namespace typenn {

namespace requirement {
template <class L>
inline constexpr std::size_t probe_width = L::in_features != any_width ? L::in_features : 4;

template <class L, class T = float>
using probe_state = typename L::template state<probe_width<L>, T>;
template <class L>
using probe_tape = typename L::template tape<probe_width<L>, float, 2>;

struct IgnoreEntries {
    template <class Entry>
    void operator()(const KeyPath&, Entry) const {}
};

// state<W, T>: its parameters, their gradients and its buffers, stored inline.
template <class L>
concept state = requires { typename probe_state<L>; };
// tape<W, T, B>: what a training forward keeps for backward.
template <class L>
concept tape = requires { typename probe_tape<L>; };
// state::visit(state, key, f): f(key / name, Parameter{value, grad} or Buffer{value}) for
// each tensor, in PyTorch's state_dict order and with its names.
template <class L>
concept visit = requires(probe_state<L>& s, IgnoreEntries& f) {
    probe_state<L>::visit(s, KeyPath{}, f);
};
// reset_parameters<W>(state, rng): PyTorch's initialisation.
template <class L>
concept reset_parameters = requires(probe_state<L>& s, std::mt19937_64& rng) {
    L::template reset_parameters<probe_width<L>>(s, rng);
};
// forward<W, B>(state, x, y): inference on B rows; const, so that threads may share it.
template <class L>
concept forward = requires(const probe_state<L>& s, const float* x, float* y) {
    L::template forward<probe_width<L>, 2>(s, x, y);
};
// forward_train<W>(state, tape, x, y, rows): training; may update buffers.
template <class L>
concept forward_train = requires(probe_state<L>& s, probe_tape<L>& t, const float* x, float* y,
                                 std::size_t rows) {
    L::template forward_train<probe_width<L>>(s, t, x, y, rows);
};
// backward<W>(state, tape, x, y, dy, dx, rows): adds to the gradients; fills dx unless null.
template <class L>
concept backward = requires(probe_state<L>& s, probe_tape<L>& t, const float* x, const float* y,
                            const float* dy, float* dx, std::size_t rows) {
    L::template backward<probe_width<L>>(s, t, x, y, dy, dx, rows);
};
}  // namespace requirement

template <class L>
concept LayerWithParameters = Layer<L> && requirement::state<L> && requirement::tape<L> &&
                              requirement::visit<L> && requirement::reset_parameters<L> &&
                              requirement::forward<L> && requirement::forward_train<L> &&
                              requirement::backward<L>;

}  // namespace typenn
