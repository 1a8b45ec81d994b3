// SPDX-License-Identifier: BSL-1.0
// Loads every model export_models.py exported with tools/typenn_export.py: the generated type
// must accept the file (load() is strict: every key, dtype and shape), hold exactly its bytes,
// and compute PyTorch's outputs on PyTorch's inputs.
//   check_exports <directory of the exported files>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include <typenn/typenn.hpp>

#include "bare.hpp"
#include "cli_factory.hpp"
#include "cli_saved.hpp"
#include "double_net.hpp"
#include "every_layer.hpp"
#include "named.hpp"
#include "nested.hpp"
#include "residuals.hpp"

namespace {

constexpr std::size_t rows = 5;  // export_models.py's ROWS

template <class Net, class T = float>
bool matches_pytorch(const std::filesystem::path& dir, const std::string& stem, T tolerance) {
    static typenn::Model<Net, T> model;
    const auto weights = dir / (stem + ".safetensors");
    typenn::load(model, weights);
    const bool same_bytes = typenn::to_bytes(model) == typenn::safetensors::read_file(weights);

    const auto image = typenn::safetensors::read_file(dir / (stem + "_io.safetensors"));
    const typenn::safetensors::Archive io(image, stem + "_io.safetensors");
    const auto input = typenn::safetensors::to_vector<T>(io.at("input"));
    const auto expected = typenn::safetensors::to_vector<T>(io.at("output"));
    typenn::BasicTensor<T, rows, Net::in_features> x;
    std::copy(input.begin(), input.end(), x.begin());
    const auto y = model.forward(x);

    double worst = 0;
    bool close = expected.size() == y.size();
    for (std::size_t k = 0; close && k < y.size(); ++k) {
        const double error = std::abs(double(y.data()[k]) - double(expected[k]));
        worst = std::max(worst, error);
        close = error <= tolerance * (1 + std::abs(double(expected[k])));
    }
    std::printf("%-12s %s  max |typenn - PyTorch| = %.3g%s\n", stem.c_str(),
                close && same_bytes ? "ok" : "FAILED", worst,
                same_bytes ? "" : "  (the model saves other bytes than it loaded)");
    return close && same_bytes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: check_exports <directory>\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    try {
        const bool ok = matches_pytorch<EveryLayer>(dir, "every_layer", 1e-5f) &
                        matches_pytorch<Nested>(dir, "nested", 1e-5f) &
                        matches_pytorch<Residuals>(dir, "residuals", 1e-5f) &
                        matches_pytorch<DoubleNet, double>(dir, "double_net", 1e-12) &
                        matches_pytorch<Named>(dir, "named", 1e-5f) &
                        matches_pytorch<Bare>(dir, "bare", 1e-5f) &
                        matches_pytorch<CliSaved>(dir, "cli_saved", 1e-5f) &
                        matches_pytorch<CliFactory>(dir, "cli_factory", 1e-5f);
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::printf("FAILED: %s\n", e.what());
        return 1;
    }
}
