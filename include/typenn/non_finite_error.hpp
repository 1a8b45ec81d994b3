// SPDX-License-Identifier: BSL-1.0
#pragma once
// NonFiniteError: what a model under execution::Checked throws at the first NaN or infinity
// of a pass (execution/checked.hpp), saying where it appeared: which kind of value, in which
// pass, in which layer (its key path as in state_dict, and its type), at which element.
// Its message starts with "typenn: " and reads, for example,
//   typenn: non-finite activation in the training forward pass: output of layer 3.body.0
//   (Linear<20, 20>) at row 5, column 7 is inf
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace typenn {

class NonFiniteError : public std::runtime_error {
public:
    enum class Kind {
        activation,       // a layer's output
        gradient,         // the gradient of a parameter, or the one a layer passes to its input
        parameter,        // a parameter's value, or a buffer's (BatchNorm's running statistics)
        input,            // the model's input x, before any layer runs
        output_gradient,  // dy, the gradient of the model's output that backward receives
    };
    enum class Pass { inference_forward, training_forward, backward };

    // Where the value is. `tensor` names the parameter or buffer of the layer ("weight"),
    // empty for the layer's output and for the gradient it passes to its input. A vector
    // (bias, running statistics) is one row. The model's input and dy belong to no layer:
    // `layer` and `layer_name` are empty.
    struct Site {
        Kind kind;
        Pass pass;
        std::string layer;  // key path: "3.body.0"; empty for a model that is one layer
        std::string layer_name;
        std::string tensor;
        bool buffer = false;
        bool vector = false;
        std::size_t row = 0;
        std::size_t column = 0;
        double value = 0;
    };

    explicit NonFiniteError(Site site) : std::runtime_error(describe(site)), site_(std::move(site)) {}

    Kind kind() const noexcept { return site_.kind; }
    Pass pass() const noexcept { return site_.pass; }
    const std::string& layer() const noexcept { return site_.layer; }
    const std::string& layer_name() const noexcept { return site_.layer_name; }
    // The state_dict key of the parameter or buffer ("3.body.0.weight"), or the layer's path.
    std::string key() const { return key_of(site_); }
    std::size_t row() const noexcept { return site_.row; }
    std::size_t column() const noexcept { return site_.column; }
    double value() const noexcept { return site_.value; }

    // The same error as the combinator holding the layer at `segment` of its key path sees
    // it: combinators prepend their segments while the error leaves the model.
    NonFiniteError prepend(std::string_view segment) const {
        Site site = site_;
        site.layer = site.layer.empty() ? std::string(segment)
                                        : std::string(segment) + "." + site.layer;
        return NonFiniteError(std::move(site));
    }
    NonFiniteError prepend(std::size_t index) const { return prepend(std::to_string(index)); }

    // The same error as a caller sees it that passed the batch on from row `first` of a larger
    // one (Model::predict's tiles): rows of the batch (an input, an activation) move, rows of
    // a parameter do not.
    NonFiniteError from_row(std::size_t first) const {
        Site site = site_;
        if (site.kind == Kind::activation || site.kind == Kind::input) site.row += first;
        return NonFiniteError(std::move(site));
    }

private:
    static std::string key_of(const Site& s) {
        if (s.tensor.empty() || s.layer.empty()) return s.layer + s.tensor;
        return s.layer + "." + s.tensor;
    }

    static std::string describe(const Site& s) {
        static constexpr const char* kinds[] = {"activation", "gradient", "parameter", "input",
                                                "output gradient"};
        static constexpr const char* passes[] = {"the inference forward pass",
                                                 "the training forward pass", "the backward pass"};
        const std::string layer =
            s.layer.empty() ? s.layer_name : "layer " + s.layer + " (" + s.layer_name + ")";
        std::string where;
        if (s.kind == Kind::input)
            where = "the model's input x";
        else if (s.kind == Kind::output_gradient)
            where = "dy, the gradient of the model's output,";
        else if (s.tensor.empty())
            where = s.kind == Kind::activation ? "output of " + layer
                                               : "gradient that " + layer + " passes to its input";
        else
            where = std::string(s.kind == Kind::gradient ? "gradient of "
                                : s.buffer              ? "buffer "
                                                        : "parameter ") +
                    key_of(s) + " (" + s.layer_name + ")";
        const std::string at = s.vector ? "index " + std::to_string(s.column)
                                        : "row " + std::to_string(s.row) + ", column " +
                                              std::to_string(s.column);
        const std::string value = std::isnan(s.value) ? "nan" : s.value < 0 ? "-inf" : "inf";
        return "typenn: non-finite " + std::string(kinds[int(s.kind)]) + " in " +
               passes[int(s.pass)] + ": " + where + " at " + at + " is " + value;
    }

    Site site_;
};

}  // namespace typenn
