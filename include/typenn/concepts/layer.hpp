#pragma once
#include <concepts>
#include <cstddef>
#include <string>

namespace typenn {

// A layer is an empty type describing one step of a network: its widths (any_width where it
// adapts to its input), a printable name, and whether its shape rules hold (`valid`).
template <class L>
concept Layer = requires {
    { L::in_features } -> std::convertible_to<std::size_t>;
    { L::out_features } -> std::convertible_to<std::size_t>;
    { L::valid } -> std::convertible_to<bool>;
    { L::name() } -> std::convertible_to<std::string>;
};

}  // namespace typenn
