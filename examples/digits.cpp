// SPDX-License-Identifier: BSL-1.0
// An MLP on the UCI handwritten digits (8×8 images, 10 classes): trained with Adam, a cosine
// learning-rate schedule and cross-entropy, evaluated on the held-out split, saved as safetensors.
//   digits [path/to/digits.csv.gz] [out.safetensors]
#include <cstdio>
#include <random>
#include <string>

#include <typenn/data/digits.hpp>
#include <typenn/metrics/accuracy.hpp>
#include <typenn/typenn.hpp>

#include "progress.hpp"

using namespace typenn;
using Net = Seq<Linear<64, 128>, ReLU, Linear<128, 128>, ReLU, Linear<128, 10>>;
constexpr std::size_t Batch = 32;
constexpr int Epochs = 30;

int main(int argc, char** argv) {
    const std::string csv = argc > 1 ? argv[1] : TYPENN_DIGITS_CSV_GZ;
    const std::string out = argc > 2 ? argv[2] : "digits.safetensors";
    const auto split = data::split_digits(data::load_digits(csv));
    std::printf("digits: %zu training and %zu test images\n", split.train.size(),
                split.test.size());

    static Model<Net> model;
    static Tape<Net, Batch> tape;
    optim::Adam opt(model, {.lr = 1e-3});
    sched::CosineAnnealingLR schedule(opt, Epochs);  // a calm last epoch: the result is stable
    data::Batches<Batch, 64> batches(split.train);
    data::Batch<Batch, 64> batch;
    Tensor<Batch, 10> dlogits;
    std::mt19937_64 rng(2024);

    for (int epoch = 1; epoch <= Epochs; ++epoch) {
        EpochProgress progress(epoch, Epochs, batches.count());
        batches.shuffle(rng);
        double total = 0;
        for (std::size_t b = 0; b < batches.count(); ++b) {
            batches.fill(b, batch);
            opt.zero_grad();
            const auto logits = model.forward(batch.x, tape, batch.rows());
            total += loss::cross_entropy(logits, batch.labels, dlogits, batch.rows()) *
                     double(batch.count);
            model.backward(tape, dlogits);
            opt.step();
            progress.batch_done();
        }
        schedule.step();
        char summary[96];
        std::snprintf(summary, sizeof summary, "loss %.4f  train accuracy %.2f%%  test accuracy %.2f%%",
                      total / double(split.train.size()),
                      100 * metrics::accuracy<Batch>(model, split.train),
                      100 * metrics::accuracy<Batch>(model, split.test));
        progress.finish(summary);
    }
    save(model, out);
    std::printf("saved %s\n", out.c_str());
}
