// What the timings rest on, checked outside any timed loop: every framework computes the
// same numbers from the same data and initial parameters (losses after three training steps,
// sums of inference outputs), and the heap-free ones (typenn, Eigen) never allocate in the
// calls that are timed. Counts every global allocation.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>

#include "cases.hpp"

namespace {
std::size_t allocations = 0;
}

void* operator new(std::size_t size) {
    ++allocations;
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t align) {
    ++allocations;
    const std::size_t a = std::size_t(align);
    if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

int main() {
    constexpr int calls = 3;
    constexpr double tolerance = 1e-4;  // relative; float sums in different orders
    {
        allocations = 0;
        const auto probe = std::make_unique<int>(1);
        if (allocations != 1) {
            std::printf("FAILED: the allocation counter does not count\n");
            return 1;
        }
    }
    int failures = 0;
    std::map<std::string, double> first_result;  // net/task -> the first variant's result
    for (const bench::Case& c : bench::registry()) {
        const std::unique_ptr<bench::Runner> runner = c.make();
        allocations = 0;
        for (int k = 0; k < calls; ++k) runner->once();
        const std::size_t counted = allocations;
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
