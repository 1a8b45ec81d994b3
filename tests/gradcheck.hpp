#pragma once
// Central finite differences in double precision against backward: for every parameter
// element and every input element of a training forward, with loss L = Σ y·r over the valid
// rows, so that dL/dy = r.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <string>

#include <typenn/typenn.hpp>

namespace gradcheck {

template <class Tensor, class Rng>
void fill_normal(Tensor& t, Rng& rng) {
    std::normal_distribution<double> draw(0.0, 1.0);
    for (auto& v : t) v = draw(rng);
}

inline bool close(double analytic, double numeric) {
    return std::abs(analytic - numeric) <= 1e-6 + 1e-5 * std::abs(numeric);
}

template <class Net, std::size_t B>
void check(std::uint64_t seed, std::size_t rows = B) {
    using namespace typenn;
    constexpr double h = 1e-5;
    std::mt19937_64 rng(seed);
    Model<Net, double> model(rng);
    // Away from PyTorch's initial values (BatchNorm γ=1, β=0; PReLU 0.25) so that every
    // parameter's gradient is exercised in general position.
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; })
            for (auto& v : entry.value) v += 0.3 * std::normal_distribution<double>()(rng);
    });
    BasicTensor<double, B, Net::in_features> x;
    BasicTensor<double, B, Net::out_features> r;
    fill_normal(x, rng);
    fill_normal(r, rng);
    Tape<Net, B, double> tape;
    const auto loss = [&] {
        auto y = model.forward(x, tape, Rows{rows});
        double sum = 0;
        for (std::size_t k = 0; k < rows * Net::out_features; ++k) sum += y.data()[k] * r.data()[k];
        return sum;
    };
    // v may be a parameter, changed from inside a visit: the forward must not see the form
    // inference keeps of it from before (Model::remake_derived).
    const auto numeric = [&](double& v) {
        const double saved = v;
        v = saved + h;
        model.remake_derived();
        const double up = loss();
        v = saved - h;
        model.remake_derived();
        const double down = loss();
        v = saved;
        model.remake_derived();
        return (up - down) / (2 * h);
    };

    model.zero_grad();
    loss();
    BasicTensor<double, B, Net::in_features> dx;
    model.backward(tape, r, dx);

    std::size_t checked = 0;
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; }) {
            for (std::size_t k = 0; k < entry.value.size(); ++k) {
                const double n = numeric(entry.value.data()[k]);
                INFO(Net::name() << " parameter " << key.str() << "[" << k << "]");
                CHECK(close(entry.grad.data()[k], n));
                ++checked;
            }
        }
    });
    for (std::size_t k = 0; k < B * Net::in_features; ++k) {
        const double n = k < rows * Net::in_features ? numeric(x.data()[k]) : 0.0;
        INFO(Net::name() << " input [" << k << "]");
        CHECK(close(dx.data()[k], n));
        ++checked;
    }
    CHECK(checked > 0);
}

}  // namespace gradcheck
