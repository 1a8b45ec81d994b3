// SPDX-License-Identifier: BSL-1.0
#pragma once
// Model<Net, T>: the parameters, gradients and buffers of network type Net, and what it derives
// from them for inference, stored inline, and the passes that use them. Inference is const,
// thread-safe and allocation-free; training goes through a caller-owned Tape.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "typenn/baked.hpp"
#include "typenn/concepts/scalar.hpp"
#include "typenn/detail/dead_end.hpp"
#include "typenn/detail/raise.hpp"
#include "typenn/diagnostic/shape_errors.hpp"
#include "typenn/execution/checked.hpp"
#include "typenn/execution/layer_runner.hpp"
#include "typenn/execution/policy.hpp"
#include "typenn/key_path.hpp"
#include "typenn/non_finite_error.hpp"
#include "typenn/predict.hpp"
#include "typenn/tape.hpp"
#include "typenn/tensor.hpp"

namespace typenn {

inline constexpr std::uint64_t default_seed = 0x7e9e22;

namespace detail {
template <class Net, class T, bool Runnable = runnable<Net>()>
struct state_of {
    using type = DeadEnd;
};
template <class Net, class T>
struct state_of<Net, T, true> {
    using type = typename Net::template state<Net::in_features, T>;
};
}  // namespace detail

template <class Net, Scalar T = float, execution::ExecutionPolicy Policy = execution::Fused>
class Model {
public:
    using network = Net;
    using scalar = T;
    using policy = Policy;
    using state_type = typename detail::state_of<Net, T>::type;
    static constexpr std::size_t in_features = checked_shape<Net>::in_features;
    static constexpr std::size_t out_features = checked_shape<Net>::out_features;

    // Initialised as PyTorch initialises the same layers, from a fixed seed by default.
    Model() : Model(default_seed) {}
    explicit Model(std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        reset_parameters(rng);
    }
    template <std::uniform_random_bit_generator Rng>
    explicit Model(Rng& rng) {
        reset_parameters(rng);
    }
    // Built by the compiler from weights baked into the program (typenn/baked.hpp), so that
    // the model can be declared constinit or constexpr; gradients start at zero.
    consteval explicit Model(const BakedWeights<T>& weights) {
        detail::restore_baked(state_, weights);
    }

    template <std::uniform_random_bit_generator Rng>
    void reset_parameters(Rng& rng) {
        if constexpr (runnable) Net::template reset_parameters<in_features>(state_, rng);
        zero_grad();
    }

    // Inference: BatchNorm uses its running statistics.
    template <std::size_t B, std::size_t W>
    auto forward(const BasicTensor<T, B, W>& x) const {
        if constexpr (!accepts_input<W>()) {
            return detail::DeadEnd{};
        } else {
            check_from_caller(x.data(), B, in_features, NonFiniteError::Kind::input,
                             NonFiniteError::Pass::inference_forward);
            BasicTensor<T, B, out_features> y;
            execution::LayerRunner<Policy, Net>::template forward<in_features, B>(
                state_, x.data(), y.data());
            return y;
        }
    }

    // Inference on any number of rows: X is [rows, in_features] (an xt::xtensor, a view or
    // any 2-D expression), run in tiles of Tile rows (typenn/predict.hpp).
    template <std::size_t Tile = predict_tile_rows, class E>
    xt::xtensor<T, 2> predict(const xt::xexpression<E>& x) const {
        return detail::predict_in_tiles<Tile>(*this, x.derived_cast());
    }

    // Training forward over the first rows.count rows of x (all of them by default): BatchNorm
    // normalises with those rows' statistics and updates its running statistics. Rows past
    // the count are zero in the result.
    template <std::size_t B, std::size_t W>
    auto forward(const BasicTensor<T, B, W>& x, Tape<Net, B, T>& tape, Rows rows = Rows{B}) {
        if constexpr (!accepts_input<W>()) {
            return detail::DeadEnd{};
        } else {
            if (rows.count < 1 || rows.count > B)
                TYPENN_RAISE std::invalid_argument("typenn: Model::forward: Rows{" +
                                                   std::to_string(rows.count) + "} is outside 1.." +
                                                   std::to_string(B));
            check_from_caller(x.data(), rows.count, in_features, NonFiniteError::Kind::input,
                             NonFiniteError::Pass::training_forward);
            tape.input = x;
            tape.rows = rows.count;
            tape.output.fill(T(0));
            execution::LayerRunner<Policy, Net>::template forward_train<in_features>(
                state_, tape.layers, tape.input.data(), tape.output.data(), rows.count);
            return tape.output;
        }
    }

    // Accumulates (+=) dL/dparameter into the gradients, for the rows of the tape's last
    // training forward. The gradient of the input is not computed: a network's input needs
    // none when it is data, and skipping it saves one of the first Linear's three products.
    template <std::size_t B>
    void backward(Tape<Net, B, T>& tape, const BasicTensor<T, B, out_features>& dy) {
        run_backward(tape, dy, static_cast<BasicTensor<T, B, in_features>*>(nullptr));
    }

    // The same, and dx = dL/dx for those rows (other rows of dx are zero): for a network that
    // feeds on another's output, or a gradient check.
    template <std::size_t B>
    void backward(Tape<Net, B, T>& tape, const BasicTensor<T, B, out_features>& dy,
                  BasicTensor<T, B, in_features>& dx) {
        run_backward(tape, dy, &dx);
    }

    // After a failed shape check, whatever a training forward returned is accepted silently.
    template <std::size_t B>
        requires(!detail::runnable<Net>())
    void backward(Tape<Net, B, T>&, const detail::DeadEnd&) {}

    void zero_grad() {
        visit_gradients([](const KeyPath&, auto& grad) { grad.fill(T(0)); });
    }

    // Calls f(KeyPath, Parameter{value, grad}) or f(KeyPath, Buffer{value}) for every tensor,
    // in the order and with the names of PyTorch's state_dict().
    template <class F>
    constexpr void visit(F&& f) {
        state_type::visit(state_, KeyPath{}, f);
    }
    template <class F>
    constexpr void visit(F&& f) const {
        state_type::visit(state_, KeyPath{}, f);
    }

    // Calls f(KeyPath, grad) for every parameter's gradient, in the same order. Unlike a
    // writing visit, it leaves the derived state (remake_derived) as it is.
    template <class F>
    constexpr void visit_gradients(F&& f) {
        visit(GradientVisit<std::remove_reference_t<F>>{f});
    }
    template <class F>
    constexpr void visit_gradients(F&& f) const {
        visit(GradientVisit<std::remove_reference_t<F>>{f});
    }

    constexpr const state_type& state() const noexcept { return state_; }

    // Write access to the state through the returned handle, `model.edit()->get<0>().weight(0,
    // 0) = 1;`, which remakes the derived state when it goes: write through the handle while it
    // lives, never through a reference kept past it.
    class EditedState {
    public:
        explicit EditedState(Model& model) noexcept : model_(model) {}
        EditedState(const EditedState&) = delete;
        EditedState& operator=(const EditedState&) = delete;
        ~EditedState() { model_.remake_derived(); }

        state_type* operator->() const noexcept { return &model_.state_; }

    private:
        Model& model_;
    };
    [[nodiscard]] EditedState edit() & noexcept { return EditedState(*this); }
    EditedState edit() && = delete;

    // The derived state: what the model keeps of its parameters in the form inference wants (a
    // Linear's weight_t, a BatchNorm's inference_scale and inference_shift). Each layer remakes
    // its own at the end of a non-const visit (so after optimizer steps, load, the
    // initialisers; not after visit_gradients: zero_grad, clipping), after a training forward
    // and in reset_parameters, and edit()'s handle remakes all of it. Only a pass run from
    // inside a writing visit, before the visit has finished with that layer, would see the old
    // form: call this first (a gradient check).
    void remake_derived() {
        visit([](const KeyPath&, auto) {});
    }

private:
    static constexpr bool runnable = detail::runnable<Net>();

    template <std::size_t W>
    static constexpr bool accepts_input() {
        if constexpr (!runnable)
            return false;
        else if constexpr (W != in_features)
            return !diagnostic::forward_input_width_mismatch<
                Net, diagnostic::takes_width<in_features>,
                diagnostic::receives_width<W>>::reported;
        return true;
    }

    template <std::size_t B>
    void run_backward(Tape<Net, B, T>& tape, const BasicTensor<T, B, out_features>& dy,
                      BasicTensor<T, B, in_features>* dx) {
        if constexpr (runnable) {
            if (tape.rows == 0)
                TYPENN_RAISE std::logic_error(
                    "typenn: Model::backward: the tape holds no training forward pass");
            check_from_caller(dy.data(), tape.rows, out_features,
                             NonFiniteError::Kind::output_gradient, NonFiniteError::Pass::backward);
            if (dx) dx->fill(T(0));
            execution::LayerRunner<Policy, Net>::template backward<in_features>(
                state_, tape.layers, tape.input.data(), tape.output.data(), dy.data(),
                dx ? dx->data() : nullptr, tape.rows);
        }
    }

    // Under execution::Checked, what enters the model from outside: x, dy.
    static void check_from_caller(const T* values, std::size_t rows, std::size_t columns,
                                 NonFiniteError::Kind kind, NonFiniteError::Pass pass) {
        if constexpr (std::is_same_v<Policy, execution::Checked>)
            execution::checked::from_caller(values, rows, columns, kind, pass);
    }

    state_type state_;
};

}  // namespace typenn
