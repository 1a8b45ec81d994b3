#pragma once
// The fusion planner: which consecutive layers of a Seq run as one stage. A Linear takes the
// BatchNorm and then the parameter-free activation that follow it, so that bias,
// normalisation and activation are applied to each result in registers before it is stored.
// Every other layer is a stage of its own. A Residual whose body ends in such a stage has that
// stage add the shortcut too (ends_in_linear_stage).
#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include "typenn/layers/batchnorm.hpp"
#include "typenn/layers/identity.hpp"
#include "typenn/layers/linear.hpp"
#include "typenn/layers/pointwise.hpp"

namespace typenn {
template <Layer... L> struct Seq;
template <Layer Body, Layer Shortcut> struct Residual;
}  // namespace typenn

namespace typenn::execution {

template <class L> inline constexpr bool is_linear = false;
template <std::size_t In, std::size_t Out, class... Options>
inline constexpr bool is_linear<Linear<In, Out, Options...>> = true;

template <class L> inline constexpr bool is_batchnorm = false;
template <std::size_t N> inline constexpr bool is_batchnorm<BatchNorm<N>> = true;

template <class L> inline constexpr bool is_activation = std::is_base_of_v<Pointwise<L>, L>;

template <class L> inline constexpr bool has_bias = false;
template <std::size_t In, std::size_t Out, class... Options>
inline constexpr bool has_bias<Linear<In, Out, Options...>> = Linear<In, Out, Options...>::has_bias;

// stage_lengths<L...>()[i]: how many layers the stage starting at layer i spans; 0 for a
// layer inside a stage that starts earlier.
template <class... L>
constexpr std::array<std::size_t, sizeof...(L)> stage_lengths() {
    constexpr std::size_t n = sizeof...(L);
    constexpr bool linear[] = {is_linear<L>...}, norm[] = {is_batchnorm<L>...},
                   activation[] = {is_activation<L>...};
    std::array<std::size_t, n> lengths{};
    for (std::size_t i = 0; i < n;) {
        std::size_t length = 1;
        if (linear[i]) {
            if (i + length < n && norm[i + length]) ++length;
            if (i + length < n && activation[i + length]) ++length;
        }
        lengths[i] = length;
        i += length;
    }
    return lengths;
}

// Backward: takes_in_previous<L...>()[i] says whether the stage starting at layer i, a
// Linear's, hands each value of its input gradient to the stage before it as its dX product
// stores it (LinearStage::Intake): that stage is a Linear's too and has something to take in
// (an activation's derivative, a BatchNorm's sums over the batch, a bias gradient), which then
// needs no pass over its output gradient of its own.
template <class... L>
constexpr std::array<bool, sizeof...(L)> takes_in_previous() {
    constexpr std::size_t n = sizeof...(L);
    constexpr auto lengths = stage_lengths<L...>();
    constexpr bool linear[] = {is_linear<L>...}, bias[] = {has_bias<L>...};
    std::array<bool, n> takes{};
    for (std::size_t i = 0, previous = 0; i < n; ++i) {
        if (lengths[i] == 0) continue;
        // A stage of more than one layer has a BatchNorm or an activation.
        if (i > 0 && linear[i] && linear[previous])
            takes[i] = bias[previous] || lengths[previous] > 1;
        previous = i;
    }
    return takes;
}

// Whether Net's last stage is a Linear's, which can add a Residual's shortcut as it stores
// its results.
template <class Net>
inline constexpr bool ends_in_linear_stage = is_linear<Net>;

template <class... L>
inline constexpr bool ends_in_linear_stage<Seq<L...>> = [] {
    constexpr auto lengths = stage_lengths<L...>();
    constexpr bool linear[] = {is_linear<L>...};
    std::size_t last = 0;
    for (std::size_t i = 0; i < sizeof...(L); ++i)
        if (lengths[i] > 0) last = i;
    return linear[last];
}();

// The plan as text, e.g. "[Linear<10, 20> + BatchNorm<20> + ReLU] [Linear<20, 1>]";
// `added` names what the last stage adds to its results (a Residual's shortcut).
template <class Net>
struct describe_plan {
    static std::string text(const std::string& added = "") { return "[" + Net::name() + added + "]"; }
};

template <class... L>
struct describe_plan<Seq<L...>> {
    static std::string text(const std::string& added = "") {
        constexpr auto lengths = stage_lengths<L...>();
        const std::string names[] = {inner<L>()...};
        std::string out;
        for (std::size_t i = 0; i < sizeof...(L); ++i) {
            if (lengths[i] == 0) continue;
            out += out.empty() ? "[" : " [";
            for (std::size_t k = 0; k < lengths[i]; ++k) out += (k ? " + " : "") + names[i + k];
            out += "]";
        }
        return out.substr(0, out.size() - 1) + added + "]";
    }
    static std::string nested() { return "Seq(" + text() + ")"; }

private:
    template <class Layer>
    static std::string inner() {
        if constexpr (requires { describe_plan<Layer>::nested; })
            return describe_plan<Layer>::nested();
        else
            return Layer::name();
    }
};

template <class Body, class Shortcut>
struct describe_plan<Residual<Body, Shortcut>> {
    static std::string nested() {
        std::string out = "Residual(";
        if constexpr (ends_in_linear_stage<Body>)
            out += describe_plan<Body>::text(std::is_same_v<Shortcut, Identity> ? " + x" : " + shortcut");
        else
            out += describe_plan<Body>::text();
        if constexpr (!std::is_same_v<Shortcut, Identity>)
            out += ", shortcut " + describe_plan<Shortcut>::text();
        return out + ")";
    }
    static std::string text() { return "[" + nested() + "]"; }
};

}  // namespace typenn::execution

namespace typenn {

// How the fused schedule runs Net, stage by stage.
template <class Net>
std::string describe() {
    return execution::describe_plan<Net>::text();
}

}  // namespace typenn
