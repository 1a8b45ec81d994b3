// SPDX-License-Identifier: BSL-1.0
#pragma once
// Linear<In, Out>: y = x·Wᵀ + b, W stored [Out, In] as in PyTorch's nn.Linear.
// Shape rule: takes exactly In columns, gives Out.
#include <cmath>
#include <cstddef>
#include <type_traits>

#include "typenn/array.hpp"
#include "typenn/diagnostic/shape_errors.hpp"
#include "typenn/fusion.hpp"
#include "typenn/kernels/reference.hpp"
#include "typenn/kernels/simd/products.hpp"
#include "typenn/key_path.hpp"
#include "typenn/naming.hpp"
#include "typenn/random.hpp"
#include "typenn/tensor.hpp"

namespace typenn {

// Linear<In, Out, no_bias>: no bias term (nn.Linear(..., bias=False)).
struct no_bias {};

// Options are a pack rather than a defaulted parameter so that compiler diagnostics print
// Linear<10, 20> as the user wrote it.
template <std::size_t In, std::size_t Out, class... Options>
struct Linear {
    static_assert(In > 0 && Out > 0, "typenn: Linear<In, Out> needs In >= 1 and Out >= 1");
    static_assert((std::is_same_v<Options, no_bias> && ...) && sizeof...(Options) <= 1,
                  "typenn: Linear<In, Out, Option> knows one option: no_bias");

    // Fused, it starts a stage whose other layers take its results in registers; run alone,
    // the products are kernels::reference's.
    using fusion = fusion::product;
    static constexpr std::size_t in_features = In;
    static constexpr std::size_t out_features = Out;
    static constexpr bool has_bias = sizeof...(Options) == 0;
    static constexpr bool valid = true;

    static std::string name() {
        return has_bias ? naming::templated("Linear", In, Out)
                        : "Linear<" + naming::number(In) + ", " + naming::number(Out) +
                              ", no_bias>";
    }

    struct NoBias {};
    template <class T>
    using bias_type = std::conditional_t<has_bias, Array<T, Out>, NoBias>;

    template <class T>
    static constexpr bool keeps_transposed = kernels::simd::keeps_transposed<Out, In, T>;
    struct NotKept {};
    template <class T>
    using transposed_type = std::conditional_t<keeps_transposed<T>, Array<T, In, Out>, NotKept>;

    template <std::size_t W, class T>
    struct state {
        Array<T, Out, In> weight, weight_grad;
        [[no_unique_address]] bias_type<T> bias, bias_grad;
        // weight transposed, where the forward product wants it so (keeps_transposed); derived
        // state, remade wherever weight may have changed (Model::remake_derived says where).
        [[no_unique_address]] transposed_type<T> weight_t;

        template <class Self, class F>
        static constexpr void visit(Self& self, const KeyPath& at, F& f) {
            using namespace parameter_role;
            f(at / "weight", parameter<weight_matrix<In, Out>>(self.weight, self.weight_grad));
            if constexpr (has_bias)
                f(at / "bias", parameter<matrix_bias<In>>(self.bias, self.bias_grad));
            if constexpr (!std::is_const_v<Self> && may_change_values<F>) self.remake_weight_t();
        }

        constexpr void remake_weight_t() {
            if constexpr (keeps_transposed<T>)
                for (std::size_t o = 0; o < Out; ++o)
                    for (std::size_t k = 0; k < In; ++k) weight_t(k, o) = weight(o, k);
        }
    };

    // Nothing backward needs: room for a panel of Wᵀ, the layout in which the fused training
    // forward multiplies (kernels::simd::ProductWorkspace; empty where it takes another form).
    template <std::size_t W, class T, std::size_t B>
    struct tape {
        [[no_unique_address]] kernels::simd::ProductWorkspace<Out, In, T> workspace;
    };

    // PyTorch's reset_parameters: kaiming_uniform_(a=√5) gives the bound gain·√(3/fan_in)
    // with gain √(2/(1+5)), i.e. 1/√fan_in; the bias uses the same bound.
    template <std::size_t W, class T, class Rng>
    static void reset_parameters(state<W, T>& s, Rng& rng) {
        const T bound = T(1) / std::sqrt(T(In));
        random::fill_uniform(s.weight.data(), Out * In, -bound, bound, rng);
        if constexpr (has_bias) random::fill_uniform(s.bias.data(), Out, -bound, bound, rng);
        s.remake_weight_t();
    }

    template <std::size_t W, std::size_t B, class T>
    static void forward(const state<W, T>& s, const T* x, T* y) {
        kernels::reference::affine_forward<In, Out>(s.weight.data(), bias_data(s), x, y, B);
    }

    template <std::size_t W, class T, std::size_t B>
    static void forward_train(state<W, T>& s, tape<W, T, B>&, const T* x, T* y,
                              std::size_t rows) {
        kernels::reference::affine_forward<In, Out>(s.weight.data(), bias_data(s), x, y, rows);
    }

    template <std::size_t W, class T, std::size_t B>
    static void backward(state<W, T>& s, tape<W, T, B>&, const T* x, const T*, const T* dy,
                         T* dx, std::size_t rows) {
        T* bias_grad = nullptr;
        if constexpr (has_bias) bias_grad = s.bias_grad.data();
        kernels::reference::affine_backward<In, Out>(s.weight.data(), x, dy,
                                                     s.weight_grad.data(), bias_grad, dx, rows);
    }

private:
    template <std::size_t W, class T>
    static const T* bias_data(const state<W, T>& s) {
        if constexpr (has_bias)
            return s.bias.data();
        else
            return nullptr;
    }
};

namespace diagnostic {
template <std::size_t In, std::size_t Out, class... Options, class Position, class Receives>
struct input_width_mismatch<Linear<In, Out, Options...>, Position, takes_width<In>, Receives> {
    static_assert(In == Receives::value,
                  "typenn: Linear<In, Out> receives a width other than In from the layer "
                  "before it (position_in_seq and the widths are in the instantiation above)");
    static constexpr bool reported = true;
};
}  // namespace diagnostic

}  // namespace typenn
