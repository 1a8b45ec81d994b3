// SPDX-License-Identifier: BSL-1.0
// libFuzzer target: arbitrary bytes as a safetensors image, loaded into each model of
// fuzz_models.hpp. Beyond what ASan and UBSan see, each input must keep load's promises:
//   - refused (io_error, and no other exception): the model is bit-identical to before;
//   - accepted: every tensor holds exactly the file's bytes, the gradients are untouched, and
//     what save writes loads back into another model bit for bit.
// A broken promise aborts, which libFuzzer reports as a crash with the input that caused it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "fuzz_models.hpp"

namespace {
using namespace typenn;

template <class M>
[[noreturn]] void broken(const char* promise) {
    std::fprintf(stderr, "load_fuzzer: Model<%s>: %s\n", M::network::name().c_str(), promise);
    std::abort();
}

// The model's values laid out as the file's tensors of the same names would be.
template <class M>
std::vector<std::byte> file_values(const M& model, const safetensors::Archive& archive) {
    std::vector<std::byte> out;
    model.visit([&](const KeyPath& key, auto) {
        const auto stored = archive.at(key.str()).data;
        out.insert(out.end(), stored.begin(), stored.end());
    });
    return out;
}

template <class M>
void check_load(std::span<const std::byte> image) {
    static const M before = fuzz::distinct_model<M>(2);
    M model = before;
    try {
        load(model, image, "fuzz input");
    } catch (const io_error&) {
        if (fuzz::value_bytes(model) != fuzz::value_bytes(before) ||
            fuzz::gradient_bytes(model) != fuzz::gradient_bytes(before))
            broken<M>("load threw io_error but changed the model");
        return;
    }
    if (fuzz::gradient_bytes(model) != fuzz::gradient_bytes(before))
        broken<M>("load accepted the file but changed a gradient");
    if (fuzz::value_bytes(model) != file_values(model, safetensors::Archive(image, "fuzz input")))
        broken<M>("load accepted the file but the model does not hold its values");
    M reloaded = fuzz::distinct_model<M>(3);
    load(reloaded, to_bytes(model), "saved");
    if (fuzz::value_bytes(reloaded) != fuzz::value_bytes(model))
        broken<M>("save then load does not give the model back");
}

template <class... M>
void check_all(std::span<const std::byte> image, std::tuple<M...>*) {
    (check_load<M>(image), ...);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    check_all(std::span(reinterpret_cast<const std::byte*>(data), size),
              static_cast<fuzz::Models*>(nullptr));
    return 0;
}
