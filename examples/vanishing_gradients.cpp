// SPDX-License-Identifier: BSL-1.0
// The vanishing-gradient study: a 22-layer MLP on the digits, six ways.
//   (a) Sigmoid, PyTorch's default init   (b) ReLU   (c) ReLU + Kaiming init
//   (d) + BatchNorm   (e) + Residual blocks   (f) + warm-up and cosine learning-rate schedule
// For each: first/last Linear gradient-norm ratio at initialisation, test accuracy after a
// fixed budget of epochs, wall time. Prints a table and writes vanishing_gradients.svg
// (log10 gradient norm of every Linear layer at initialisation, one line per variant).
//   vanishing_gradients [path/to/digits.csv.gz] [out.svg]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <typenn/combinators/repeat.hpp>
#include <typenn/data/digits.hpp>
#include <typenn/metrics/accuracy.hpp>
#include <typenn/typenn.hpp>

using namespace typenn;

constexpr std::size_t Width = 32, Hidden = 20, Batch = 32;
constexpr int Epochs = 20;
constexpr double LearningRate = 0.02;

using SigmoidNet = Seq<Linear<64, Width>, Sigmoid, Repeat<Hidden, Linear<Width, Width>, Sigmoid>,
                       Linear<Width, 10>>;
using ReluNet =
    Seq<Linear<64, Width>, ReLU, Repeat<Hidden, Linear<Width, Width>, ReLU>, Linear<Width, 10>>;
using BatchNormNet = Seq<Linear<64, Width>, BatchNorm<Width>, ReLU,
                         Repeat<Hidden, Linear<Width, Width>, BatchNorm<Width>, ReLU>,
                         Linear<Width, 10>>;
using ResidualNet =
    Seq<Linear<64, Width>, BatchNorm<Width>, ReLU,
        Repeat<Hidden, Residual<Seq<Linear<Width, Width>, BatchNorm<Width>, ReLU>>>,
        Linear<Width, 10>>;

struct Outcome {
    std::string name;
    std::vector<double> linear_grad_norms;  // at initialisation, input to output
    double test_accuracy = 0, seconds = 0;
};

enum class Init { pytorch_default, kaiming };
enum class Schedule { constant, warmup_cosine };

// Gradient norm of every Linear weight (the rank-2 parameters), input to output.
template <class M>
std::vector<double> linear_grad_norms(const M& model) {
    std::vector<double> norms;
    model.visit([&](const KeyPath&, auto entry) {
        if constexpr (requires { entry.grad; }) {
            if constexpr (std::decay_t<decltype(entry.grad)>::rank == 2) {
                double sum = 0;
                for (double g : entry.grad) sum += g * g;
                norms.push_back(std::sqrt(sum));
            }
        }
    });
    return norms;
}

template <class Net>
Outcome run(std::string name, Init init, Schedule schedule, const data::Split<64>& split) {
    const auto start = std::chrono::steady_clock::now();
    static Model<Net> model;
    static Tape<Net, Batch> tape;
    std::mt19937_64 rng(7);
    model.reset_parameters(rng);
    if (init == Init::kaiming)
        init::kaiming_normal(model, rng, {.mode = init::fan_in, .nonlinearity = init::relu,
                                          .bias = init::zero_bias});
    optim::SGD opt(model, {.lr = LearningRate, .momentum = 0.9});
    data::Batches<Batch, 64> batches(split.train);
    data::Batch<Batch, 64> batch;
    Tensor<Batch, 10> dlogits;
    const auto train_step = [&] {
        opt.zero_grad();
        const auto logits = model.forward(batch.x, tape, batch.rows());
        loss::cross_entropy(logits, batch.labels, dlogits, batch.rows());
        model.backward(tape, dlogits);
    };

    Outcome outcome{std::move(name), {}, 0, 0};
    batches.fill(0, batch);
    train_step();
    outcome.linear_grad_norms = linear_grad_norms(model);

    const auto train = [&](auto after_step) {
        for (int epoch = 0; epoch < Epochs; ++epoch) {
            batches.shuffle(rng);
            for (std::size_t b = 0; b < batches.count(); ++b) {
                batches.fill(b, batch);
                train_step();
                opt.step();
                after_step();
            }
        }
    };
    if (schedule == Schedule::warmup_cosine) {
        const int iterations = Epochs * int(batches.count()), warmup = iterations / 10;
        sched::LinearLR warm(opt, 0.01, 1.0, warmup);
        sched::CosineAnnealingLR cosine(opt, iterations - warmup);
        sched::SequentialLR warm_then_cosine(opt, std::tie(warm, cosine), {warmup});
        train([&] { warm_then_cosine.step(); });
    } else {
        train([] {});
    }
    outcome.test_accuracy = metrics::accuracy<Batch>(model, split.test);
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

int main(int argc, char** argv) {
    const std::string csv = argc > 1 ? argv[1] : TYPENN_DIGITS_CSV_GZ;
    const std::string svg_path = argc > 2 ? argv[2] : "vanishing_gradients.svg";
    const auto split = data::split_digits(data::load_digits(csv));

    const std::vector<Outcome> outcomes = {
        run<SigmoidNet>("(a) Sigmoid", Init::pytorch_default, Schedule::constant, split),
        run<ReluNet>("(b) ReLU", Init::pytorch_default, Schedule::constant, split),
        run<ReluNet>("(c) ReLU + Kaiming", Init::kaiming, Schedule::constant, split),
        run<BatchNormNet>("(d) + BatchNorm", Init::kaiming, Schedule::constant, split),
        run<ResidualNet>("(e) + Residual", Init::kaiming, Schedule::constant, split),
        run<ResidualNet>("(f) + warm-up, cosine", Init::kaiming, Schedule::warmup_cosine, split),
    };

    std::printf("%zu hidden layers of width %zu, %d epochs of SGD (lr %.2f, momentum 0.9), batch %zu\n\n",
                Hidden, Width, Epochs, LearningRate, Batch);
    std::printf("| variant | first/last gradient norm at init | test accuracy | wall time |\n");
    std::printf("|---|---|---|---|\n");
    svg::LinePlot plot{"Gradient norm of each Linear layer at initialisation",
                       "Linear layer (input to output)", "log10 gradient norm", {}, {}};
    for (std::size_t i = 1; i <= outcomes.front().linear_grad_norms.size(); ++i)
        plot.categories.push_back(std::to_string(i));
    for (const auto& o : outcomes) {
        std::printf("| %s | %.3g | %.1f%% | %.2f s |\n", o.name.c_str(),
                    o.linear_grad_norms.front() / o.linear_grad_norms.back(),
                    100 * o.test_accuracy, o.seconds);
        svg::Series series{o.name, {}};
        for (double n : o.linear_grad_norms) series.values.push_back(std::log10(n));
        plot.series.push_back(series);
    }
    std::ofstream svg(svg_path);
    svg::write(svg, plot);
    std::printf("\nwrote %s\n", svg_path.c_str());
}
