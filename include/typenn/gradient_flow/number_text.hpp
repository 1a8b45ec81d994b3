// SPDX-License-Identifier: BSL-1.0
#pragma once
// Numbers as text for reports and plots, independent of the program's locale: an SVG written
// under a locale with decimal commas must still parse.
#include <charconv>
#include <string>

namespace typenn::detail {

inline std::string number_text(double value, std::chars_format format, int precision) {
    char text[64];
    const auto end = std::to_chars(text, text + sizeof text, value, format, precision).ptr;
    return std::string(text, end);
}

}  // namespace typenn::detail
