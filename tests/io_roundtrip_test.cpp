// SPDX-License-Identifier: BSL-1.0
// Saving and loading models as safetensors: byte-exact round trips, PyTorch's state_dict keys
// and layouts, and files PyTorch wrote (tests/fixtures/io, from tools/make_io_fixtures.py).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include <typenn/typenn.hpp>

#include "io_test_support.hpp"

using namespace typenn;
using io_test::fixtures;
using io_test::model_with_state;
using io_test::Net;
using io_test::snapshot;

namespace {

// A directory of its own for each test process (CTest runs test cases in parallel).
struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("typenn_io_test_" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
};

struct Expected {
    std::string name;
    safetensors::DType dtype;
    std::vector<std::size_t> shape;
};

// PyTorch's state_dict() of the twin in tools/make_io_fixtures.py, in its order.
std::vector<Expected> pytorch_state_dict(safetensors::DType real) {
    const auto i64 = safetensors::DType::I64;
    return {{"0.weight", real, {7, 5}},         {"0.bias", real, {7}},
            {"1.weight", real, {7}},            {"1.bias", real, {7}},
            {"1.running_mean", real, {7}},      {"1.running_var", real, {7}},
            {"1.num_batches_tracked", i64, {}}, {"3.body.0.weight", real, {7, 7}},
            {"3.body.0.bias", real, {7}},       {"3.body.1.weight", real, {1}},
            {"4.weight", real, {3, 7}}};
}

void check_layout(const safetensors::Archive& archive, const std::vector<Expected>& expected) {
    REQUIRE(archive.tensors().size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& t = archive.tensors()[i];
        INFO(expected[i].name);
        CHECK(t.name == expected[i].name);
        CHECK(t.dtype == expected[i].dtype);
        CHECK(t.shape == expected[i].shape);
    }
}

template <class T>
std::vector<T> values_of(const safetensors::Archive& archive, const char* name) {
    return safetensors::to_vector<T>(archive.at(name));
}

template <class T, std::size_t R, std::size_t C>
BasicTensor<T, R, C> tensor_from(const safetensors::TensorInfo& info) {
    REQUIRE(info.shape == std::vector<std::size_t>{R, C});
    const std::vector<T> values = safetensors::to_vector<T>(info);
    BasicTensor<T, R, C> out;
    std::copy(values.begin(), values.end(), out.begin());
    return out;
}

}  // namespace

TEST_CASE("save, load and save again give the same file and the same tensors") {
    const TempDir dir;
    const auto saved = model_with_state(1);
    save(saved, dir.path / "first.safetensors");

    auto loaded = model_with_state(2);
    REQUIRE(snapshot(loaded, false) != snapshot(saved, false));
    const auto grads_before = snapshot(loaded);
    load(loaded, dir.path / "first.safetensors");
    CHECK(snapshot(loaded, false) == snapshot(saved, false));
    // Loading restores parameters and buffers, never gradients (load_state_dict neither).
    const auto grads_after = snapshot(loaded);
    for (std::size_t i = 0; i < grads_after.size(); ++i)
        if (grads_after[i].first.ends_with(".grad")) CHECK(grads_after[i] == grads_before[i]);

    save(loaded, dir.path / "second.safetensors");
    const auto first = safetensors::read_file(dir.path / "first.safetensors");
    CHECK(safetensors::read_file(dir.path / "second.safetensors") == first);
    CHECK(to_bytes(saved) == first);
}

TEST_CASE("a float model is saved with PyTorch's keys, F32 and state_dict layouts") {
    const auto model = model_with_state(5);
    const auto image = to_bytes(model);
    const safetensors::Archive archive(image, "float model");
    check_layout(archive, pytorch_state_dict(safetensors::DType::F32));

    std::uint64_t header_length;
    std::memcpy(&header_length, image.data(), 8);
    CHECK(header_length % 8 == 0);
    const std::string header(reinterpret_cast<const char*>(image.data() + 8), header_length);
    CHECK(header.starts_with(
        R"({"0.weight":{"dtype":"F32","shape":[7,5],"data_offsets":[0,140]},)"));
    CHECK(header.find(R"("1.num_batches_tracked":{"dtype":"I64","shape":[],)") !=
          std::string::npos);

    // Linear's weight is [out, in] row-major, as nn.Linear's.
    const auto& weight = model.state().get<0>().weight;
    const auto stored = values_of<float>(archive, "0.weight");
    CHECK(stored[1] == weight(0, 1));
    CHECK(stored[5] == weight(1, 0));
    CHECK(values_of<std::int64_t>(archive, "1.num_batches_tracked") ==
          std::vector<std::int64_t>{5});
    CHECK(values_of<float>(archive, "3.body.1.weight") ==
          std::vector<float>{model.state().get<3>().body.get<1>().weight[0]});
}

TEST_CASE("Model<Net, double> is saved as F64 and round-trips exactly") {
    const TempDir dir;
    const auto saved = model_with_state<double>(3);
    save(saved, dir.path / "double.safetensors");
    const auto image = safetensors::read_file(dir.path / "double.safetensors");
    check_layout(safetensors::Archive(image, "double model"),
                 pytorch_state_dict(safetensors::DType::F64));

    auto loaded = model_with_state<double>(4);
    load(loaded, dir.path / "double.safetensors");
    CHECK(snapshot(loaded, false) == snapshot(saved, false));
    CHECK(to_bytes(loaded) == image);
}

TEST_CASE("a state_dict PyTorch saved loads, computes PyTorch's outputs and saves identically") {
    const auto pytorch_file = safetensors::read_file(fixtures + "pytorch_net.safetensors");
    const auto io_image = safetensors::read_file(fixtures + "pytorch_net_io.safetensors");
    const safetensors::Archive io(io_image, "pytorch_net_io.safetensors");

    auto model = model_with_state(9);
    load(model, fixtures + "pytorch_net.safetensors");
    CHECK(model.state().get<1>().num_batches_tracked == 1);

    const auto y = model.forward(tensor_from<float, 4, 5>(io.at("input")));
    const auto expected = tensor_from<float, 4, 3>(io.at("eval_output"));
    for (std::size_t k = 0; k < y.size(); ++k)
        CHECK(y.data()[k] == Approx(expected.data()[k]).margin(1e-6).epsilon(1e-5));

    // typenn writes exactly what PyTorch's writer wrote, header and padding included.
    CHECK(to_bytes(model) == pytorch_file);
}

TEST_CASE("save_grads writes every parameter's gradient under its named_parameters() name") {
    const TempDir dir;
    const auto io_image = safetensors::read_file(fixtures + "pytorch_net_io.safetensors");
    const safetensors::Archive io(io_image, "pytorch_net_io.safetensors");
    const auto pytorch_image = safetensors::read_file(fixtures + "pytorch_net_grads.safetensors");
    const safetensors::Archive pytorch(pytorch_image, "pytorch_net_grads.safetensors");

    auto model = model_with_state(9);
    load(model, fixtures + "pytorch_net.safetensors");
    model.zero_grad();
    Tape<Net, 4> tape;
    model.forward(tensor_from<float, 4, 5>(io.at("input")), tape);
    model.backward(tape, tensor_from<float, 4, 3>(io.at("dy")));
    save_grads(model, dir.path / "grads.safetensors");

    const auto image = safetensors::read_file(dir.path / "grads.safetensors");
    const safetensors::Archive grads(image, "grads.safetensors");
    REQUIRE(grads.tensors().size() == pytorch.tensors().size());
    for (std::size_t i = 0; i < grads.tensors().size(); ++i) {
        const auto& ours = grads.tensors()[i];
        const auto& theirs = pytorch.tensors()[i];
        INFO(theirs.name);
        REQUIRE(ours.name == theirs.name);
        CHECK(ours.dtype == theirs.dtype);
        CHECK(ours.shape == theirs.shape);
        const auto got = safetensors::to_vector<float>(ours);
        const auto want = safetensors::to_vector<float>(theirs);
        REQUIRE(got.size() == want.size());
        for (std::size_t k = 0; k < got.size(); ++k)
            CHECK(got[k] == Approx(want[k]).margin(1e-5).epsilon(1e-4));
    }
    // The values are the model's own gradients, bit for bit.
    const auto model_grads = snapshot(model);
    for (const auto& [name, values] : model_grads)
        if (name.ends_with(".grad")) {
            const auto stored = safetensors::to_vector<float>(
                grads.at(name.substr(0, name.size() - std::string(".grad").size())));
            CHECK(std::vector<double>(stored.begin(), stored.end()) == values);
        }
}

TEST_CASE("a file's __metadata__ is read, and does not stop a load") {
    const auto model = model_with_state(6);
    const auto plain = to_bytes(model);
    const safetensors::Archive archive(plain, "plain");
    const auto image = safetensors::serialize(archive.tensors(), {{"format", "pt"}});
    const safetensors::Archive with_metadata(image, "with metadata");
    CHECK(with_metadata.metadata() == std::map<std::string, std::string>{{"format", "pt"}});
    CHECK(archive.metadata().empty());

    auto loaded = model_with_state(7);
    load(loaded, image);
    CHECK(snapshot(loaded, false) == snapshot(model, false));
}

TEST_CASE("Archive::at and find look tensors up by name") {
    const auto image = to_bytes(model_with_state(1));
    const safetensors::Archive archive(image, "lookup.safetensors");
    CHECK(archive.find("1.running_var") == &archive.tensors()[5]);
    CHECK(archive.find("1.running") == nullptr);
    CHECK(&archive.at("4.weight") == &archive.tensors().back());
    CHECK_THROWS_WITH(archive.at("4.bias"),
                      "typenn: lookup.safetensors: expected a tensor named '4.bias', found none "
                      "among its 11 tensors");
}

TEST_CASE("to_vector refuses a dtype other than the one asked for") {
    const auto image = to_bytes(model_with_state(1));
    const safetensors::Archive archive(image, "model");
    CHECK_THROWS_AS(values_of<double>(archive, "0.weight"), io_error);
    CHECK_THROWS_WITH(values_of<double>(archive, "0.weight"),
                      "typenn: tensor '0.weight': expected dtype F64, found F32 [7, 5]");
    CHECK_THROWS_WITH(values_of<float>(archive, "1.num_batches_tracked"),
                      Catch::Contains("expected dtype F32, found I64 []"));
}

TEST_CASE("serialize refuses tensors whose bytes do not match, and repeated names") {
    const std::vector<std::byte> bytes(12);
    const safetensors::TensorInfo three{"t", safetensors::DType::F32, {3}, bytes};
    const safetensors::TensorInfo four{"t", safetensors::DType::F32, {4}, bytes};
    CHECK_THROWS_WITH(safetensors::serialize(std::vector{four}),
                      Catch::Contains("tensor 't': expected F32 [4] data, found 12 bytes"));
    CHECK_THROWS_WITH(safetensors::serialize(std::vector{three, three}),
                      Catch::Contains("found 't' twice"));
    auto reserved = three;
    reserved.name = "__metadata__";
    CHECK_THROWS_WITH(safetensors::serialize(std::vector{reserved}),
                      Catch::EndsWith("other than __metadata__, found '__metadata__'"));
}

TEST_CASE("unreadable and unwritable paths are io_errors naming the path") {
    const TempDir dir;
    const auto missing = dir.path / "missing.safetensors";
    CHECK_THROWS_WITH(safetensors::read_file(missing),
                      "typenn: " + missing.string() +
                          ": cannot open it for reading: No such file or directory");
    CHECK_THROWS_WITH(safetensors::read_file(dir.path),
                      Catch::StartsWith("typenn: " + dir.path.string() + ": cannot read it"));
    const auto nowhere = dir.path / "no_such_dir" / "model.safetensors";
    CHECK_THROWS_WITH(save(model_with_state(1), nowhere),
                      "typenn: " + nowhere.string() +
                          ": cannot open it for writing: No such file or directory");
}
