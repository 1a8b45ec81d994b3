// SPDX-License-Identifier: BSL-1.0
// docs/03-embedding.md's promise, kept by a program built with -fno-exceptions and -fno-rtti:
// the whole of <typenn/typenn.hpp> compiles; a model baked into the program and the same
// weights loaded from a file (argv[1]) infer alike through forward and predict; a training
// step compiles and runs too. A file that load() refuses ends the program with load's message
// (expect_abort.cmake).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>

#include <typenn/typenn.hpp>

#include "pytorch_net_weights.hpp"  // baked from tests/fixtures/io/pytorch_net.safetensors

static_assert(!TYPENN_HAS_EXCEPTIONS, "built with exceptions: the test would prove nothing");

using namespace typenn;
using Net = Seq<Linear<5, 7>, BatchNorm<7>, LeakyReLU<0.2f>, Residual<Seq<Linear<7, 7>, PReLU<>>>,
                Linear<7, 3, no_bias>>;

namespace {
constinit const Model<Net> baked{pytorch_net_weights::weights};

int failures = 0;
void expect(bool holds, const char* what) {
    if (!holds) {
        std::fprintf(stderr, "no_exceptions: failed: %s\n", what);
        ++failures;
    }
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <weights.safetensors>\n", argv[0]);
        return 2;
    }
    static Model<Net> loaded;
    load(loaded, argv[1]);

    // PyTorch's output for this row (tests/consumer checks the same figures).
    const auto y = baked.forward(Tensor<1, 5>{{0.5f, -1.0f, 2.0f, 0.0f, 1.0f}});
    const float torch[3] = {0.0158275068f, -0.315780669f, 0.285737127f};
    for (std::size_t k = 0; k < 3; ++k)
        expect(std::abs(y(0, k) - torch[k]) < 1e-5f, "the output PyTorch gives");

    // More rows than one tile of predict, so that its last tile is padded.
    constexpr std::size_t rows = predict_tile_rows + 8;
    auto x = xt::xtensor<float, 2>::from_shape({rows, 5});
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < 5; ++c) x(r, c) = 0.1f * float(r) - 0.3f * float(c);
    const auto predicted = loaded.predict(x);
    for (std::size_t r = 0; r < rows; ++r) {
        Tensor<1, 5> row;
        std::copy_n(&x(r, 0), 5, row.begin());
        const auto from_file = loaded.forward(row), from_program = baked.forward(row);
        for (std::size_t k = 0; k < 3; ++k) {
            expect(from_file(0, k) == from_program(0, k), "loaded and baked models agree");
            expect(std::abs(predicted(r, k) - from_file(0, k)) < 1e-5f, "predict agrees");
        }
    }

    static Model<Net> trained = loaded;
    Tape<Net, 8> tape;
    Tensor<8, 5> batch;
    Tensor<8, 3> target, dy;
    for (std::size_t k = 0; k < batch.size(); ++k) batch.data()[k] = std::sin(float(k));
    target.fill(0.5f);
    optim::SGD sgd(trained, {.lr = 0.01});
    sgd.zero_grad();
    const float before = loss::mse(trained.forward(batch, tape), target, dy);
    trained.backward(tape, dy);
    sgd.step();
    const float after = loss::mse(trained.forward(batch, tape), target, dy);
    expect(after < before, "a training step lowers the loss");

    if (failures == 0) std::printf("no_exceptions: baked, loaded and trained models agree\n");
    return failures == 0 ? 0 : 1;
}
