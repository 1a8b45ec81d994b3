// SPDX-License-Identifier: BSL-1.0
#pragma once
// What every optimizer shares: the model it trains, a learning rate that schedules change
// between steps, and one flat index over every parameter element, so that per-element state
// (momentum, moments) is allocated once at construction and step() never allocates.
// Hyperparameters are doubles, as PyTorch's are Python floats; a step converts them to the
// model's scalar where it uses them.
#include <cmath>
#include <concepts>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#include "typenn/concepts/scalar.hpp"
#include "typenn/detail/raise.hpp"
#include "typenn/key_path.hpp"

namespace typenn::optim {

// A Model<Net, T>, or anything that visits Parameter{value, grad} entries the same way.
template <class M>
concept TrainableModel = requires(M& model) {
    typename M::scalar;
    model.zero_grad();
} && Scalar<typename M::scalar>;

// What schedules need from an optimizer.
template <class O>
concept LearningRateControl = requires(O& optimizer, double lr) {
    { optimizer.lr() } -> std::convertible_to<double>;
    optimizer.set_lr(lr);
    { optimizer.schedule_base_lr() } -> std::convertible_to<double>;
};

namespace detail {
inline void require(bool holds, const std::string& message) {
    if (!holds) TYPENN_RAISE std::invalid_argument("typenn: " + message);
}
}  // namespace detail

template <TrainableModel M>
class Optimizer {
public:
    using scalar = typename M::scalar;

    double lr() const noexcept { return lr_; }
    void set_lr(double lr) { lr_ = lr; }

    // The learning rate schedules start from: the one set when the first schedule was
    // attached, kept from then on (PyTorch's param_group['initial_lr'], set by setdefault),
    // so that a schedule built after another one changed the rate still starts from it.
    double schedule_base_lr() {
        if (!initial_lr_) initial_lr_ = lr_;
        return *initial_lr_;
    }

    void zero_grad() { model_.zero_grad(); }

    // Trainable elements over all parameters: the length of each per-element state.
    std::size_t element_count() const noexcept { return element_count_; }

protected:
    Optimizer(M& model, double lr, const char* name) : model_(model), lr_(lr) {
        detail::require(!std::isnan(lr),
                        std::string(name) + " needs a learning rate (.lr), as torch.optim does");
        detail::require(lr >= 0, std::string(name) + ": invalid learning rate " +
                                     std::to_string(lr) + " (PyTorch: 'Invalid learning rate')");
        for_each_parameter([&](scalar*, const scalar*, std::size_t, std::size_t count) {
            element_count_ += count;
        });
    }

    // f(value, grad, first, count) for every trainable parameter, in state_dict order: its
    // count elements and their gradients, and the index of its first element into per-element
    // state. A whole tensor per call, so that the update loops vectorise.
    template <class F>
    void for_each_parameter(F&& f) {
        std::size_t first = 0;
        model_.visit([&](const KeyPath&, auto entry) {
            if constexpr (requires { entry.grad; }) {
                f(entry.value.data(), entry.grad.data(), first, entry.value.size());
                first += entry.value.size();
            }
        });
    }

private:
    M& model_;
    double lr_;
    std::optional<double> initial_lr_;
    std::size_t element_count_ = 0;
};

}  // namespace typenn::optim
