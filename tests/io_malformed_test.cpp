// SPDX-License-Identifier: BSL-1.0
// Loading refuses every malformed or mismatched file with an io_error that names the file, the
// key and what was expected versus found, and leaves the model exactly as it was.
// Most files are made here by editing a valid image's bytes or header text; a few that
// PyTorch's tooling wrote are committed in tests/fixtures/io (tools/make_io_fixtures.py).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <typenn/typenn.hpp>

#include "io_test_support.hpp"

using namespace typenn;
using io_test::fixtures;
using io_test::model_with_state;
using io_test::Net;
using io_test::snapshot;

namespace {

using Image = std::vector<std::byte>;

// A valid image from a model other than the one loaded into, so that any tensor copied
// before a refusal would show.
Image valid_image() { return to_bytes(model_with_state(7)); }

std::uint64_t header_length(const Image& image) {
    std::uint64_t length;
    std::memcpy(&length, image.data(), sizeof length);
    return length;
}

std::string header_of(const Image& image) {
    return {reinterpret_cast<const char*>(image.data() + 8), header_length(image)};
}

// The image with another header text and the same data section.
Image with_header(const Image& image, std::string_view header) {
    Image out(8 + header.size());
    const std::uint64_t length = header.size();
    std::memcpy(out.data(), &length, sizeof length);
    std::memcpy(out.data() + 8, header.data(), header.size());
    out.insert(out.end(), image.begin() + 8 + static_cast<std::ptrdiff_t>(header_length(image)),
               image.end());
    return out;
}

// The valid image with `from`, which must occur exactly once in its header, replaced.
Image edited(std::string_view from, std::string_view to) {
    const Image image = valid_image();
    std::string header = header_of(image);
    const auto at = header.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(header.find(from, at + 1) == std::string::npos);
    header.replace(at, from.size(), to);
    return with_header(image, header);
}

Image with_length_field(Image image, std::uint64_t length) {
    std::memcpy(image.data(), &length, sizeof length);
    return image;
}

// The tensors of a valid image, to be changed and serialized again into a well-formed file
// that does not fit the model.
struct Tensors {
    Image image = valid_image();
    safetensors::Archive archive{image, "valid"};
    std::vector<safetensors::TensorInfo> list = archive.tensors();

    safetensors::TensorInfo& operator[](std::string_view name) {
        const auto it = std::find_if(list.begin(), list.end(),
                                     [&](const auto& t) { return t.name == name; });
        REQUIRE(it != list.end());
        return *it;
    }
    void erase(std::string_view name) {
        std::erase_if(list, [&](const auto& t) { return t.name == name; });
    }
    Image serialized() const { return safetensors::serialize(list); }
};

template <class Load>
void require_refused(Load load_into, const std::string& source,
                     std::initializer_list<std::string_view> expected) {
    auto model = model_with_state(3);
    const auto before = snapshot(model);
    std::string message;
    try {
        load_into(model);
    } catch (const io_error& e) {
        message = e.what();
    }
    INFO(message);
    REQUIRE(!message.empty());
    CHECK_THAT(message, Catch::StartsWith("typenn: " + source + ": "));
    for (const auto text : expected) CHECK_THAT(message, Catch::Contains(std::string(text)));
    CHECK(snapshot(model) == before);
}

void require_refused(const Image& image, std::initializer_list<std::string_view> expected) {
    require_refused([&](auto& model) { load(model, image, "edited.safetensors"); },
                    "edited.safetensors", expected);
}

void require_refused_file(const std::string& name,
                          std::initializer_list<std::string_view> expected) {
    require_refused([&](auto& model) { load(model, fixtures + name); }, fixtures + name,
                    expected);
}

}  // namespace

TEST_CASE("the edits below start from an image that loads") {
    auto model = model_with_state(3);
    load(model, with_header(valid_image(), header_of(valid_image())), "unedited");
    CHECK(snapshot(model, false) == snapshot(model_with_state(7), false));
    // Offsets the edits rely on.
    CHECK(header_of(valid_image()).find(R"("4.weight":{"dtype":"F32","shape":[3,7],)"
                                        R"("data_offsets":[516,600]})") != std::string::npos);
    CHECK(valid_image().size() == 8 + header_length(valid_image()) + 600);
}

// ---- the length field and the header as JSON ----

TEST_CASE("refused: a file shorter than its 8-byte header length") {
    Image image = valid_image();
    image.resize(5);
    require_refused(image, {"expected at least 8 bytes (the header length), found 5 bytes"});
    require_refused(Image{}, {"found 0 bytes"});
}

TEST_CASE("refused: a header length past the end of the file") {
    const Image image = valid_image();
    require_refused(with_length_field(image, image.size() - 7),
                    {"header length: expected at most the " + std::to_string(image.size() - 8) +
                         " bytes that follow the length field, found " +
                         std::to_string(image.size() - 7),
                     "truncated"});
}

TEST_CASE("refused: an absurd header length, without reading or allocating it") {
    require_refused(with_length_field(valid_image(), UINT64_MAX),
                    {"header length: expected at most 100000000 bytes, found "
                     "18446744073709551615"});
    require_refused(with_length_field(valid_image(), 100'000'001),
                    {"expected at most 100000000 bytes, found 100000001"});
}

TEST_CASE("refused: malformed JSON") {
    const Image image = valid_image();
    require_refused(with_header(image, header_of(image).substr(0, 40)),
                    {"malformed JSON header: ", "parse error"});
    require_refused(with_header(image, ""), {"malformed JSON header: "});
    // nlohmann::json would stop at the NUL and accept the header.
    require_refused(with_header(image, header_of(image) + std::string("\0\0", 2)),
                    {"malformed JSON header: expected no NUL byte, found one at header byte " +
                     std::to_string(header_length(image))});
}

TEST_CASE("refused: a header that is not a JSON object") {
    require_refused(with_header(valid_image(), "[1, 2]"),
                    {"header: expected a JSON object, found array [1,2]"});
}

TEST_CASE("refused: a duplicate key") {
    const std::string bias = R"(,"0.bias":{"dtype":"F32","shape":[7],"data_offsets":[140,168]})";
    require_refused(edited(bias, bias + bias),
                    {"header: duplicate key '0.bias': expected each key once, found it again"});
    require_refused(edited(R"("shape":[3,7],)", R"("shape":[3,7],"shape":[3,7],)"),
                    {"duplicate key 'shape'"});
}

TEST_CASE("refused: JSON nested deeper than a header can be") {
    require_refused(edited("[3,7]", "[[3],7]"), {"expected JSON nested at most 3 levels deep"});
}

// ---- tensor entries ----

TEST_CASE("refused: an entry that is not an object") {
    require_refused(edited(R"({"dtype":"F32","shape":[7],"data_offsets":[140,168]})",
                           "[140,168]"),
                    {"tensor '0.bias': expected a JSON object {dtype, shape, data_offsets}, "
                     "found array [140,168]"});
}

TEST_CASE("refused: an entry with a missing or unknown field") {
    require_refused(edited(R"("shape":[7],"data_offsets":[140,168])",
                           R"("data_offsets":[140,168])"),
                    {"tensor '0.bias': expected a field 'shape', found none"});
    require_refused(edited(R"("data_offsets":[140,168])", R"("data_offsets":[140,168],"extra":1)"),
                    {"tensor '0.bias': unexpected field 'extra': expected only dtype, shape and "
                     "data_offsets"});
}

TEST_CASE("refused: an unknown dtype") {
    require_refused(edited(R"("dtype":"F32","shape":[7,5])", R"("dtype":"F8","shape":[7,5])"),
                    {"tensor '0.weight': dtype: expected one of F64, F32, F16, BF16, I64, I32, "
                     "I16, I8, U8, BOOL, found string \"F8\""});
}

TEST_CASE("refused: a shape that is not a list of non-negative integers") {
    require_refused(edited("[7,5]", "[7,-5]"),
                    {"tensor '0.weight': shape: expected an array of non-negative integers, "
                     "found array [7,-5]"});
    require_refused(edited("[7,5]", "[7,5.0]"), {"tensor '0.weight': shape: expected an array"});
}

TEST_CASE("refused: a shape whose byte size overflows 64 bits") {
    require_refused(edited("[7,5]", "[4294967296,4294967296,7]"),
                    {"tensor '0.weight': expected a size that fits in 64 bits, found F32 "
                     "[4294967296, 4294967296, 7]"});
}

TEST_CASE("refused: data_offsets that are not [begin, end] with begin <= end") {
    require_refused(edited("[140,168]", "[140,168,196]"),
                    {"tensor '0.bias': data_offsets: expected [begin, end], found array "
                     "[140,168,196]"});
    require_refused(edited("[140,168]", "[168,140]"),
                    {"tensor '0.bias': data_offsets: expected begin <= end, found [168, 140]"});
}

TEST_CASE("refused: a byte size that does not match shape and dtype") {
    require_refused(edited(R"("shape":[7],"data_offsets":[140,168])",
                           R"("shape":[6],"data_offsets":[140,168])"),
                    {"tensor '0.bias': expected 24 bytes for F32 [6], found data_offsets "
                     "[140, 168] holding 28"});
}

// ---- the data section ----

TEST_CASE("refused: data_offsets past the end of the data section") {
    require_refused(edited("[516,600]", "[616,700]"),
                    {"tensor '4.weight': data_offsets end: expected at most 600 (the data "
                     "section's size), found 700"});
    // Offsets near 2^64, where begin + size would wrap around.
    require_refused(edited("[516,600]", "[18446744073709551531,18446744073709551615]"),
                    {"tensor '4.weight': data_offsets end: expected at most 600",
                     "found 18446744073709551615"});
}

TEST_CASE("refused: truncated data") {
    Image image = valid_image();
    image.resize(image.size() - 4);
    require_refused(image, {"tensor '4.weight': data_offsets end: expected at most 596 (the "
                            "data section's size), found 600 (is the file truncated?)"});
}

TEST_CASE("refused: overlapping data_offsets") {
    require_refused(edited("[140,168]", "[136,164]"),
                    {"tensor '0.bias': data_offsets overlap tensor '0.weight': expected begin "
                     "140, found 136"});
    // Two tensors over the same bytes.
    require_refused(edited(R"("shape":[7],"data_offsets":[140,168])",
                           R"("shape":[7],"data_offsets":[0,28])"),
                    {"data_offsets overlap tensor '0.bias': expected begin 28, found 0"});
}

TEST_CASE("refused: data_offsets that leave a gap") {
    require_refused(edited("[140,168]", "[144,172]"),
                    {"tensor '0.bias': data_offsets leave bytes [140, 144) of the data section "
                     "to no tensor: expected begin 140, found 144"});
}

TEST_CASE("refused: bytes after the last tensor") {
    Image image = valid_image();
    image.resize(image.size() + 4);
    require_refused(image, {"data section: expected the tensors to cover all its 604 bytes, "
                            "found them ending at 600"});
}

TEST_CASE("refused: __metadata__ that is not an object of strings") {
    require_refused(edited(R"({"0.weight")", R"({"__metadata__":{"format":1},"0.weight")"),
                    {"__metadata__ key 'format': expected a string, found number 1"});
    require_refused(edited(R"({"0.weight")", R"({"__metadata__":"pt","0.weight")"),
                    {"__metadata__: expected a JSON object of strings, found string \"pt\""});
}

// ---- well-formed files that do not fit the model ----

TEST_CASE("refused: a missing key") {
    Tensors tensors;
    tensors.erase("3.body.1.weight");
    require_refused(tensors.serialized(), {"does not fit " + Net::name() + ": ",
                                           "missing key '3.body.1.weight': expected F32 [1], "
                                           "found no such tensor"});
}

TEST_CASE("refused: an unexpected key") {
    Tensors tensors;
    tensors.list.push_back(tensors["0.bias"]);
    tensors.list.back().name = "0.bias_extra";
    require_refused(tensors.serialized(),
                    {"unexpected key '0.bias_extra': expected no such tensor, found F32 [7]"});
}

TEST_CASE("refused: a renamed key, reported as both missing and unexpected") {
    Tensors tensors;
    tensors["3.body.1.weight"].name = "3.body.1.slope";
    require_refused(tensors.serialized(),
                    {"missing key '3.body.1.weight': expected F32 [1], found no such tensor; "
                     "unexpected key '3.body.1.slope': expected no such tensor, found F32 [1]"});
}

TEST_CASE("refused: a double model's file in a float model") {
    const auto image = to_bytes(model_with_state<double>(7));
    require_refused(image, {"key '0.weight': expected F32 [7, 5], found F64 [7, 5]",
                            "key '4.weight': expected F32 [3, 7], found F64 [3, 7]"});
    auto model = model_with_state(3);
    try {
        load(model, image, "double");
    } catch (const io_error& e) {
        CHECK_THAT(e.what(), !Catch::Contains("num_batches_tracked"));
    }
}

TEST_CASE("refused: num_batches_tracked that is not a 0-dim I64") {
    Tensors tensors;
    tensors["1.num_batches_tracked"].shape = {1};
    require_refused(tensors.serialized(),
                    {"key '1.num_batches_tracked': expected I64 [], found I64 [1]"});
    const std::vector<std::byte> four(4);
    tensors["1.num_batches_tracked"] = {"1.num_batches_tracked", safetensors::DType::I32, {}, four};
    require_refused(tensors.serialized(),
                    {"key '1.num_batches_tracked': expected I64 [], found I32 []"});
}

// ---- committed files that PyTorch's tooling wrote ----

TEST_CASE("refused file: truncated.safetensors") {
    require_refused_file("truncated.safetensors",
                         {"tensor '4.weight': data_offsets end: expected at most 594",
                          "(is the file truncated?)"});
}

TEST_CASE("refused file: overlapping_offsets.safetensors") {
    require_refused_file("overlapping_offsets.safetensors",
                         {"tensor '0.bias': data_offsets overlap tensor '0.weight': expected "
                          "begin 140, found 136"});
}

TEST_CASE("refused file: transposed_weight.safetensors") {
    require_refused_file("transposed_weight.safetensors",
                         {"key '0.weight': expected F32 [7, 5], found F32 [5, 7]"});
}

TEST_CASE("refused file: a path that does not exist") {
    require_refused_file("no_such_file.safetensors",
                         {"cannot open it for reading: No such file or directory"});
}
