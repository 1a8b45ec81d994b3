// SPDX-License-Identifier: BSL-1.0
// typenn_bake: turns a safetensors file into a C++ header that bakes its tensors into a
// program, so that the compiler builds a model from them (typenn/baked.hpp):
//   typenn_bake <weights.safetensors> <out.hpp> <namespace>
// The header defines <namespace>::weights, a typenn::BakedWeights<float> for F32 tensors
// (<double> for F64) in the file's order, 0-dim I64 tensors (BatchNorm's num_batches_tracked)
// as integers; a program then declares
//   constinit const typenn::Model<Net> model{<namespace>::weights};
// In CMake, typenn_bake_weights() (cmake/typennBake.cmake) runs it as a build step.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <typenn/baked.hpp>
#include <typenn/io/safetensors.hpp>

namespace {

using typenn::safetensors::DType;
using typenn::safetensors::TensorInfo;

[[noreturn]] void refuse(const std::string& what) {
    throw std::runtime_error("typenn: typenn_bake: " + what);
}

bool is_identifier(std::string_view name) {
    const auto letter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    if (name.empty() || !letter(name.front())) return false;
    for (const char c : name)
        if (!letter(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

// "weights" or "game::ai::weights".
bool is_namespace_name(std::string_view name) {
    for (std::size_t end; (end = name.find("::")) != std::string_view::npos;
         name.remove_prefix(end + 2))
        if (!is_identifier(name.substr(0, end))) return false;
    return is_identifier(name);
}

// A C++ string literal, also safe in a comment: no line break, no trailing backslash. Octal
// escapes have a fixed length, so no following digit can extend them.
std::string literal(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte >= 0x7f) {
            char escape[5];
            std::snprintf(escape, sizeof escape, "\\%03o", unsigned(byte));
            out += escape;
        } else {
            out += c;
        }
    }
    return out + '"';
}

// The shortest literal that reads back as exactly this value.
template <class T>
void append_literal(std::string& out, T value, const std::string& tensor) {
    if (!std::isfinite(value))
        refuse("tensor '" + tensor + "' holds " + std::to_string(value) +
               ": a model with non-finite weights cannot be baked");
    char text[48];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    const std::string_view number(text, std::size_t(end - text));
    out += number;
    if (number.find_first_of(".e") == std::string_view::npos) out += ".0";
    if constexpr (std::is_same_v<T, float>) out += 'f';
}

template <class T>
void append_values(std::string& out, const TensorInfo& tensor) {
    constexpr std::size_t per_line = 8;
    const std::size_t count = tensor.data.size() / sizeof(T);
    out += "    // " + literal(tensor.name) + "\n";
    for (std::size_t k = 0; k < count; ++k) {
        T value;
        std::memcpy(&value, tensor.data.data() + k * sizeof(T), sizeof(T));
        out += k % per_line == 0 ? "    " : " ";
        append_literal(out, value, tensor.name);
        out += ',';
        if (k % per_line == per_line - 1 || k + 1 == count) out += '\n';
    }
}

std::string shape_list(const TensorInfo& tensor) {
    std::string out = "{";
    for (std::size_t d = 0; d < tensor.shape.size(); ++d)
        out += (d ? ", " : "") + std::to_string(tensor.shape[d]);
    return out + "}";
}

template <class T>
std::string header(const typenn::safetensors::Archive& archive, std::string_view name_space,
                   std::string_view source_name) {
    const char* scalar = std::is_same_v<T, float> ? "float" : "double";
    std::string table, values, integers;
    std::size_t value_count = 0, integer_count = 0;
    for (const TensorInfo& tensor : archive.tensors()) {
        const bool integer = tensor.dtype == DType::I64;
        const std::size_t offset = integer ? integer_count : value_count;
        table += "    {" + literal(tensor.name) + ", " + (integer ? "true" : "false") + ", " +
                 std::to_string(tensor.shape.size()) + ", " + shape_list(tensor) + ", " +
                 std::to_string(offset) + "},\n";
        if (integer) {
            std::int64_t value;
            std::memcpy(&value, tensor.data.data(), sizeof value);
            integers += "    " + std::to_string(value) + ",  // " + literal(tensor.name) + "\n";
            ++integer_count;
        } else {
            append_values<T>(values, tensor);
            value_count += tensor.data.size() / sizeof(T);
        }
    }

    std::string out = "// Generated by typenn_bake from " + literal(source_name) + ": " +
                      std::to_string(archive.tensors().size()) + " tensors, " +
                      std::to_string(value_count) + " " + scalar +
                      " values. Do not edit.\n#pragma once\n#include <cstdint>\n\n"
                      "#include <typenn/baked.hpp>\n\nnamespace " +
                      std::string(name_space) + " {\n\n";
    out += "inline constexpr typenn::BakedTensor tensors[] = {\n" + table + "};\n\n";
    if (value_count > 0)
        out += "inline constexpr " + std::string(scalar) + " values[] = {\n" + values + "};\n\n";
    if (integer_count > 0)
        out += "inline constexpr std::int64_t integers[] = {\n" + integers + "};\n\n";
    out += "inline constexpr typenn::BakedWeights<" + std::string(scalar) + "> weights{tensors, " +
           (value_count > 0 ? "values" : "{}") + ", " + (integer_count > 0 ? "integers" : "{}") +
           "};\n\n}  // namespace " + std::string(name_space) + "\n";
    return out;
}

// Every tensor must be a floating-point one of the same dtype, or a 0-dim I64 buffer.
DType scalar_dtype(const typenn::safetensors::Archive& archive) {
    std::optional<DType> scalar;
    for (const TensorInfo& tensor : archive.tensors()) {
        const std::string what = "tensor '" + tensor.name + "' (" +
                                 typenn::safetensors::describe(tensor.dtype, tensor.shape) + ")";
        if (tensor.dtype == DType::I64) {
            if (!tensor.shape.empty())
                refuse(what + ": integer tensors are baked only as 0-dim buffers");
            continue;
        }
        if (tensor.dtype != DType::F32 && tensor.dtype != DType::F64)
            refuse(what + ": expected F32 or F64 (or a 0-dim I64 buffer)");
        if (tensor.shape.size() > typenn::baked_max_rank)
            refuse(what + ": expected at most " + std::to_string(typenn::baked_max_rank) +
                   " dimensions");
        if (scalar && *scalar != tensor.dtype)
            refuse(what + ": expected every floating-point tensor to be " +
                   std::string(typenn::safetensors::to_string(*scalar)) +
                   ", as the first one is");
        scalar = tensor.dtype;
    }
    if (archive.tensors().empty()) refuse(archive.source() + " holds no tensors");
    return scalar.value_or(DType::F32);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s <weights.safetensors> <out.hpp> <namespace>\n", argv[0]);
        return 2;
    }
    try {
        const std::filesystem::path input = argv[1], output = argv[2];
        const std::string_view name_space = argv[3];
        if (!is_namespace_name(name_space))
            refuse("'" + std::string(name_space) +
                   "' is not a C++ namespace name (identifiers joined by ::)");
        const auto image = typenn::safetensors::read_file(input);
        const typenn::safetensors::Archive archive(image, input.string());
        const std::string source_name = input.filename().string();
        const std::string text = scalar_dtype(archive) == DType::F64
                                     ? header<double>(archive, name_space, source_name)
                                     : header<float>(archive, name_space, source_name);
        std::ofstream out(output, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) refuse("cannot write " + output.string());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
