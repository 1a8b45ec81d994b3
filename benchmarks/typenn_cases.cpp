// SPDX-License-Identifier: BSL-1.0
// typenn's side: the three nets as types, trained through the public API only, so the
// numbers follow whatever kernels the library has when this file is compiled.
#include <cstddef>

#include <typenn/typenn.hpp>
#include <xtensor/xmath.hpp>

#include "cases.hpp"
#include "nets.hpp"

namespace {

using namespace typenn;

template <class Shape>
struct NetOf;
template <>
struct NetOf<bench::nets::Seed> {
    using type = Seq<Linear<10, 20>, BatchNorm<20>, ReLU, Linear<20, 1>>;
};
template <>
struct NetOf<bench::nets::Digits> {
    using type = Seq<Linear<64, 128>, ReLU, Linear<128, 128>, ReLU, Linear<128, 10>>;
};
template <>
struct NetOf<bench::nets::Wide> {
    using type = Seq<Linear<256, 256>, ReLU, Linear<256, 256>, ReLU, Linear<256, 256>, ReLU,
                     Linear<256, 256>>;
};

// The digits net with another activation in place of ReLU: what each activation costs against
// ReLU's net, in the same run (typenn's cases only; the shape is digits').
template <class Activation, const char* Name>
struct DigitsWith : bench::nets::Digits {
    static constexpr const char* name = Name;
};
template <class Activation, const char* Name>
struct NetOf<DigitsWith<Activation, Name>> {
    using type = Seq<Linear<64, 128>, Activation, Linear<128, 128>, Activation, Linear<128, 10>>;
};
inline constexpr char digits_tanh[] = "digits-tanh", digits_sigmoid[] = "digits-sigmoid",
                      digits_elu[] = "digits-elu";

template <template <class> class ModelOf, class Shape>
class TypennNet {
    using Net = typename NetOf<Shape>::type;
    using M = ModelOf<Net>;
    static constexpr std::size_t B = Shape::batch, In = Net::in_features,
                                 Out = Net::out_features;
    static_assert(In == bench::nets::in_features<Shape> &&
                  Out == bench::nets::out_features<Shape>);

public:
    using shape = Shape;
    static constexpr bool heap_free = true;

    explicit TypennNet(bench::Task task) : task_(task) {
        std::size_t linear = 0;
        model_.visit([&](const KeyPath&, auto entry) {
            if constexpr (requires { typename decltype(entry)::role; }) {
                using role = typename decltype(entry)::role;
                if constexpr (requires { role::fan_out; })
                    bench::nets::linear_weight(linear, role::fan_in, role::fan_out,
                                               entry.value.data());
                else if constexpr (requires { role::fan_in; })
                    bench::nets::linear_bias(linear++, role::fan_in, entry.value.size(),
                                             entry.value.data());
            }
        });
        bench::nets::fill_data(x_one_.data(), In, bench::nets::input_seed);
        bench::nets::fill_data(x_.data(), B * In, bench::nets::input_seed);
        bench::nets::fill_data(target_.data(), B * Out, bench::nets::target_seed);
    }

    void infer_one() { y_one_ = model_.forward(x_one_); }
    void infer_batch() { y_ = model_.forward(x_); }
    void train_step() {
        model_.zero_grad();
        y_ = model_.forward(x_, tape_);
        loss_ = loss::mse(y_, target_, dy_);
        model_.backward(tape_, dy_);
        sgd_.step();
    }

    double result() const {
        switch (task_) {
            case bench::Task::infer_one: return xt::sum(y_one_)();
            case bench::Task::infer_batch: return xt::sum(y_)();
            case bench::Task::train_step: return loss_;
        }
        return 0;
    }

private:
    bench::Task task_;
    M model_;
    Tape<Net, B> tape_;
    optim::SGD<M> sgd_{model_,
                       {.lr = bench::nets::learning_rate, .momentum = bench::nets::momentum}};
    Tensor<1, In> x_one_;
    Tensor<1, Out> y_one_;
    Tensor<B, In> x_;
    Tensor<B, Out> y_, target_, dy_;
    float loss_ = 0;
};

// One line per typenn execution path: Model<Net>'s default (the fused kernels), and the
// plain loops that define what they must compute.
template <class Net>
using DefaultModel = Model<Net>;
template <class Net>
using ReferenceModel = Model<Net, float, execution::Reference>;

template <template <class> class ModelOf>
bool add_variant(const char* name) {
    return bench::add_net<TypennNet<ModelOf, bench::nets::Seed>>(name) &&
           bench::add_net<TypennNet<ModelOf, bench::nets::Digits>>(name) &&
           bench::add_net<TypennNet<ModelOf, bench::nets::Wide>>(name);
}

const bool registered =
    add_variant<DefaultModel>("typenn") && add_variant<ReferenceModel>("typenn-reference") &&
    bench::add_net<TypennNet<DefaultModel, DigitsWith<Tanh, digits_tanh>>>("typenn") &&
    bench::add_net<TypennNet<DefaultModel, DigitsWith<Sigmoid, digits_sigmoid>>>("typenn") &&
    bench::add_net<TypennNet<DefaultModel, DigitsWith<ELU<>, digits_elu>>>("typenn");

}  // namespace
