// SPDX-License-Identifier: BSL-1.0
#pragma once
// GradientMonitor: gradient flow recorded during training (once per epoch, or per call),
// checked for what stalls or wrecks training — vanishing gradients in the early layers,
// exploding or non-finite ones — printed as a table and plotted as SVG.
//
//   GradientMonitor monitor;
//   ... model.backward(tape, dy);
//   monitor.record(layer_flow(model, learning_rate), "epoch " + std::to_string(epoch));
//   monitor.print(std::cout);                 // the latest record, with its issues
//   monitor.write_svg("gradient_flow.svg");   // one line per record
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "typenn/detail/raise.hpp"
#include "typenn/gradient_flow/norms.hpp"
#include "typenn/gradient_flow/number_text.hpp"
#include "typenn/gradient_flow/svg_plot.hpp"

namespace typenn {

struct FlowThresholds {
    // A layer whose gradient norm is below this fraction of the last layer's barely learns:
    // the vanishing-gradient problem of deep sigmoid and tanh stacks.
    double vanishing_ratio = 1e-3;
    // Far above the max_norm values (1 to 10) that gradient clipping is usually given.
    double exploding_norm = 1e3;
};

struct FlowIssue {
    enum class Kind { vanishing, exploding, non_finite_gradient, non_finite_parameter };
    Kind kind;
    std::string layer;
    std::string message;  // names the layer and the measured value
};

inline std::string_view to_string(FlowIssue::Kind kind) {
    switch (kind) {
        case FlowIssue::Kind::vanishing: return "vanishing";
        case FlowIssue::Kind::exploding: return "exploding";
        case FlowIssue::Kind::non_finite_gradient: return "non-finite gradient";
        case FlowIssue::Kind::non_finite_parameter: return "non-finite parameter";
    }
    return "unknown";
}

namespace detail {
inline std::string scientific(double v) {
    return number_text(v, std::chars_format::scientific, 2);
}
}  // namespace detail

// The issues of one measurement, layer by layer in network order. Vanishing compares every
// layer with the last one, the layer nearest the loss.
inline std::vector<FlowIssue> check_flow(const std::vector<LayerFlow>& layers,
                                         const FlowThresholds& thresholds = {}) {
    std::vector<FlowIssue> issues;
    if (layers.empty()) return issues;
    const LayerFlow& last = layers.back();
    const bool last_usable = std::isfinite(last.grad_norm) && last.grad_norm > 0;
    for (const auto& layer : layers) {
        using detail::scientific;
        const std::string name = layer_label(layer.name);
        const auto flag = [&](FlowIssue::Kind kind, std::string what) {
            issues.push_back({kind, layer.name, "layer " + name + ": " + std::move(what)});
        };
        if (!std::isfinite(layer.parameter_norm))
            flag(FlowIssue::Kind::non_finite_parameter,
                 "parameters hold non-finite values (norm " + scientific(layer.parameter_norm) +
                     ")");
        if (!std::isfinite(layer.grad_norm))
            flag(FlowIssue::Kind::non_finite_gradient,
                 "gradient holds non-finite values (norm " + scientific(layer.grad_norm) + ")");
        else if (layer.grad_norm > thresholds.exploding_norm)
            flag(FlowIssue::Kind::exploding,
                 "exploding gradient: norm " + scientific(layer.grad_norm) + " is above " +
                     scientific(thresholds.exploding_norm));
        else if (last_usable && layer.grad_norm < thresholds.vanishing_ratio * last.grad_norm)
            flag(FlowIssue::Kind::vanishing,
                 "vanishing gradient: norm " + scientific(layer.grad_norm) + " is " +
                     scientific(layer.grad_norm / last.grad_norm) + " times the last layer's (" +
                     layer_label(last.name) + ", " + scientific(last.grad_norm) + ")");
    }
    return issues;
}

struct FlowRecord {
    std::string label;
    std::vector<LayerFlow> layers;
    std::vector<FlowIssue> issues;
};

// A compact table: one row per layer, its issues in the last column, then their messages.
inline std::ostream& operator<<(std::ostream& out, const FlowRecord& record) {
    using detail::scientific;
    const std::vector<std::string> headers = {"layer", "grad norm", "param norm", "update/param",
                                              "grad/last", "issues"};
    std::vector<std::vector<std::string>> rows = {headers};
    const double last = record.layers.empty() ? 0 : record.layers.back().grad_norm;
    for (const auto& layer : record.layers) {
        std::string flags;
        for (const auto& issue : record.issues)
            if (issue.layer == layer.name)
                flags += (flags.empty() ? "" : ", ") + std::string(to_string(issue.kind));
        const auto ratio = layer.update_ratio();
        rows.push_back({layer_label(layer.name), scientific(layer.grad_norm),
                        scientific(layer.parameter_norm), ratio ? scientific(*ratio) : "-",
                        scientific(layer.grad_norm / last), flags});
    }
    std::vector<std::size_t> widths(headers.size(), 0);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    out << "gradient flow " << record.label << ": " << record.layers.size() << " layers, "
        << record.issues.size() << " issues\n";
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c)
            line += row[c] + std::string(widths[c] - row[c].size() + 2, ' ');
        line.erase(line.find_last_not_of(' ') + 1);
        out << "  " << line << '\n';
    }
    for (const auto& issue : record.issues) out << "  ! " << issue.message << '\n';
    return out;
}

class GradientMonitor {
public:
    explicit GradientMonitor(FlowThresholds thresholds = {}) : thresholds_(thresholds) {}

    // Checks one measurement and keeps it; the label names it in tables and legends
    // ("epoch 3"), by default its number.
    const FlowRecord& record(std::vector<LayerFlow> layers, std::string label = {}) {
        if (!records_.empty() && !same_layers(records_.front().layers, layers))
            TYPENN_RAISE std::invalid_argument(
                "typenn: GradientMonitor::record: the layers differ from those of the first "
                "record; use one monitor per model");
        if (label.empty()) label = "#" + std::to_string(records_.size() + 1);
        auto issues = check_flow(layers, thresholds_);
        records_.push_back({std::move(label), std::move(layers), std::move(issues)});
        return records_.back();
    }

    const std::vector<FlowRecord>& records() const noexcept { return records_; }
    const FlowThresholds& thresholds() const noexcept { return thresholds_; }

    // The latest record as a table.
    void print(std::ostream& out) const {
        if (records_.empty())
            out << "gradient flow: nothing recorded\n";
        else
            out << records_.back();
    }

    // log10 of each layer's gradient norm, input to output, one series per record.
    svg::LinePlot plot() const {
        if (records_.empty())
            TYPENN_RAISE std::logic_error("typenn: GradientMonitor::plot: nothing recorded");
        svg::LinePlot plot{"Gradient norm per layer", "layer, input to output",
                           "log10 gradient norm", {}, {}};
        for (const auto& layer : records_.front().layers)
            plot.categories.push_back(layer_label(layer.name));
        for (const auto& record : records_) {
            svg::Series series{record.label, {}};
            for (const auto& layer : record.layers)
                series.values.push_back(std::log10(layer.grad_norm));
            plot.series.push_back(std::move(series));
        }
        return plot;
    }

    void write_svg(std::ostream& out) const { svg::write(out, plot()); }
    void write_svg(const std::filesystem::path& file) const { svg::write(file, plot()); }

private:
    static bool same_layers(const std::vector<LayerFlow>& a, const std::vector<LayerFlow>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                          [](const auto& x, const auto& y) { return x.name == y.name; });
    }

    FlowThresholds thresholds_;
    std::vector<FlowRecord> records_;
};

}  // namespace typenn
