// SPDX-License-Identifier: BSL-1.0
#pragma once
// A small self-contained SVG line plot: named categories along x in their order, one polyline
// per series, y axis with round ticks, axis labels, title and legend. Enough to look at
// gradient flow in a browser without Python. Every text is escaped and every number written
// independently of the locale, so the file is well-formed XML whatever the labels hold.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "typenn/detail/raise.hpp"
#include "typenn/gradient_flow/number_text.hpp"

namespace typenn::svg {

struct Series {
    std::string label;
    std::vector<double> values;  // values[i] is drawn at categories[i]; non-finite: a gap
};

struct LinePlot {
    std::string title, x_label, y_label;
    std::vector<std::string> categories;
    std::vector<Series> series;
};

// Text as XML character data or attribute value. Control characters that XML 1.0 forbids
// become '?'.
inline std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                const bool forbidden = static_cast<unsigned char>(c) < 0x20 && c != '\t' &&
                                       c != '\n' && c != '\r';
                out += forbidden ? '?' : c;
        }
    }
    return out;
}

namespace detail {

inline std::string coordinate(double v) {
    return typenn::detail::number_text(v, std::chars_format::fixed, 1);
}

// Later series darker: epochs read as a progression. Viridis, without its pale yellow end.
inline std::string series_color(std::size_t index, std::size_t count) {
    static constexpr int stops[][3] = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {170, 210, 40}};
    constexpr std::size_t last_stop = std::size(stops) - 1;
    const double t = count < 2 ? 0.0 : 1.0 - double(index) / double(count - 1);
    const std::size_t lower = std::min(std::size_t(t * last_stop), last_stop - 1);
    const double f = t * last_stop - double(lower);
    static constexpr char digits[] = "0123456789abcdef";
    std::string color = "#";
    for (int channel = 0; channel < 3; ++channel) {
        const int v = int(std::lround(stops[lower][channel] +
                                      f * (stops[lower + 1][channel] - stops[lower][channel])));
        color += digits[v / 16];
        color += digits[v % 16];
    }
    return color;
}

// Round ticks (1, 2 or 5 times a power of ten) covering the finite values.
struct Axis {
    double low, high, step;
    int decimals;

    static Axis covering(const std::vector<Series>& series) {
        double low = std::numeric_limits<double>::infinity(), high = -low;
        for (const auto& s : series)
            for (const double v : s.values) {
                if (!std::isfinite(v)) continue;
                low = std::min(low, v);
                high = std::max(high, v);
            }
        if (low > high) {
            low = 0;
            high = 1;
        } else if (low == high) {
            low -= 0.5;
            high += 0.5;
        }
        const double raw = (high - low) / 5;
        const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
        const double normalized = raw / magnitude;
        const double step =
            magnitude * (normalized < 1.5 ? 1 : normalized < 3.5 ? 2 : normalized < 7.5 ? 5 : 10);
        return {std::floor(low / step) * step, std::ceil(high / step) * step, step,
                std::max(0, -int(std::floor(std::log10(step))))};
    }

    std::size_t intervals() const { return std::size_t(std::lround((high - low) / step)); }
};

// Font metrics are unknown to the writer; this average advance keeps labels from clipping.
inline constexpr double char_width = 6.5;

inline std::size_t longest(const std::vector<std::string>& texts) {
    std::size_t n = 0;
    for (const auto& t : texts) n = std::max(n, t.size());
    return n;
}

}  // namespace detail

inline void write(std::ostream& out, const LinePlot& plot) {
    const std::size_t n = plot.categories.size();
    if (n == 0)
        TYPENN_RAISE std::invalid_argument("typenn: svg::write: the plot has no categories");
    std::vector<std::string> legend;
    for (const auto& s : plot.series) {
        if (s.values.size() != n)
            TYPENN_RAISE std::invalid_argument("typenn: svg::write: series '" + s.label + "' has " +
                                               std::to_string(s.values.size()) + " values for " +
                                               std::to_string(n) + " categories");
        legend.push_back(s.label);
    }
    using detail::coordinate;
    const auto axis = detail::Axis::covering(plot.series);
    const double left = 70, top = 40, plot_width = std::max(320.0, 28.0 * double(n)),
                 plot_height = 260;
    // Category labels are rotated by 45°, so their length shows as height.
    const double bottom = 50 + 0.71 * detail::char_width * double(detail::longest(plot.categories));
    const double legend_x = left + plot_width + 20, legend_row = 18;
    const double width = legend_x + 30 + detail::char_width * double(detail::longest(legend)) + 10;
    const double height = std::max(top + plot_height + bottom,
                                   top + legend_row * double(plot.series.size()) + 10);
    const double x_step = plot_width / double(n);
    const auto x_at = [&](std::size_t i) { return left + (double(i) + 0.5) * x_step; };
    const auto y_at = [&](double v) {
        return top + plot_height * (axis.high - v) / (axis.high - axis.low);
    };
    const double axis_y = top + plot_height;

    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << coordinate(width)
        << "\" height=\"" << coordinate(height) << "\" viewBox=\"0 0 " << coordinate(width)
        << ' ' << coordinate(height) << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
        << "<title>" << escape(plot.title) << "</title>\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        << "<text x=\"" << coordinate(left + plot_width / 2)
        << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" << escape(plot.title)
        << "</text>\n";

    out << "<g stroke=\"#dddddd\">\n";
    for (std::size_t k = 0; k <= axis.intervals(); ++k) {
        const double y = y_at(axis.low + double(k) * axis.step);
        out << "<line x1=\"" << coordinate(left) << "\" y1=\"" << coordinate(y) << "\" x2=\""
            << coordinate(left + plot_width) << "\" y2=\"" << coordinate(y) << "\"/>\n";
    }
    out << "</g>\n<g text-anchor=\"end\">\n";
    for (std::size_t k = 0; k <= axis.intervals(); ++k) {
        const double v = axis.low + double(k) * axis.step;
        out << "<text x=\"" << coordinate(left - 6) << "\" y=\"" << coordinate(y_at(v) + 4)
            << "\">"
            << typenn::detail::number_text(v, std::chars_format::fixed, axis.decimals)
            << "</text>\n";
    }
    for (std::size_t i = 0; i < n; ++i) {
        const double x = x_at(i), y = axis_y + 14;
        out << "<text x=\"" << coordinate(x) << "\" y=\"" << coordinate(y)
            << "\" transform=\"rotate(-45 " << coordinate(x) << ' ' << coordinate(y) << ")\">"
            << escape(plot.categories[i]) << "</text>\n";
    }
    out << "</g>\n"
        << "<polyline fill=\"none\" stroke=\"black\" points=\"" << coordinate(left) << ','
        << coordinate(top) << ' ' << coordinate(left) << ',' << coordinate(axis_y) << ' '
        << coordinate(left + plot_width) << ',' << coordinate(axis_y) << "\"/>\n"
        << "<text x=\"" << coordinate(left + plot_width / 2) << "\" y=\""
        << coordinate(height - 10) << "\" text-anchor=\"middle\">" << escape(plot.x_label)
        << "</text>\n"
        << "<text x=\"16\" y=\"" << coordinate(top + plot_height / 2)
        << "\" text-anchor=\"middle\" transform=\"rotate(-90 16 "
        << coordinate(top + plot_height / 2) << ")\">" << escape(plot.y_label) << "</text>\n";

    for (std::size_t s = 0; s < plot.series.size(); ++s) {
        const auto& values = plot.series[s].values;
        const std::string color = detail::series_color(s, plot.series.size());
        out << "<g stroke=\"" << color << "\" fill=\"" << color << "\">\n";
        // One polyline per run of finite values; a lone point still shows as its marker.
        for (std::size_t i = 0; i < n;) {
            if (!std::isfinite(values[i])) {
                ++i;
                continue;
            }
            std::size_t end = i;
            while (end < n && std::isfinite(values[end])) ++end;
            if (end - i > 1) {
                out << "<polyline fill=\"none\" stroke-width=\"1.5\" points=\"";
                for (std::size_t j = i; j < end; ++j)
                    out << (j > i ? " " : "") << coordinate(x_at(j)) << ','
                        << coordinate(y_at(values[j]));
                out << "\"/>\n";
            }
            for (std::size_t j = i; j < end; ++j)
                out << "<circle cx=\"" << coordinate(x_at(j)) << "\" cy=\""
                    << coordinate(y_at(values[j])) << "\" r=\"2.5\"/>\n";
            i = end;
        }
        const double y = top + legend_row * double(s) + 6;
        out << "<line x1=\"" << coordinate(legend_x) << "\" y1=\"" << coordinate(y) << "\" x2=\""
            << coordinate(legend_x + 20) << "\" y2=\"" << coordinate(y)
            << "\" stroke-width=\"2\"/>\n"
            << "<text x=\"" << coordinate(legend_x + 26) << "\" y=\"" << coordinate(y + 4)
            << "\" stroke=\"none\" fill=\"black\">" << escape(plot.series[s].label)
            << "</text>\n</g>\n";
    }
    out << "</svg>\n";
}

inline void write(const std::filesystem::path& file, const LinePlot& plot) {
    std::ofstream out(file);
    if (!out) TYPENN_RAISE std::runtime_error("typenn: svg::write: cannot open " + file.string());
    write(out, plot);
    out.close();
    if (!out) TYPENN_RAISE std::runtime_error("typenn: svg::write: cannot write " + file.string());
}

}  // namespace typenn::svg
