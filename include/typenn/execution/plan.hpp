// SPDX-License-Identifier: BSL-1.0
#pragma once
// The fusion planner: which consecutive layers of a Seq run as one stage, from the roles the
// layers declare (fusion.hpp): a product takes the normalisation and then every elementwise
// layer that follow it, so that they are applied to each of its results before it is stored.
// Every other layer is a stage of its own. A Residual whose body ends in a product's stage
// has that stage add the shortcut too (ends_in_product_stage).
#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include "typenn/concepts/layer.hpp"
#include "typenn/fusion.hpp"
#include "typenn/layers/identity.hpp"

namespace typenn {
template <class... L> struct Seq;
template <class Body, class Shortcut> struct Residual;
}  // namespace typenn

namespace typenn::execution {

template <class L>
inline constexpr bool is_product = fusion::has_role<L, fusion::product>;

// stage_lengths<L...>()[i]: how many layers the stage starting at layer i spans; 0 for a
// layer inside a stage that starts earlier.
template <class... L>
constexpr std::array<std::size_t, sizeof...(L)> stage_lengths() {
    constexpr std::size_t n = sizeof...(L);
    constexpr bool product[] = {is_product<L>...},
                   norm[] = {fusion::has_role<L, fusion::normalisation>...},
                   elementwise[] = {fusion::has_role<L, fusion::elementwise>...};
    std::array<std::size_t, n> lengths{};
    for (std::size_t i = 0; i < n;) {
        std::size_t length = 1;
        if (product[i]) {
            if (i + length < n && norm[i + length]) ++length;
            while (i + length < n && elementwise[i + length]) ++length;
        }
        lengths[i] = length;
        i += length;
    }
    return lengths;
}

// follows_product_stage<L...>()[i]: whether the stage starting at layer i and the stage
// before it are both a product's. In backward the later one's dX product may then apply the
// earlier one's post-ops' backward to each value as it stores it (SeqRunner::backward).
template <class... L>
constexpr std::array<bool, sizeof...(L)> follows_product_stage() {
    constexpr std::size_t n = sizeof...(L);
    constexpr auto lengths = stage_lengths<L...>();
    constexpr bool product[] = {is_product<L>...};
    std::array<bool, n> follows{};
    for (std::size_t i = 0, previous = 0; i < n; ++i) {
        if (lengths[i] == 0) continue;
        follows[i] = i > 0 && product[i] && product[previous];
        previous = i;
    }
    return follows;
}

// Whether Net's last stage is a product's, which can add a Residual's shortcut as it stores
// its results.
template <class Net>
inline constexpr bool ends_in_product_stage = is_product<Net>;

template <class... L>
inline constexpr bool ends_in_product_stage<Seq<L...>> = [] {
    constexpr auto lengths = stage_lengths<L...>();
    constexpr bool product[] = {is_product<L>...};
    std::size_t last = 0;
    for (std::size_t i = 0; i < sizeof...(L); ++i)
        if (lengths[i] > 0) last = i;
    return product[last];
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
        if constexpr (ends_in_product_stage<Body>)
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

// How the fused policy runs Net, stage by stage.
template <class Net>
std::string describe() {
    return execution::describe_plan<Net>::text();
}

}  // namespace typenn
