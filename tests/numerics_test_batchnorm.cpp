// SPDX-License-Identifier: BSL-1.0
// BatchNorm on a batch whose features are constant: the batch variance is zero, so only eps
// keeps 1/√(var + eps) finite. Training forward, backward, running statistics and inference
// (also with a running variance of zero) against nn.BatchNorm1d.
#include "numerics_test_support.hpp"

using namespace typenn;
using namespace typenn::numerics_test;

namespace {
constexpr std::size_t batch = 6, features = 4;  // BN_BATCH, BN_FEATURES
using Net = BatchNorm<features>;

template <class T>
void require_batchnorm_matches() {
    const Fixture expected = fixture("batchnorm");
    const Tolerance tol = tolerance<T>;
    Model<Net, T> model;
    const auto weight = expected.values(key<T>("weight")), bias = expected.values(key<T>("bias"));
    {
        auto state = model.edit();
        std::copy(weight.begin(), weight.end(), state->weight.begin());
        std::copy(bias.begin(), bias.end(), state->bias.begin());
    }
    const auto x = expected.tensor<T, batch, features>(key<T>("x"));

    Tape<Net, batch, T> tape;
    const auto y = model.forward(x, tape);
    require_close(y, expected.values(key<T>("y")), tol, "training y");
    BasicTensor<T, batch, features> dx;
    model.backward(tape, expected.tensor<T, batch, features>(key<T>("dy")), dx);
    require_close(dx, expected.values(key<T>("dx")), tol, "dx");
    require_close(model.state().weight_grad, expected.values(key<T>("weight.grad")), tol,
                  "weight.grad");
    require_close(model.state().bias_grad, expected.values(key<T>("bias.grad")), tol,
                  "bias.grad");
    require_close(model.state().running_mean, expected.values(key<T>("running_mean")), tol,
                  "running_mean");
    require_close(model.state().running_var, expected.values(key<T>("running_var")), tol,
                  "running_var");
    CHECK(model.state().num_batches_tracked == 1);
    CHECK(all_finite(y));
    CHECK(all_finite(dx));

    require_close(model.forward(x), expected.values(key<T>("eval")), tol, "inference y");
    model.edit()->running_var[1] = T(0);
    const auto y_zero_var = model.forward(x);
    require_close(y_zero_var, expected.values(key<T>("eval_zero_var")), tol,
                  "inference y with running_var 0");
    CHECK(all_finite(y_zero_var));
}
}  // namespace

TEST_CASE("BatchNorm with zero-variance features matches PyTorch, float") {
    require_batchnorm_matches<float>();
}

// At zero variance 1/√eps reaches the result undiluted: a double model must use eps = 1e-5
// and momentum 0.1 in double, as torch's double module does (float constants were 1.3e-8 off).
TEST_CASE("BatchNorm with zero-variance features matches PyTorch, double") {
    require_batchnorm_matches<double>();
}
