// SPDX-License-Identifier: BSL-1.0
#pragma once
// Layer names as a user writes them ("Linear<10, 20>", "LeakyReLU<0.2>"), for error messages
// and plan descriptions.
#include <charconv>
#include <cstddef>
#include <string>

namespace typenn::naming {

inline std::string number(std::size_t n) { return std::to_string(n); }

// Shortest text that reads back as the same float, as in the user's source.
inline std::string number(float x) {
    char text[32];
    auto end = std::to_chars(text, text + sizeof text, x).ptr;
    return std::string(text, end);
}

template <class... Parts>
std::string templated(std::string_view family, const Parts&... arguments) {
    std::string out(family);
    out += '<';
    bool first = true;
    ((out += (first ? "" : ", "), out += number(arguments), first = false), ...);
    out += '>';
    return out;
}

}  // namespace typenn::naming
