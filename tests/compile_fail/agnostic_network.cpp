// SPDX-License-Identifier: BSL-1.0
// first error: static assertion failed: typenn: Model<Net> needs a network with a fixed input width
#include <typenn/typenn.hpp>
using namespace typenn;

Model<Seq<ReLU, Tanh>> model;
