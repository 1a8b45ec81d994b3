// SPDX-License-Identifier: BSL-1.0
#pragma once
// Gradient flow: the L2 norms of every parameter's gradient and value, by state_dict name,
// and the same per layer (the module that owns the parameters: "3.body.0" for
// "3.body.0.weight" and "3.body.0.bias"), measured after a backward pass. What a PyTorch user
// computes by hand from p.grad.norm() to see whether gradients vanish or explode.
//
// The update/parameter ratio (healthy training steps are commonly around 1e-3) comes from
// either the learning rate, as the plain SGD step lr·‖g‖, or from a copy of the model taken
// before the optimizer step, as ‖after − before‖. In both cases the norms describe the model
// the step starts from.
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "typenn/concepts/model.hpp"
#include "typenn/key_path.hpp"
#include "typenn/model.hpp"

namespace typenn {

struct ParameterFlow {
    std::string name;  // "3.body.0.weight"
    double grad_norm = 0;
    double value_norm = 0;
    std::optional<double> update_norm;  // known when a step is given

    std::optional<double> update_ratio() const {
        if (!update_norm) return std::nullopt;
        return *update_norm / value_norm;
    }
};

struct LayerFlow {
    std::string name;      // "3.body.0"; "" when the model is a single layer
    double grad_norm = 0;  // over all the layer's parameters (weights and biases)
    double parameter_norm = 0;
    std::optional<double> update_norm;

    std::optional<double> update_ratio() const {
        if (!update_norm) return std::nullopt;
        return *update_norm / parameter_norm;
    }
};

// The layer that owns a parameter: its name without the last segment.
inline std::string_view owner_of(std::string_view parameter) {
    const auto dot = parameter.rfind('.');
    return dot == std::string_view::npos ? std::string_view{} : parameter.substr(0, dot);
}

// How reports show a layer; a model that is a single layer owns its parameters itself.
inline std::string layer_label(std::string_view layer) {
    return layer.empty() ? std::string("(model)") : std::string(layer);
}

namespace detail {

// Accumulated in double, where the square of any finite float is finite: the norm of a float
// tensor is non-finite exactly when one of its elements is.
template <class T>
double sum_of_squares(const T* values, std::size_t count) {
    double sum = 0;
    for (std::size_t k = 0; k < count; ++k) sum += double(values[k]) * double(values[k]);
    return sum;
}

template <class T>
double distance(const T* a, const T* b, std::size_t count) {
    double sum = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const double d = double(a[k]) - double(b[k]);
        sum += d * d;
    }
    return std::sqrt(sum);
}

// Calls f(key, value, grad) for every trainable tensor, skipping buffers.
template <AnyModel M, class F>
void for_each_parameter(const M& model, F&& f) {
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; }) f(key, entry.value, entry.grad);
    });
}

}  // namespace detail

template <AnyModel M>
std::vector<ParameterFlow> parameter_flow(const M& model) {
    std::vector<ParameterFlow> flows;
    detail::for_each_parameter(model, [&](const KeyPath& key, const auto& value, const auto& grad) {
        auto& flow = flows.emplace_back();
        flow.name = key.str();
        flow.grad_norm = std::sqrt(detail::sum_of_squares(grad.data(), grad.size()));
        flow.value_norm = std::sqrt(detail::sum_of_squares(value.data(), value.size()));
    });
    return flows;
}

// With the update a plain SGD step at this learning rate would make.
template <AnyModel M>
std::vector<ParameterFlow> parameter_flow(const M& model, double learning_rate) {
    auto flows = parameter_flow(model);
    for (auto& flow : flows) flow.update_norm = learning_rate * flow.grad_norm;
    return flows;
}

// With the update an optimizer made: `before` is a copy of the model taken after backward and
// before the step, `after` the model after it.
template <AnyModel M>
std::vector<ParameterFlow> parameter_flow(const M& before, const M& after) {
    auto flows = parameter_flow(before);
    std::vector<const typename M::scalar*> before_values;
    detail::for_each_parameter(before, [&](const KeyPath&, const auto& value, const auto&) {
        before_values.push_back(value.data());
    });
    std::size_t index = 0;
    detail::for_each_parameter(after, [&](const KeyPath&, const auto& value, const auto&) {
        flows[index].update_norm =
            detail::distance(value.data(), before_values[index], value.size());
        ++index;
    });
    return flows;
}

// Parameters grouped by the layer that owns them, in network order; a layer's norms are the
// norms of all its parameters taken together.
inline std::vector<LayerFlow> layer_flow(const std::vector<ParameterFlow>& parameters) {
    std::vector<LayerFlow> layers;
    // Sums of squares while grouping, norms once a layer is complete.
    for (const auto& parameter : parameters) {
        const auto owner = owner_of(parameter.name);
        if (layers.empty() || layers.back().name != owner) {
            layers.emplace_back().name = owner;
            if (parameter.update_norm) layers.back().update_norm = 0;
        }
        auto& layer = layers.back();
        layer.grad_norm += parameter.grad_norm * parameter.grad_norm;
        layer.parameter_norm += parameter.value_norm * parameter.value_norm;
        if (parameter.update_norm)
            *layer.update_norm += *parameter.update_norm * *parameter.update_norm;
    }
    for (auto& layer : layers) {
        layer.grad_norm = std::sqrt(layer.grad_norm);
        layer.parameter_norm = std::sqrt(layer.parameter_norm);
        if (layer.update_norm) layer.update_norm = std::sqrt(*layer.update_norm);
    }
    return layers;
}

// layer_flow(model), layer_flow(model, learning_rate), layer_flow(before, after): as
// parameter_flow, per layer.
template <class... Args>
    requires requires(const Args&... args) { parameter_flow(args...); }
std::vector<LayerFlow> layer_flow(const Args&... args) {
    return layer_flow(parameter_flow(args...));
}

}  // namespace typenn
