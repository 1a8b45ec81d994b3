// SPDX-License-Identifier: BSL-1.0
// End to end on real data: the digits, mini-batches with a final partial batch, Adam and
// cross-entropy, until the held-out accuracy passes 95% — within a bounded number of epochs.
#include <catch2/catch.hpp>

#include <random>

#include <typenn/data/digits.hpp>
#include <typenn/metrics/accuracy.hpp>
#include <typenn/typenn.hpp>

using namespace typenn;

TEST_CASE("an MLP learns the digits to 95% held-out accuracy within 15 epochs") {
    using Net = Seq<Linear<64, 64>, BatchNorm<64>, ReLU, Linear<64, 10>>;
    constexpr std::size_t Batch = 50;  // 1,437 training images: the last batch has 37
    const auto split = data::split_digits(data::load_digits(TYPENN_DIGITS_CSV_GZ));
    static Model<Net> model(5);
    static Tape<Net, Batch> tape;
    optim::Adam opt(model, {.lr = 2e-3});
    data::Batches<Batch, 64> batches(split.train);
    data::Batch<Batch, 64> batch;
    Tensor<Batch, 10> dlogits;
    std::mt19937_64 rng(5);

    const double before = metrics::accuracy<Batch>(model, split.test);
    double accuracy = before;
    int epochs = 0;
    while (accuracy < 0.95 && epochs < 15) {
        batches.shuffle(rng);
        for (std::size_t b = 0; b < batches.count(); ++b) {
            batches.fill(b, batch);
            opt.zero_grad();
            loss::cross_entropy(model.forward(batch.x, tape, batch.rows()), batch.labels, dlogits,
                                batch.rows());
            model.backward(tape, dlogits);
            opt.step();
        }
        ++epochs;
        accuracy = metrics::accuracy<Batch>(model, split.test);
    }
    INFO("held-out accuracy " << accuracy << " after " << epochs << " epochs");
    CHECK(before < 0.3);
    CHECK(accuracy >= 0.95);
}
