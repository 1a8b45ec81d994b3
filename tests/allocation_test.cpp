// Nothing on the forward/backward path may touch the heap: count every global allocation.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>

#include "test_nets.hpp"

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
    if (void* p = std::aligned_alloc(std::size_t(align), (size + std::size_t(align) - 1) &
                                                             ~(std::size_t(align) - 1)))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace typenn;

TEMPLATE_TEST_CASE("forward, training forward, backward and zero_grad allocate nothing", "",
                   test_nets::Seed, test_nets::Article, test_nets::NestedResidual,
                   test_nets::EveryActivation) {
    using Net = TestType;
    static Model<Net> model;
    static Tape<Net, 16> tape;
    Tensor<16, Net::in_features> x;
    Tensor<16, Net::out_features> dy;
    x.fill(0.5f);
    dy.fill(-0.25f);

    allocations = 0;
    const auto y = model.forward(x);
    model.zero_grad();
    const auto y_train = model.forward(x, tape);
    const auto dx = model.backward(tape, dy);
    model.forward(x, tape, Rows{5});
    model.backward(tape, dy);
    const std::size_t counted = allocations;

    CHECK(counted == 0);
    CHECK(y.size() == y_train.size());
    CHECK(dx.size() == 16 * Net::in_features);

    // The counter works: a vector allocates.
    allocations = 0;
    std::vector<int> probe(3);
    CHECK(allocations == 1);
}
