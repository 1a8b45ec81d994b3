// SPDX-License-Identifier: BSL-1.0
// The products of the benchmark nets (issue 4's seed, digits and wide), compiled for the
// building machine and kept out of line, so that check_fma.cmake can read their loops in the
// object file: each must multiply and add with fused multiply-add instructions.
#include <cstddef>

#include <typenn/kernels/simd/products.hpp>

namespace codegen {

using namespace typenn::kernels::simd;

template <std::size_t N, std::size_t K>
[[gnu::noinline]] void forward(const float* x, const float* w, float* y, std::size_t rows) {
    products<N, K>(x, w, y, rows, [](auto sum, std::size_t, std::size_t) { return sum; });
}

template <std::size_t N, std::size_t K>
[[gnu::noinline]] void forward_from_transposed(const float* x, const float* wt, float* y,
                                               std::size_t rows) {
    transposed_products<N, K>(x, wt, y, rows,
                              [](auto sum, std::size_t, std::size_t) { return sum; });
}

template <std::size_t N, std::size_t K>
[[gnu::noinline]] void training_forward(const float* x, const float* w, float* y,
                                        ProductWorkspace<N, K, float>& workspace, std::size_t rows) {
    products<N, K>(x, w, y, rows, workspace, [](auto sum, std::size_t, std::size_t) { return sum; });
}

template <std::size_t In, std::size_t Out>
[[gnu::noinline]] void weight_gradient(const float* dz, const float* x, float* dw, std::size_t rows) {
    broadcast_products<In, 1, Out>(dz, x, dw, Out, rows);
}

template <std::size_t In, std::size_t Out>
[[gnu::noinline]] void input_gradient(const float* dz, const float* w, float* dx, std::size_t rows) {
    broadcast_products<In, Out, 1>(dz, w, dx, rows, Out,
                                   [](auto sum, std::size_t, std::size_t) { return sum; });
}

template void forward<20, 10>(const float*, const float*, float*, std::size_t);
template void forward_from_transposed<20, 10>(const float*, const float*, float*, std::size_t);
template void forward<128, 64>(const float*, const float*, float*, std::size_t);
template void forward<256, 256>(const float*, const float*, float*, std::size_t);
template void training_forward<128, 128>(const float*, const float*, float*,
                                         ProductWorkspace<128, 128, float>&, std::size_t);
template void training_forward<256, 256>(const float*, const float*, float*,
                                         ProductWorkspace<256, 256, float>&, std::size_t);
template void weight_gradient<128, 128>(const float*, const float*, float*, std::size_t);
template void weight_gradient<256, 256>(const float*, const float*, float*, std::size_t);
template void input_gradient<128, 128>(const float*, const float*, float*, std::size_t);
template void input_gradient<256, 256>(const float*, const float*, float*, std::size_t);

}  // namespace codegen

#if !defined(__FMA__) && !defined(__AVX512F__)
// check_fma.cmake skips its check when this symbol says the machine has no FMA to use.
extern "C" void typenn_codegen_machine_without_fma() {}
#endif
