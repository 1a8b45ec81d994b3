// SPDX-License-Identifier: BSL-1.0
// The load fuzzer's seed corpus (tests/fuzz/corpus): a valid file for every model of
// fuzz_models.hpp, and for every way load refuses a file, a file it refuses that way; each
// file's name says which. Starting from these, the fuzzer needs no luck to reach deep paths.
//   make_seed_corpus write DIR   writes the corpus, then checks it
//   make_seed_corpus check DIR   checks the committed corpus: each file is still accepted by
//                                its model, or refused with the message its name stands for
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_models.hpp"

namespace {
using namespace typenn;
using Image = std::vector<std::byte>;
using Refused = Model<fuzz::Mixed>;  // the model every refused seed is meant for

struct Seed {
    std::string name;
    Image image;
    std::string refusal;  // a part of the io_error message; empty if the file loads
    void (*load_into_its_model)(std::span<const std::byte>);
};

template <class M>
void load_into(std::span<const std::byte> image) {
    M model = fuzz::distinct_model<M>(2);
    load(model, image, "seed");
}

template <class M>
Seed valid(std::string name) {
    return {std::move(name), to_bytes(fuzz::distinct_model<M>(1)), "", &load_into<M>};
}

Seed refused(std::string name, Image image, std::string refusal) {
    return {std::move(name), std::move(image), std::move(refusal), &load_into<Refused>};
}

const Image& base() {
    static const Image image = to_bytes(fuzz::distinct_model<Refused>(1));
    return image;
}

std::uint64_t header_length(const Image& image) {
    std::uint64_t length;
    std::memcpy(&length, image.data(), sizeof length);
    return length;
}

Image with_length_field(Image image, std::uint64_t length) {
    std::memcpy(image.data(), &length, sizeof length);
    return image;
}

// The base image with another header text and the same data section.
Image with_header(std::string_view header) {
    const auto data = std::span(base()).subspan(8 + header_length(base()));
    Image out = with_length_field(Image(8 + header.size() + data.size()), header.size());
    std::memcpy(out.data() + 8, header.data(), header.size());
    std::memcpy(out.data() + 8 + header.size(), data.data(), data.size());
    return out;
}

// The base image with the first `from` in its header replaced.
Image edited(std::string_view from, std::string_view to) {
    std::string header(reinterpret_cast<const char*>(base().data() + 8), header_length(base()));
    const auto at = header.find(from);
    if (at == std::string::npos)
        throw std::logic_error("make_seed_corpus: '" + std::string(from) + "' not in the header");
    return with_header(header.replace(at, from.size(), to));
}

// The base image's tensors, changed by `change`, written again as a well-formed file.
template <class Change>
Image retensored(Change change) {
    const safetensors::Archive archive(base(), "base");
    std::vector<safetensors::TensorInfo> tensors = archive.tensors();
    change(tensors);
    return safetensors::serialize(tensors);
}

safetensors::TensorInfo& named(std::vector<safetensors::TensorInfo>& tensors,
                               std::string_view name) {
    return *std::find_if(tensors.begin(), tensors.end(),
                         [&](const auto& t) { return t.name == name; });
}

std::vector<Seed> seeds() {
    Image trailing = base();
    trailing.resize(trailing.size() + 4);
    const Image i32(4);
    return {
        valid<Model<fuzz::Mixed>>("valid_mixed_f32"),
        valid<Model<fuzz::Mixed, double>>("valid_mixed_f64"),
        valid<Model<fuzz::WithShortcut>>("valid_with_shortcut"),
        valid<Model<fuzz::Tiny>>("valid_tiny_f32"),
        valid<Model<fuzz::Tiny, double>>("valid_tiny_f64"),
        {"valid_with_metadata", edited("{", R"({"__metadata__":{"format":"pt"},)"), "",
         &load_into<Refused>},
        // The length field and the header as JSON.
        refused("short_file", Image(base().begin(), base().begin() + 5),
                "expected at least 8 bytes"),
        refused("header_length_over_limit", with_length_field(base(), 100'000'001),
                "expected at most 100000000 bytes"),
        refused("header_length_past_end", with_length_field(base(), base().size()),
                "bytes that follow the length field"),
        refused("json_malformed", with_header(R"({"0.weight":{"dtype")"),
                "malformed JSON header: "),
        refused("json_nul_byte", edited("}}", std::string("}}\0", 3)), "expected no NUL byte"),
        refused("json_too_deep", edited("[4,3]", "[[4],3]"), "nested at most 3 levels deep"),
        refused("json_duplicate_key", edited(R"("shape")", R"("shape":[4,3],"shape")"),
                "duplicate key 'shape'"),
        refused("header_not_object", with_header("[1,2]"), "header: expected a JSON object"),
        refused("metadata_not_object", edited("{", R"({"__metadata__":"pt",)"),
                "__metadata__: expected a JSON object of strings"),
        refused("metadata_not_string", edited("{", R"({"__metadata__":{"format":1},)"),
                "__metadata__ key 'format': expected a string"),
        // Tensor entries.
        refused("entry_not_object",
                edited(R"({"dtype":"F32","shape":[4],"data_offsets":[48,64]})", "[48,64]"),
                "expected a JSON object {dtype, shape, data_offsets}"),
        refused("entry_unknown_field", edited(R"("dtype")", R"("stride":1,"dtype")"),
                "unexpected field 'stride'"),
        refused("entry_missing_field", edited(R"("shape":[4,3],)", ""),
                "expected a field 'shape', found none"),
        refused("dtype_unknown", edited(R"("F32")", R"("F8")"), "dtype: expected one of"),
        refused("shape_negative", edited("[4,3]", "[4,-3]"),
                "shape: expected an array of non-negative integers"),
        refused("offsets_not_pair", edited("[0,48]", "[0,48,64]"),
                "data_offsets: expected [begin, end]"),
        refused("offsets_reversed", edited("[0,48]", "[48,0]"), "expected begin <= end"),
        refused("size_overflow", edited("[4,3]", "[4294967296,4294967296,4]"),
                "expected a size that fits in 64 bits"),
        refused("size_mismatch", edited("[4,3]", "[4,2]"), "expected 32 bytes for F32 [4, 2]"),
        // The data section.
        refused("offsets_past_end", edited("[216,248]", "[224,256]"),
                "data_offsets end: expected at most 248"),
        refused("offsets_overlap", edited("[48,64]", "[44,60]"), "data_offsets overlap tensor"),
        refused("offsets_gap", edited("[48,64]", "[52,68]"), "of the data section to no tensor"),
        refused("trailing_bytes", trailing, "data section: expected the tensors to cover"),
        // Well-formed files that do not fit the model.
        refused("missing_key",
                retensored([](auto& t) {
                    std::erase_if(t, [](auto& x) { return x.name == "4.weight"; });
                }),
                "missing key '4.weight'"),
        refused("unexpected_key",
                retensored([](auto& t) {
                    t.push_back(named(t, "0.bias"));
                    t.back().name = "0.bias_extra";
                }),
                "unexpected key '0.bias_extra'"),
        refused("wrong_shape", retensored([](auto& t) { named(t, "0.weight").shape = {3, 4}; }),
                "key '0.weight': expected F32 [4, 3], found F32 [3, 4]"),
        refused("wrong_dtype", retensored([&](auto& t) {
                    named(t, "1.num_batches_tracked") = {"1.num_batches_tracked",
                                                         safetensors::DType::I32, {}, i32};
                }),
                "key '1.num_batches_tracked': expected I64 [], found I32 []"),
    };
}

// Why the seed no longer does what its name says, or nothing.
std::string problem(const Seed& seed, std::span<const std::byte> image) {
    try {
        seed.load_into_its_model(image);
    } catch (const io_error& e) {
        if (seed.refusal.empty()) return std::string("refused: ") + e.what();
        if (std::string_view(e.what()).find(seed.refusal) == std::string_view::npos)
            return "expected a refusal with '" + seed.refusal + "', found: " + e.what();
        return "";
    }
    return seed.refusal.empty() ? "" : "expected a refusal with '" + seed.refusal + "', it loads";
}
}  // namespace

int main(int argc, char** argv) {
    const std::string_view mode = argc == 3 ? argv[1] : "";
    if (mode != "write" && mode != "check") {
        std::cerr << "usage: make_seed_corpus write|check DIR\n";
        return 2;
    }
    const std::filesystem::path dir = argv[2];
    if (mode == "write") std::filesystem::create_directories(dir);
    int failures = 0;
    for (const Seed& seed : seeds()) {
        const auto path = dir / seed.name;
        if (mode == "write") safetensors::write_file(path, seed.image);
        try {
            const std::string why = problem(seed, safetensors::read_file(path));
            if (!why.empty()) {
                std::cerr << path.string() << ": " << why << "\n";
                ++failures;
            }
        } catch (const std::exception& e) {
            std::cerr << path.string() << ": " << e.what() << "\n";
            ++failures;
        }
    }
    std::cout << (mode == "write" ? "wrote and checked " : "checked ") << seeds().size()
              << " seeds in " << dir.string() << ", " << failures << " failed\n";
    return failures == 0 ? 0 : 1;
}
