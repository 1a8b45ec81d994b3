// SPDX-License-Identifier: BSL-1.0
// LibTorch's side: the same nets as torch::nn::Sequential, the same step as a PyTorch user
// writes it, on one thread (torch::set_num_threads(1); run.py also sets
// OPENBLAS_NUM_THREADS=1, since LibTorch's float products go to the system BLAS).
#include <dlfcn.h>

#include <fstream>
#include <string>

#include <torch/torch.h>

#include "cases.hpp"
#include "nets.hpp"

namespace {

template <class Shape>
torch::nn::Sequential make_net() {
    torch::nn::Sequential net;
    torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i + 1 < Shape::widths.size(); ++i) {
        torch::nn::Linear linear(Shape::widths[i], Shape::widths[i + 1]);
        bench::nets::linear_weight(i, Shape::widths[i], Shape::widths[i + 1],
                                   linear->weight.data_ptr<float>());
        bench::nets::linear_bias(i, Shape::widths[i], Shape::widths[i + 1],
                                 linear->bias.data_ptr<float>());
        net->push_back(linear);
        if (i == 0 && Shape::batchnorm_after_first)
            net->push_back(torch::nn::BatchNorm1d(Shape::widths[1]));
        if (i + 2 < Shape::widths.size()) net->push_back(torch::nn::ReLU());
    }
    return net;
}

torch::Tensor data(std::int64_t rows, std::int64_t cols, unsigned seed) {
    torch::Tensor t = torch::empty({rows, cols});
    bench::nets::fill_data(t.data_ptr<float>(), std::size_t(rows * cols), seed);
    return t;
}

template <class Shape>
class TorchNet {
    static constexpr auto B = std::int64_t(Shape::batch);
    static constexpr auto In = std::int64_t(bench::nets::in_features<Shape>);
    static constexpr auto Out = std::int64_t(bench::nets::out_features<Shape>);

public:
    using shape = Shape;
    static constexpr bool heap_free = false;  // every tensor an operation returns is allocated

    explicit TorchNet(bench::Task task) : task_(task) {
        torch::set_num_threads(1);
        if (task == bench::Task::train_step)
            net_->train();
        else
            net_->eval();
    }

    void infer_one() {
        c10::InferenceMode guard;
        y_ = net_->forward(x_one_);
    }
    void infer_batch() {
        c10::InferenceMode guard;
        y_ = net_->forward(x_);
    }
    void train_step() {
        sgd_.zero_grad();
        loss_ = torch::mse_loss(net_->forward(x_), target_);
        loss_.backward();
        sgd_.step();
    }

    double result() const {
        return (task_ == bench::Task::train_step ? loss_ : y_.sum()).item<double>();
    }

private:
    bench::Task task_;
    torch::nn::Sequential net_ = make_net<Shape>();
    torch::optim::SGD sgd_{net_->parameters(),
                           torch::optim::SGDOptions(bench::nets::learning_rate)
                               .momentum(bench::nets::momentum)};
    torch::Tensor x_one_ = data(1, In, bench::nets::input_seed);
    torch::Tensor x_ = data(B, In, bench::nets::input_seed);
    torch::Tensor target_ = data(B, Out, bench::nets::target_seed);
    torch::Tensor y_, loss_;
};

// Which BLAS library the process mapped, and OpenBLAS's own account of itself when it is
// that one: its kernel ("core") and thread count.
std::string mapped_blas() {
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);)
        if (auto at = line.find('/'); at != std::string::npos &&
                                      (line.find("libblas") != std::string::npos ||
                                       line.find("openblas") != std::string::npos))
            return line.substr(at);
    return "none mapped";
}

template <class Result>
Result openblas(const char* symbol, Result otherwise) {
    if (void* f = dlsym(RTLD_DEFAULT, symbol)) return reinterpret_cast<Result (*)()>(f)();
    return otherwise;
}

void report_context() {
    torch::set_num_threads(1);
    benchmark::AddCustomContext("torch_version", TORCH_VERSION);
    benchmark::AddCustomContext("torch_num_threads", std::to_string(torch::get_num_threads()));
    benchmark::AddCustomContext("blas_library", mapped_blas());
    benchmark::AddCustomContext("openblas_corename",
                                openblas<const char*>("openblas_get_corename", "not OpenBLAS"));
    benchmark::AddCustomContext("openblas_config",
                                openblas<const char*>("openblas_get_config", "not OpenBLAS"));
    benchmark::AddCustomContext("openblas_num_threads",
                                std::to_string(openblas<int>("openblas_get_num_threads", 0)));
}

const bool registered = (bench::context_reporters().push_back(report_context),
                         bench::add_net<TorchNet<bench::nets::Seed>>("libtorch") &&
                             bench::add_net<TorchNet<bench::nets::Digits>>("libtorch") &&
                             bench::add_net<TorchNet<bench::nets::Wide>>("libtorch"));

}  // namespace
