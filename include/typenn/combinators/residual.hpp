// SPDX-License-Identifier: BSL-1.0
#pragma once
// Residual<Body, Shortcut>: body(x) + shortcut(x); Residual<Body> is body(x) + x.
// Keys "body." and "shortcut." as in a module with those two attributes.
// Shape rule: Body and Shortcut take the same width and give the same width; without a
// shortcut, Body must keep the width it receives.
#include <cstddef>
#include <string>
#include <type_traits>

#include "typenn/array.hpp"
#include "typenn/concepts/layer.hpp"
#include "typenn/diagnostic/layer_contract.hpp"
#include "typenn/diagnostic/shape_errors.hpp"
#include "typenn/execution/checked.hpp"
#include "typenn/execution/layer_runner.hpp"
#include "typenn/kernels/reference.hpp"
#include "typenn/key_path.hpp"
#include "typenn/layers/identity.hpp"
#include "typenn/tensor.hpp"
#include "typenn/width.hpp"

namespace typenn {

template <class Body, class Shortcut = Identity>
struct Residual {
    static constexpr bool identity_shortcut = std::is_same_v<Shortcut, Identity>;
    static constexpr bool is_combinator = true;

    static constexpr std::size_t in_features =
        checked_shape<Body>::in_features != any_width ? checked_shape<Body>::in_features
                                                      : checked_shape<Shortcut>::in_features;
    static constexpr std::size_t body_gives = output_width<checked_shape<Body>>(in_features);
    static constexpr std::size_t shortcut_gives =
        output_width<checked_shape<Shortcut>>(in_features);
    static constexpr std::size_t out_features =
        body_gives != any_width ? body_gives : shortcut_gives;

private:
    static constexpr bool inputs_agree =
        widths_agree(checked_shape<Body>::in_features, checked_shape<Shortcut>::in_features);
    static constexpr bool outputs_agree = widths_agree(body_gives, shortcut_gives);

    static constexpr bool report() {
        if constexpr (!checked_shape<Body>::valid || !checked_shape<Shortcut>::valid)
            return true;
        else if constexpr (!inputs_agree)
            return diagnostic::residual_inputs_differ<
                Residual, diagnostic::takes_width<Body::in_features>,
                diagnostic::takes_width<Shortcut::in_features>>::reported;
        else if constexpr (!outputs_agree && identity_shortcut)
            return diagnostic::residual_body_changes_width<
                Residual, diagnostic::takes_width<in_features>,
                diagnostic::gives_width<body_gives>>::reported;
        else if constexpr (!outputs_agree)
            return diagnostic::residual_outputs_differ<
                Residual, diagnostic::gives_width<body_gives>,
                diagnostic::gives_width<shortcut_gives>>::reported;
        return true;
    }
    static_assert(report());

public:
    static constexpr bool valid =
        checked_shape<Body>::valid && checked_shape<Shortcut>::valid && inputs_agree && outputs_agree;

    static std::string name() {
        return "Residual<" + Body::name() +
               (identity_shortcut ? std::string() : ", " + Shortcut::name()) + ">";
    }

    template <std::size_t W, class T>
    struct state {
        static constexpr std::size_t gives = output_width<Body>(W);
        using body_state = typename Body::template state<W, T>;
        using shortcut_state = typename Shortcut::template state<W, T>;
        body_state body;
        [[no_unique_address]] shortcut_state shortcut;

        template <class Self, class F>
        static constexpr void visit(Self& self, const KeyPath& at, F& f) {
            body_state::visit(self.body, at / "body", f);
            shortcut_state::visit(self.shortcut, at / "shortcut", f);
        }
    };

    template <std::size_t W, class T, std::size_t B>
    struct tape {
        static constexpr std::size_t gives = output_width<Body>(W);
        typename Body::template tape<W, T, B> body;
        typename Shortcut::template tape<W, T, B> shortcut;
        // Both branches' outputs, as their own backward passes see them.
        Array<T, B * gives> body_output, shortcut_output;
        Array<T, B * W> shortcut_input_gradient;
    };

    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>& s, Rng& rng) {
        Body::template reset_parameters<W>(s.body, rng);
        Shortcut::template reset_parameters<W>(s.shortcut, rng);
    }

    // The branches run within their keys' segments: under Checked, an error from a branch
    // names it (execution/checked.hpp). Under Fused, a body that ends in a product's stage adds
    // the shortcut as that stage stores its results, so the shortcut runs first (an identity
    // shortcut not at all: the stage reads x); elsewhere the body does, and the sum takes a
    // pass of its own.
    template <class Policy>
    static constexpr bool body_adds =
        std::is_same_v<Policy, execution::Fused> && execution::ends_in_product_stage<Body>;

    template <std::size_t W, std::size_t B, class Policy, class T>
    static void forward(const state<W, T>& s, const T* x, T* y) {
        constexpr std::size_t count = B * state<W, T>::gives;
        Array<T, identity_shortcut ? 1 : count> shortcut_output;
        const T* const shortcut = identity_shortcut ? x : shortcut_output.data();
        const auto run_shortcut = [&] {
            if constexpr (!identity_shortcut)
                execution::within<Policy>("shortcut", [&] {
                    execution::LayerRunner<Policy, Shortcut>::template forward<W, B>(
                        s.shortcut, x, shortcut_output.data());
                });
        };
        if constexpr (body_adds<Policy>) {
            run_shortcut();
            execution::LayerRunner<Policy, Body>::template forward<W, B>(
                s.body, x, y, execution::ShortcutAdd<T>{shortcut});
        } else {
            execution::within<Policy>("body", [&] {
                execution::LayerRunner<Policy, Body>::template forward<W, B>(s.body, x, y);
            });
            run_shortcut();
            kernels::reference::add_into(y, shortcut, count);
        }
    }

    template <std::size_t W, class Policy, class T, std::size_t B>
    static void forward_train(state<W, T>& s, tape<W, T, B>& t, const T* x, T* y,
                              std::size_t rows) {
        constexpr std::size_t gives = state<W, T>::gives;
        const auto run_shortcut = [&] {
            execution::within<Policy>("shortcut", [&] {
                execution::LayerRunner<Policy, Shortcut>::template forward_train<W>(
                    s.shortcut, t.shortcut, x, t.shortcut_output.data(), rows);
            });
        };
        if constexpr (body_adds<Policy>) {
            if constexpr (!identity_shortcut) run_shortcut();
            execution::LayerRunner<Policy, Body>::template forward_train<W>(
                s.body, t.body, x, t.body_output.data(), rows,
                execution::ShortcutAdd<T>{shortcut_output(t, x), y});
        } else {
            execution::within<Policy>("body", [&] {
                execution::LayerRunner<Policy, Body>::template forward_train<W>(
                    s.body, t.body, x, t.body_output.data(), rows);
            });
            run_shortcut();
            for (std::size_t k = 0; k < rows * gives; ++k)
                y[k] = t.body_output.values[k] + t.shortcut_output.values[k];
        }
    }

    template <std::size_t W, class Policy, class T, std::size_t B>
    static void backward(state<W, T>& s, tape<W, T, B>& t, const T* x, const T*, const T* dy,
                         T* dx, std::size_t rows) {
        execution::within<Policy>("body", [&] {
            execution::LayerRunner<Policy, Body>::template backward<W>(
                s.body, t.body, x, t.body_output.data(), dy, dx, rows);
        });
        T* shortcut_dx = dx ? t.shortcut_input_gradient.data() : nullptr;
        execution::within<Policy>("shortcut", [&] {
            execution::LayerRunner<Policy, Shortcut>::template backward<W>(
                s.shortcut, t.shortcut, x, shortcut_output(t, x), dy, shortcut_dx, rows);
        });
        if (dx) kernels::reference::add_into(dx, shortcut_dx, rows * W);
    }

private:
    // The shortcut's output as the sum and the shortcut's backward read it: an identity
    // shortcut's is x itself, which the fused training forward does not copy into the tape.
    template <class Tape, class T>
    static const T* shortcut_output(const Tape& t, const T* x) {
        if constexpr (identity_shortcut)
            return x;
        else
            return t.shortcut_output.data();
    }
};

}  // namespace typenn
