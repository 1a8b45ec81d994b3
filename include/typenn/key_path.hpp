// SPDX-License-Identifier: BSL-1.0
#pragma once
// The dotted names of PyTorch's state_dict ("2.body.0.weight"), built on the stack while a
// model is traversed and turned into a string only by those who need one (I/O, reports), so
// that optimizers can walk the same traversal without allocating.
#include <cstddef>
#include <string>
#include <string_view>

namespace typenn {

class KeyPath {
public:
    KeyPath() = default;

    constexpr KeyPath operator/(std::string_view segment) const {
        return KeyPath(this, segment, 0);
    }
    constexpr KeyPath operator/(std::size_t index) const { return KeyPath(this, {}, index); }

    std::string str() const {
        std::string out;
        append_to(out);
        return out;
    }

    // Whether str() == dotted, without building the string: usable in constant expressions
    // (weights baked into a program are matched to a model's keys at compile time).
    constexpr bool spells(std::string_view dotted) const {
        if (parent_ == nullptr) return dotted.empty();
        if (segment_.empty()) {
            std::size_t digits = index_;
            do {
                if (dotted.empty() || dotted.back() != char('0' + digits % 10)) return false;
                dotted.remove_suffix(1);
                digits /= 10;
            } while (digits != 0);
        } else {
            if (!dotted.ends_with(segment_)) return false;
            dotted.remove_suffix(segment_.size());
        }
        if (parent_->parent_ == nullptr) return dotted.empty();
        if (!dotted.ends_with('.')) return false;
        dotted.remove_suffix(1);
        return parent_->spells(dotted);
    }

private:
    constexpr KeyPath(const KeyPath* parent, std::string_view segment, std::size_t index)
        : parent_(parent), segment_(segment), index_(index) {}

    void append_to(std::string& out) const {
        if (parent_ == nullptr) return;
        parent_->append_to(out);
        if (!out.empty()) out += '.';
        if (segment_.empty())
            out += std::to_string(index_);
        else
            out += segment_;
    }

    const KeyPath* parent_ = nullptr;
    std::string_view segment_;
    std::size_t index_ = 0;
};

// What a layer says a parameter is for, where a visitor treats kinds differently: weight
// initialisers redraw the tensors that declare PyTorch's fans (Linear's weight and bias) and
// leave every other parameter as its layer set it. Most visitors ignore it.
namespace parameter_role {
struct unspecified {};
// y = x·Wᵀ with W stored [FanOut, FanIn].
template <std::size_t FanIn, std::size_t FanOut>
struct weight_matrix {
    static constexpr std::size_t fan_in = FanIn;
    static constexpr std::size_t fan_out = FanOut;
};
// The bias added after a weight_matrix with that fan_in.
template <std::size_t FanIn>
struct matrix_bias {
    static constexpr std::size_t fan_in = FanIn;
};
}  // namespace parameter_role

// What a traversal hands its visitor: a trainable tensor with its gradient, or a buffer
// (running statistics, counters) that is saved and loaded but not trained.
template <class Value, class Role = parameter_role::unspecified>
struct Parameter {
    using role = Role;
    Value& value;
    Value& grad;
};

template <class Role, class Value>
constexpr Parameter<Value, Role> parameter(Value& value, Value& grad) {
    return {value, grad};
}

template <class Value>
struct Buffer {
    Value& value;
};

// Spelled out for compilers without C++20's deduction for aggregates (clang before 17, which
// builds the libFuzzer target).
template <class Value>
Parameter(Value&, Value&) -> Parameter<Value>;
template <class Value>
Buffer(Value&) -> Buffer<Value>;

// A traversal that hands its visitor only the gradients, f(key, grad) (Model::visit_gradients:
// zero_grad, clipping): no value can change in it, so a layer keeps its derived state as it
// is, where any other writing traversal makes it anew.
template <class F>
struct GradientVisit {
    F& f;
    template <class Value, class Role>
    constexpr void operator()(const KeyPath& key, Parameter<Value, Role> entry) const {
        f(key, entry.grad);
    }
    template <class Value>
    constexpr void operator()(const KeyPath&, Buffer<Value>) const {}
};

template <class F>
inline constexpr bool may_change_values = true;
template <class F>
inline constexpr bool may_change_values<GradientVisit<F>> = false;

}  // namespace typenn
