// SPDX-License-Identifier: BSL-1.0
#pragma once
// The registry every framework's benchmark file adds its cases to, so that one process can
// run them all side by side (main.cpp) and another can count their heap allocations
// (allocation_check.cpp) without compiling any framework twice.
//
// A framework implements a net as a class Impl with
//     using shape = nets::Seed;               // or Digits, Wide
//     explicit Impl(Task);                    // everything allocated here, never later
//     void infer_one();                       // inference at batch 1
//     void infer_batch();                     // inference at the train batch
//     void train_step();                      // forward, MSE, backward, SGD momentum step
//     double result() const;                  // the last call's loss, or sum of outputs
//     static constexpr bool heap_free;        // whether the calls above never allocate
// and registers it with add_net<Impl>("variant"). Starting from nets.hpp's data and initial
// parameters, every framework must give the same results (check.cpp).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "nets.hpp"

namespace bench {

enum class Task { infer_one, infer_batch, train_step };

inline const char* task_name(Task task) {
    switch (task) {
        case Task::infer_one: return "infer_batch1";
        case Task::infer_batch: return "infer_train_batch";
        case Task::train_step: return "train_step";
    }
    return "?";
}

// One benchmarked workload, built outside any timed region.
class Runner {
public:
    virtual ~Runner() = default;
    virtual void run(benchmark::State& state) = 0;  // the timed loop
    virtual void once() = 0;                        // one call, for warm-up and checks
    virtual double result() const = 0;
};

struct Case {
    std::string net, task, variant;
    double flop;  // per call, counted as nets.hpp says
    bool heap_free;
    std::function<std::unique_ptr<Runner>()> make;

    std::string name() const { return net + "/" + task + "/" + variant; }
};

inline std::vector<Case>& registry() {
    static std::vector<Case> cases;
    return cases;
}

// What a benchmark file adds to the run's JSON context (library versions, BLAS in use).
inline std::vector<std::function<void()>>& context_reporters() {
    static std::vector<std::function<void()>> reporters;
    return reporters;
}

// The work is a compile-time member pointer, so the timed loop inlines it: a virtual call per
// loop, not per iteration. The compiler barrier keeps it from hoisting loop-invariant work.
template <class Impl, void (Impl::*Work)()>
class RunnerOf final : public Runner {
public:
    explicit RunnerOf(Task task) : impl_(std::make_unique<Impl>(task)) {}
    void run(benchmark::State& state) override {
        Impl& impl = *impl_;
        for (auto _ : state) {
            (impl.*Work)();
            benchmark::ClobberMemory();
        }
    }
    void once() override { ((*impl_).*Work)(); }
    double result() const override { return impl_->result(); }

private:
    std::unique_ptr<Impl> impl_;
};

template <class Impl, void (Impl::*Work)()>
void add_case(Task task, const std::string& variant, double flop) {
    using Shape = typename Impl::shape;
    registry().push_back({Shape::name, task_name(task), variant, flop, Impl::heap_free,
                          [task] { return std::make_unique<RunnerOf<Impl, Work>>(task); }});
}

template <class Impl>
bool add_net(const std::string& variant) {
    using Shape = typename Impl::shape;
    add_case<Impl, &Impl::infer_one>(Task::infer_one, variant, nets::forward_flop<Shape>(1));
    add_case<Impl, &Impl::infer_batch>(Task::infer_batch, variant,
                                       nets::forward_flop<Shape>(Shape::batch));
    add_case<Impl, &Impl::train_step>(Task::train_step, variant,
                                      nets::training_step_flop<Shape>());
    return true;
}

}  // namespace bench
