// SPDX-License-Identifier: BSL-1.0
// The bound on the wide net at batch 1: every call reads its four 256 × 256 weight matrices
// (1 MiB, as much as Zen 5's whole L2), once, and does two FLOPs per weight. This case reads
// the same amount laid out the same way and only adds, so its time is what streaming the
// weights costs on this machine; run.py sets the wide net's batch-1 times against it. It is
// registered with that forward's FLOPs, so that its rate reads as the fastest the stream
// allows that forward.
#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "cases.hpp"
#include "nets.hpp"

namespace {

constexpr std::size_t width = 256, layers = 4, block = 64;

class WeightStream final : public bench::Runner {
public:
    WeightStream() {
        for (auto& matrix : weights_) matrix.assign(width * width, 0.5f);
    }
    void run(benchmark::State& state) override {
        for (auto _ : state) {
            once();
            benchmark::DoNotOptimize(result_);
        }
    }
    // Independent sums per position in a block: a loop GCC vectorises without reassociating.
    void once() override {
        std::array<float, block> sums{};
        for (const auto& matrix : weights_)
            for (std::size_t i = 0; i < matrix.size(); i += block)
                for (std::size_t j = 0; j < block; ++j) sums[j] += matrix[i + j];
        float total = 0;
        for (float s : sums) total += s;
        result_ = total;
    }
    double result() const override { return result_; }

private:
    std::array<std::vector<float>, layers> weights_;
    float result_ = 0;
};

const bool registered = [] {
    bench::registry().push_back({"machine", "weight_stream", "wide_batch1",
                                 bench::nets::forward_flop<bench::nets::Wide>(1), false,
                                 [] { return std::make_unique<WeightStream>(); }});
    return true;
}();

}  // namespace
