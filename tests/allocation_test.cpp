// SPDX-License-Identifier: BSL-1.0
// Nothing on the forward/backward path may touch the heap: count every global allocation.
#include <catch2/catch.hpp>

#include "test_nets.hpp"
#include "heap_counter.hpp"

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

    heap_counter::allocations = 0;
    const auto y = model.forward(x);
    model.zero_grad();
    const auto y_train = model.forward(x, tape);
    Tensor<16, Net::in_features> dx;
    model.backward(tape, dy, dx);
    model.forward(x, tape, Rows{5});
    model.backward(tape, dy);
    const std::size_t counted = heap_counter::allocations;

    CHECK(counted == 0);
    CHECK(y.size() == y_train.size());
    CHECK(dx.size() == 16 * Net::in_features);

    // The counter works: a vector allocates.
    heap_counter::allocations = 0;
    std::vector<int> probe(3);
    CHECK(heap_counter::allocations == 1);
}
