// SPDX-License-Identifier: BSL-1.0
// What GradientMonitor shows: the table, and an SVG plot that must be well-formed XML
// whatever the labels hold (checked here, so that the tests need no XML tool).
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <cstddef>
#include <iostream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <typenn/gradient_flow.hpp>

using namespace typenn;

namespace {

// A well-formedness check for the XML subset an SVG writer produces: an optional XML
// declaration, then one element with nested elements, quoted attributes and text, where
// every '&' starts a known entity and '<' never appears in text or attribute values.
// Returns what is wrong, or nothing.
class XmlChecker {
public:
    explicit XmlChecker(std::string_view text) : text_(text) {}

    std::optional<std::string> check() {
        if (text_.starts_with("<?xml")) {
            const auto end = text_.find("?>");
            if (end == std::string_view::npos) return "unterminated XML declaration";
            at_ = end + 2;
        }
        skip_space();
        if (!peek('<')) return "no root element";
        if (auto error = element()) return error;
        skip_space();
        if (at_ != text_.size()) return "content after the root element at " + position();
        return std::nullopt;
    }

private:
    std::optional<std::string> element() {
        ++at_;  // '<'
        const std::string tag = name();
        if (tag.empty()) return "element without a name at " + position();
        std::set<std::string> attributes;
        for (;;) {
            const bool spaced = skip_space();
            if (text_.substr(at_).starts_with("/>")) {
                at_ += 2;
                return std::nullopt;
            }
            if (peek('>')) {
                ++at_;
                break;
            }
            const std::string attribute = name();
            if (attribute.empty() || !spaced) return "malformed attribute at " + position();
            if (!attributes.insert(attribute).second) return "repeated attribute " + attribute;
            if (!peek('=')) return "attribute " + attribute + " without a value";
            ++at_;
            if (!peek('"') && !peek('\'')) return "unquoted attribute " + attribute;
            const char quote = text_[at_++];
            const auto end = text_.find(quote, at_);
            if (end == std::string_view::npos) return "unterminated attribute " + attribute;
            if (auto error = character_data(text_.substr(at_, end - at_))) return error;
            at_ = end + 1;
        }
        for (;;) {
            const auto next = text_.find('<', at_);
            if (next == std::string_view::npos) return "unclosed element " + tag;
            if (auto error = character_data(text_.substr(at_, next - at_))) return error;
            at_ = next;
            if (text_.substr(at_).starts_with("</")) {
                at_ += 2;
                const std::string closing = name();
                skip_space();
                if (closing != tag || !peek('>'))
                    return "element " + tag + " closed by '" + closing + "' at " + position();
                ++at_;
                return std::nullopt;
            }
            if (auto error = element()) return error;
        }
    }

    std::optional<std::string> character_data(std::string_view data) const {
        for (std::size_t k = 0; k < data.size(); ++k) {
            if (data[k] == '<') return "'<' in character data";
            if (static_cast<unsigned char>(data[k]) < 0x20 && !std::isspace(data[k]))
                return "control character in character data";
            if (data[k] != '&') continue;
            const auto end = data.find(';', k);
            if (end == std::string_view::npos) return "'&' without an entity";
            const auto entity = data.substr(k + 1, end - k - 1);
            static const std::set<std::string_view> known = {"amp", "lt", "gt", "quot", "apos"};
            if (!known.contains(entity)) return "unknown entity &" + std::string(entity) + ";";
            k = end;
        }
        return std::nullopt;
    }

    std::string name() {
        const std::size_t start = at_;
        while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) ||
                                      text_[at_] == '-' || text_[at_] == ':' || text_[at_] == '_'))
            ++at_;
        return std::string(text_.substr(start, at_ - start));
    }

    bool skip_space() {
        const std::size_t start = at_;
        while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
        return at_ > start;
    }

    bool peek(char c) const { return at_ < text_.size() && text_[at_] == c; }
    std::string position() const { return "offset " + std::to_string(at_); }

    std::string_view text_;
    std::size_t at_ = 0;
};

std::optional<std::string> xml_error(std::string_view text) { return XmlChecker(text).check(); }

std::size_t occurrences(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

LayerFlow layer(std::string name, double grad_norm) {
    LayerFlow flow;
    flow.name = std::move(name);
    flow.grad_norm = grad_norm;
    flow.parameter_norm = 1;
    return flow;
}

}  // namespace

TEST_CASE("the XML checker rejects what is not well-formed") {
    CHECK_FALSE(xml_error("<?xml version=\"1.0\"?>\n<a x=\"1\"><b/>t &amp; u</a>\n"));
    CHECK(xml_error("<a><b></a></b>"));
    CHECK(xml_error("<a>x & y</a>"));
    CHECK(xml_error("<a t=\"<\"/>"));
    CHECK(xml_error("<a t=1/>"));
    CHECK(xml_error("<a x=\"1\" x=\"2\"/>"));
    CHECK(xml_error("<a/><b/>"));
    CHECK(xml_error("<a>"));
    CHECK(xml_error("<a>&nbsp;</a>"));
}

TEST_CASE("svg::escape makes any text safe in XML") {
    CHECK(svg::escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    CHECK(svg::escape(std::string("bell\a")) == "bell?");
}

TEST_CASE("the monitor's SVG plot: well-formed, one line per record, gaps for zero norms") {
    GradientMonitor monitor;
    monitor.record({layer("0", 1e-9), layer("1.body.0", 1e-4), layer("2", 0.5)},
                   "epoch <1> & \"first\"");
    monitor.record({layer("0", 0.0), layer("1.body.0", 1e-3), layer("2", 0.25)});
    monitor.record({layer("0", 1e-2), layer("1.body.0", std::numeric_limits<double>::quiet_NaN()),
                    layer("2", 0.1)},
                   "epoch 3");
    std::ostringstream out;
    monitor.write_svg(out);
    const std::string svg = out.str();

    INFO(svg);
    REQUIRE_FALSE(xml_error(svg));
    CHECK(svg.starts_with("<?xml"));
    CHECK_THAT(svg, Catch::Contains(">epoch &lt;1&gt; &amp; &quot;first&quot;</text>"));
    CHECK_THAT(svg, Catch::Contains(">#2</text>"));
    CHECK_THAT(svg, Catch::Contains(">1.body.0</text>"));
    CHECK_THAT(svg, Catch::Contains(">log10 gradient norm</text>"));
    // Record 1 is one line through 3 points; record 2 lacks its first point (log10 0) and
    // record 3 its middle one, which leaves 2 + 2 lone points: 2 data lines and the axes.
    CHECK(occurrences(svg, "<polyline") == 3);
    CHECK(occurrences(svg, "<circle") == 3 + 2 + 2);
    // y ticks span log10 1e-9 .. log10 0.5, in steps of 2.
    CHECK_THAT(svg, Catch::Contains(">-10</text>"));
    CHECK_THAT(svg, Catch::Contains(">0</text>"));

    const auto plot = monitor.plot();
    REQUIRE(plot.series.size() == 3);
    CHECK(plot.categories == std::vector<std::string>{"0", "1.body.0", "2"});
    CHECK(plot.series[0].values[0] == Approx(-9.0));
    CHECK(std::isinf(plot.series[1].values[0]));
}

TEST_CASE("the monitor checks every record and prints the latest as a table") {
    GradientMonitor monitor(FlowThresholds{.vanishing_ratio = 1e-2, .exploding_norm = 10});
    std::ostringstream empty;
    monitor.print(empty);
    CHECK(empty.str() == "gradient flow: nothing recorded\n");
    CHECK_THROWS_WITH(monitor.plot(), Catch::StartsWith("typenn: "));

    const auto& first = monitor.record({layer("0", 1e-4), layer("2", 20), layer("4", 0.5)});
    CHECK(first.label == "#1");
    REQUIRE(first.issues.size() == 2);
    CHECK(first.issues[0].kind == FlowIssue::Kind::vanishing);
    CHECK(first.issues[0].layer == "0");
    CHECK(first.issues[1].kind == FlowIssue::Kind::exploding);
    CHECK(first.issues[1].layer == "2");

    auto steady = layer("4", 0.5);
    steady.update_norm = 1e-3;
    monitor.record({layer("0", 0.2), layer("2", 0.3), steady}, "epoch 2");
    CHECK(monitor.records().size() == 2);
    CHECK(monitor.records().back().issues.empty());

    std::ostringstream table;
    monitor.print(table);
    CHECK(table.str() ==
          "gradient flow epoch 2: 3 layers, 0 issues\n"
          "  layer  grad norm  param norm  update/param  grad/last  issues\n"
          "  0      2.00e-01   1.00e+00    -             4.00e-01\n"
          "  2      3.00e-01   1.00e+00    -             6.00e-01\n"
          "  4      5.00e-01   1.00e+00    1.00e-03      1.00e+00\n");

    std::ostringstream flagged;
    flagged << monitor.records().front();
    CHECK_THAT(flagged.str(), Catch::Contains("  0      1.00e-04   1.00e+00    -             "
                                              "2.00e-04   vanishing\n"));
    CHECK_THAT(flagged.str(), Catch::Contains("  ! layer 2: exploding gradient: norm 2.00e+01 "
                                              "is above 1.00e+01\n"));

    CHECK_THROWS_WITH(monitor.record({layer("0", 1), layer("1", 1)}),
                      Catch::StartsWith("typenn: GradientMonitor::record: the layers differ"));
}

TEST_CASE("svg::write refuses a plot it cannot draw") {
    svg::LinePlot plot;
    CHECK_THROWS_WITH(svg::write(std::cout, plot), Catch::StartsWith("typenn: svg::write"));
    plot.categories = {"a", "b"};
    plot.series = {{"short", {1.0}}};
    CHECK_THROWS_WITH(svg::write(std::cout, plot),
                      Catch::Contains("series 'short' has 1 values for 2 categories"));
}
