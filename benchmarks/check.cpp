// SPDX-License-Identifier: BSL-1.0
// What the timings rest on, checked outside any timed loop: every framework computes the
// same numbers from the same data and initial parameters (losses after three training steps,
// sums of inference outputs), and the heap-free ones (typenn, Eigen) never allocate in the
// calls that are timed. Counts every global allocation.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "cases.hpp"
#include "../tests/heap_counter.hpp"


int main() {
    constexpr int calls = 3;
    constexpr double tolerance = 1e-4;  // relative; float sums in different orders
    {
        heap_counter::allocations = 0;
        const auto probe = std::make_unique<int>(1);
        if (heap_counter::allocations != 1) {
            std::printf("FAILED: the allocation counter does not count\n");
            return 1;
        }
    }
    int failures = 0;
    std::map<std::string, double> first_result;  // net/task -> the first variant's result
    for (const bench::Case& c : bench::registry()) {
        const std::unique_ptr<bench::Runner> runner = c.make();
        heap_counter::allocations = 0;
        for (int k = 0; k < calls; ++k) runner->once();
        const std::size_t counted = heap_counter::allocations;
        const double result = runner->result();

        const double expected =
            first_result.try_emplace(c.net + "/" + c.task, result).first->second;
        const bool agrees = std::abs(result - expected) <= tolerance * (1 + std::abs(expected));
        const bool allocation_ok = counted == 0 || !c.heap_free;
        std::printf("%-42s result %-14.8g %s  %zu allocations in %d calls%s\n", c.name().c_str(),
                    result, agrees ? "agrees" : "DIFFERS", counted, calls,
                    allocation_ok ? "" : "  ALLOCATES");
        failures += !agrees + !allocation_ok;
    }
    std::printf("%s: %d problems in %zu cases\n", failures ? "FAILED" : "passed", failures,
                bench::registry().size());
    return failures ? 1 : 0;
}
