// SPDX-License-Identifier: BSL-1.0
#pragma once
// The layer protocol's check: a layer is held to the concepts of its kind (concepts/): a
// combinator to Combinator (its parts are checked by it), a pointwise activation also to
// PointwiseActivation, an elementwise layer to ElementwiseLayer, a normalisation to
// Normalisation, any other layer to LayerWithParameters. The first requirement it misses
// prints a static_assert that starts with "typenn:" and names the member; the layer is in the
// instantiation line above it. The combinators check their parts before anything else reads
// them, and a layer that failed makes its network invalid, so that nothing after the message
// adds errors of its own (diagnostic/shape_errors.hpp does the same for shapes).
#include <cstddef>
#include <type_traits>

#include "typenn/concepts/combinator.hpp"
#include "typenn/concepts/elementwise_layer.hpp"
#include "typenn/concepts/layer.hpp"
#include "typenn/concepts/layer_with_parameters.hpp"
#include "typenn/concepts/normalisation.hpp"
#include "typenn/concepts/pointwise_activation.hpp"
#include "typenn/fusion.hpp"

namespace typenn::diagnostic {

// What a layer lacks, named in the instantiation line of layer_lacks.
namespace member {
struct in_features {};
struct out_features {};
struct valid {};
struct name {};
struct state {};
struct tape {};
struct visit {};
struct reset_parameters {};
struct forward {};
struct forward_train {};
struct backward {};
struct value {};
struct derivative {};
struct backward_reads {};
struct forward_element {};
struct backward_element {};
struct gradient_sums {};
struct input_gradient {};
struct same_width {};
}  // namespace member

template <class Layer, class Member>
struct layer_lacks;

#define TYPENN_LAYER_LACKS(MEMBER, MESSAGE)                     \
    template <class Layer>                                      \
    struct layer_lacks<Layer, member::MEMBER> {                 \
        static_assert(sizeof(Layer) == 0, "typenn: " MESSAGE);  \
        static constexpr bool reported = true;                  \
    };

TYPENN_LAYER_LACKS(in_features, "the layer lacks `static constexpr std::size_t in_features`, the "
                                "width it takes (any_width: whatever it receives); see concepts/layer.hpp")
TYPENN_LAYER_LACKS(out_features, "the layer lacks `static constexpr std::size_t out_features`, the "
                                 "width it gives (any_width: what it receives); see concepts/layer.hpp")
TYPENN_LAYER_LACKS(valid, "the layer lacks `static constexpr bool valid`, whether its shape rules "
                          "hold; see concepts/layer.hpp")
TYPENN_LAYER_LACKS(name, "the layer lacks `static std::string name()`, how describe() and errors "
                         "print it; see concepts/layer.hpp")
TYPENN_LAYER_LACKS(state, "the layer lacks `template <std::size_t W, class T> struct state`, its "
                          "parameters and buffers; see concepts/layer_with_parameters.hpp")
TYPENN_LAYER_LACKS(tape, "the layer lacks `template <std::size_t W, class T, std::size_t B> struct "
                         "tape`, what backward needs; see concepts/layer_with_parameters.hpp")
TYPENN_LAYER_LACKS(visit, "the layer's state lacks `static void visit(Self&, const KeyPath&, F&)`, "
                          "which hands each tensor to f; see concepts/layer_with_parameters.hpp")
TYPENN_LAYER_LACKS(reset_parameters, "the layer lacks `reset_parameters<W>(state&, rng)`; see "
                                     "concepts/layer_with_parameters.hpp")
TYPENN_LAYER_LACKS(forward, "the layer lacks `forward<W, B>(const state&, const T* x, T* y)`, its "
                            "inference; see concepts/layer_with_parameters.hpp")
TYPENN_LAYER_LACKS(forward_train, "the layer lacks `forward_train<W>(state&, tape&, const T* x, T* "
                                  "y, std::size_t rows)`; see concepts/layer_with_parameters.hpp")
TYPENN_LAYER_LACKS(backward, "the layer lacks `backward<W>(state&, tape&, x, y, dy, dx, rows)`; see "
                             "concepts/layer_with_parameters.hpp")
TYPENN_LAYER_LACKS(value, "the activation lacks `template <class V> static V value(V x)`; see "
                          "concepts/pointwise_activation.hpp")
TYPENN_LAYER_LACKS(derivative, "the activation lacks `template <class V> static V derivative(V at)`; "
                               "see concepts/pointwise_activation.hpp")
TYPENN_LAYER_LACKS(backward_reads, "the elementwise layer lacks `static constexpr Reads "
                                   "backward_reads`; see concepts/elementwise_layer.hpp")
TYPENN_LAYER_LACKS(forward_element, "the layer lacks `forward_element(const state&, V x, "
                                    "std::size_t column)`; see concepts/elementwise_layer.hpp and "
                                    "concepts/normalisation.hpp")
TYPENN_LAYER_LACKS(backward_element, "the elementwise layer lacks `backward_element(state&, V dy, V "
                                     "saved, std::size_t column)`; see concepts/elementwise_layer.hpp")
TYPENN_LAYER_LACKS(gradient_sums, "the normalisation lacks `begin_gradient_sums(tape&)` or "
                                  "`add_gradient_sums(tape&, V dy, V x, std::size_t column)`; see "
                                  "concepts/normalisation.hpp")
TYPENN_LAYER_LACKS(input_gradient, "the normalisation lacks `gradient_coefficients(state&, tape&, "
                                   "rows)` or `input_gradient(tape, coefficients, dy, x, column)`; "
                                   "see concepts/normalisation.hpp")
TYPENN_LAYER_LACKS(same_width, "a layer fused as elementwise or as a normalisation must give the "
                               "width it takes (in_features == out_features); see "
                               "concepts/elementwise_layer.hpp")
#undef TYPENN_LAYER_LACKS

namespace detail {
template <class L, class Member>
constexpr bool lacks() {
    return layer_lacks<L, Member>::reported && false;
}

template <class L>
constexpr bool is_pointwise_activation = requires { requires std::is_same_v<typename L::activation, L>; };

template <class L>
constexpr bool meets_layer() {
    if constexpr (!requirement::in_features<L>) return lacks<L, member::in_features>();
    else if constexpr (!requirement::out_features<L>) return lacks<L, member::out_features>();
    else if constexpr (!requirement::valid<L>) return lacks<L, member::valid>();
    else if constexpr (!requirement::name<L>) return lacks<L, member::name>();
    else return true;
}

template <class L>
constexpr bool meets_layer_with_parameters() {
    if constexpr (!meets_layer<L>()) return false;
    // Its parts have been checked by the combinator itself.
    else if constexpr (requirement::is_combinator<L>) return true;
    else if constexpr (!requirement::state<L>) return lacks<L, member::state>();
    else if constexpr (!requirement::tape<L>) return lacks<L, member::tape>();
    else if constexpr (!requirement::visit<L>) return lacks<L, member::visit>();
    else if constexpr (!requirement::reset_parameters<L>) return lacks<L, member::reset_parameters>();
    else if constexpr (!requirement::forward<L>) return lacks<L, member::forward>();
    else if constexpr (!requirement::forward_train<L>) return lacks<L, member::forward_train>();
    else if constexpr (!requirement::backward<L>) return lacks<L, member::backward>();
    else return true;
}
}  // namespace detail

// Whether L meets its kind's concepts; prints the first requirement it misses otherwise.
template <class L>
constexpr bool meets_layer_contract() {
    using namespace detail;
    if constexpr (!meets_layer_with_parameters<L>()) return false;
    else if constexpr (is_pointwise_activation<L> && !requirement::value<L>) return lacks<L, member::value>();
    else if constexpr (is_pointwise_activation<L> && !requirement::derivative<L>) return lacks<L, member::derivative>();
    else if constexpr (fusion::has_role<L, fusion::elementwise>) {
        if constexpr (!requirement::keeps_width<L>) return lacks<L, member::same_width>();
        else if constexpr (!requirement::backward_reads<L>) return lacks<L, member::backward_reads>();
        else if constexpr (!requirement::forward_element<L>) return lacks<L, member::forward_element>();
        else if constexpr (!requirement::backward_element<L>) return lacks<L, member::backward_element>();
        else return true;
    } else if constexpr (fusion::has_role<L, fusion::normalisation>) {
        if constexpr (!requirement::keeps_width<L>) return lacks<L, member::same_width>();
        else if constexpr (!requirement::inference_element<L>) return lacks<L, member::forward_element>();
        else if constexpr (!requirement::gradient_sums<L>) return lacks<L, member::gradient_sums>();
        else if constexpr (!requirement::input_gradient<L>) return lacks<L, member::input_gradient>();
        else return true;
    } else {
        return true;
    }
}

}  // namespace typenn::diagnostic

namespace typenn {

// What a combinator reads of a part's shape: the part's own where it meets its contract, else
// a shape that is invalid and takes and gives any width, so that nothing but the contract's
// message is reported.
template <class L, bool = diagnostic::meets_layer_contract<L>()>
struct checked_shape {
    static constexpr std::size_t in_features = L::in_features, out_features = L::out_features;
    static constexpr bool valid = L::valid;
};

template <class L>
struct checked_shape<L, false> {
    static constexpr std::size_t in_features = any_width, out_features = any_width;
    static constexpr bool valid = false;
};

}  // namespace typenn
