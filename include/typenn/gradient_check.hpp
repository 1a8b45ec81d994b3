// SPDX-License-Identifier: BSL-1.0
#pragma once
// gradient_check<Net, B>(seed): backward against central finite differences, in double, for
// every parameter element and every input element of a training forward on B rows (the
// first `rows` of them), with loss L = Σ y·r over those rows for a random r, so that
// dL/dy = r. What a layer's author runs first (docs/06-extending.md), and what the tests run
// on every layer.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

#include "typenn/model.hpp"

namespace typenn {

struct GradientCheck {
    std::size_t checked = 0;    // elements compared
    std::size_t mismatched = 0; // of them, those outside the tolerance
    std::string first_mismatch; // e.g. "parameter 0.weight[3]: backward 0.25, numeric 0.5"

    bool passed() const { return checked > 0 && mismatched == 0; }
};

// |analytic − numeric| ≤ absolute + relative·|numeric| counts as a match.
struct GradientTolerance {
    double absolute = 1e-6;
    double relative = 1e-5;
};

template <Layer Net, std::size_t B>
GradientCheck gradient_check(std::uint64_t seed, std::size_t rows = B,
                             GradientTolerance tolerance = {}) {
    constexpr double h = 1e-5;
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    Model<Net, double> model(rng);
    // Away from PyTorch's initial values (BatchNorm γ=1, β=0; PReLU 0.25) so that every
    // parameter's gradient is exercised in general position.
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; })
            for (auto& v : entry.value) v += 0.3 * normal(rng);
    });
    BasicTensor<double, B, Net::in_features> x, dx;
    BasicTensor<double, B, Net::out_features> r;
    for (auto& v : x) v = normal(rng);
    for (auto& v : r) v = normal(rng);
    Tape<Net, B, double> tape;
    const auto loss = [&] {
        const auto y = model.forward(x, tape, Rows{rows});
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
    GradientCheck result;
    const auto compare = [&](double analytic, double expected, const auto& describe) {
        ++result.checked;
        if (std::abs(analytic - expected) <= tolerance.absolute + tolerance.relative * std::abs(expected))
            return;
        if (result.mismatched++ == 0)
            result.first_mismatch = describe() + ": backward " + std::to_string(analytic) +
                                    ", numeric " + std::to_string(expected);
    };

    model.zero_grad();
    loss();
    model.backward(tape, r, dx);
    model.visit([&](const KeyPath& key, auto entry) {
        if constexpr (requires { entry.grad; })
            for (std::size_t k = 0; k < entry.value.size(); ++k)
                compare(entry.grad.data()[k], numeric(entry.value.data()[k]), [&] {
                    return "parameter " + key.str() + "[" + std::to_string(k) + "]";
                });
    });
    for (std::size_t k = 0; k < B * Net::in_features; ++k)
        compare(dx.data()[k], k < rows * Net::in_features ? numeric(x.data()[k]) : 0.0,
                [&] { return "input[" + std::to_string(k) + "]"; });
    return result;
}

}  // namespace typenn
