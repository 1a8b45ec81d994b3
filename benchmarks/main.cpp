// SPDX-License-Identifier: BSL-1.0
// Runs every registered case in one process, named net/task/variant, each reporting the
// FLOPs of one call ("flop") and their rate; run.py turns the JSON output into RESULTS.md.
#include <algorithm>
#include <memory>

#include <benchmark/benchmark.h>

#include "cases.hpp"

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    auto& cases = bench::registry();
    std::sort(cases.begin(), cases.end(),
              [](const bench::Case& a, const bench::Case& b) { return a.name() < b.name(); });
    for (const bench::Case& c : cases)
        benchmark::RegisterBenchmark(c.name().c_str(), [&c](benchmark::State& state) {
            const std::unique_ptr<bench::Runner> runner = c.make();
            runner->once();  // warm caches and any lazy initialisation, untimed
            runner->run(state);
            state.counters["flop"] = c.flop;
            state.counters["FLOP/s"] =
                benchmark::Counter(c.flop, benchmark::Counter::kIsIterationInvariantRate);
        })->Unit(benchmark::kMicrosecond);
    for (const auto& report : bench::context_reporters()) report();

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
