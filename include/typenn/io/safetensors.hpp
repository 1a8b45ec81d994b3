// SPDX-License-Identifier: BSL-1.0
#pragma once
// The safetensors file format, as PyTorch checkpoints use it: an 8-byte little-endian header
// length N, N bytes of JSON {name: {"dtype", "shape", "data_offsets": [begin, end]}, optional
// "__metadata__": {string: string}}, then the data section, which the offsets index.
// An Archive validates a whole file image before anyone reads a tensor, so that a caller can
// refuse a bad file without having touched its own state. Nothing is read outside the image:
// every length and offset is checked against it, and products are checked for overflow.
#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "typenn/detail/raise.hpp"
#include "typenn/io/error.hpp"

namespace typenn::safetensors {

static_assert(std::endian::native == std::endian::little,
              "typenn: safetensors stores little-endian numbers, which typenn copies as they "
              "are; a big-endian host would need byte swapping");
static_assert(sizeof(std::size_t) >= sizeof(std::uint64_t),
              "typenn: safetensors sizes and offsets are 64-bit; typenn needs a 64-bit size_t");

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

namespace detail {
struct DTypeSpec {
    std::string_view name;
    std::size_t size;
};
// Indexed by DType, in the enum's order.
inline constexpr std::array<DTypeSpec, 10> dtype_specs{{{"F64", 8},
                                                        {"F32", 4},
                                                        {"F16", 2},
                                                        {"BF16", 2},
                                                        {"I64", 8},
                                                        {"I32", 4},
                                                        {"I16", 2},
                                                        {"I8", 1},
                                                        {"U8", 1},
                                                        {"BOOL", 1}}};
}  // namespace detail

inline std::string_view to_string(DType dtype) {
    return detail::dtype_specs[static_cast<std::size_t>(dtype)].name;
}

inline std::size_t size_of(DType dtype) {
    return detail::dtype_specs[static_cast<std::size_t>(dtype)].size;
}

// The C++ types whose tensors typenn reads and writes, and the dtype each is stored as.
template <class T>
concept Storable =
    std::same_as<T, float> || std::same_as<T, double> || std::same_as<T, std::int64_t>;

template <Storable T>
inline constexpr DType dtype_of = std::same_as<T, float>    ? DType::F32
                                  : std::same_as<T, double> ? DType::F64
                                                            : DType::I64;

struct TensorInfo {
    std::string name;
    DType dtype;
    std::vector<std::size_t> shape;
    std::span<const std::byte> data;
};

// "F32 [7, 5]"; a 0-dim tensor is "I64 []".
inline std::string describe(DType dtype, const std::vector<std::size_t>& shape) {
    std::string out(to_string(dtype));
    out += " [";
    for (std::size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

namespace detail {
inline constexpr std::size_t length_field_size = 8;
// The limit the reference implementation (huggingface/safetensors) sets.
inline constexpr std::uint64_t max_header_length = 100'000'000;
// Root object, tensor entry, shape or offsets array: deeper JSON cannot be a valid header,
// and refusing it early keeps a hostile header from building a huge nested document.
inline constexpr int max_json_depth = 2;

inline std::optional<DType> parse_dtype(std::string_view name) {
    for (std::size_t i = 0; i < dtype_specs.size(); ++i)
        if (dtype_specs[i].name == name) return static_cast<DType>(i);
    return std::nullopt;
}

inline std::string dtype_names() {
    std::string out;
    for (const auto& spec : dtype_specs) out += (out.empty() ? "" : ", ") + std::string(spec.name);
    return out;
}

// Bytes a tensor of this dtype and shape occupies, or nullopt if that overflows 64 bits.
inline std::optional<std::uint64_t> byte_size(DType dtype, const std::vector<std::size_t>& shape) {
    std::uint64_t bytes = size_of(dtype);
    for (const std::uint64_t extent : shape) {
        if (extent != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / extent)
            return std::nullopt;
        bytes *= extent;
    }
    return bytes;
}

// A JSON value as an error message shows it: short, whatever the file holds.
inline std::string excerpt(const nlohmann::ordered_json& value) {
    std::string text = value.dump();
    constexpr std::size_t shown = 60;
    if (text.size() > shown) text = text.substr(0, shown) + "...";
    return std::string(value.type_name()) + " " + text;
}
}  // namespace detail

// A parsed and fully validated file image. Tensors view `image`, which the caller keeps alive.
// The constructor raises io_error (detail/raise.hpp) naming `source`, the key (if any) and
// expected vs found.
class Archive {
public:
    Archive(std::span<const std::byte> image, std::string source) : source_(std::move(source)) {
        const std::string_view header = header_of(image);
        const auto data = image.subspan(detail::length_field_size + header.size());
        place(parse_header(header), data);
    }

    // In the order of the header.
    const std::vector<TensorInfo>& tensors() const { return tensors_; }

    const TensorInfo* find(std::string_view name) const {
        const auto it = index_.find(name);
        return it == index_.end() ? nullptr : &tensors_[it->second];
    }

    const TensorInfo& at(std::string_view name) const {
        if (const TensorInfo* tensor = find(name)) return *tensor;
        refuse("expected a tensor named '" + std::string(name) + "', found none among its " +
               std::to_string(tensors_.size()) + " tensors");
    }

    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    const std::string& source() const { return source_; }

private:
    using json = nlohmann::ordered_json;

    struct Extent {
        std::uint64_t begin, end;
    };

    [[noreturn]] void refuse(const std::string& what) const {
        TYPENN_RAISE io_error("typenn: " + source_ + ": " + what);
    }
    static std::string tensor(const std::string& name) { return "tensor '" + name + "': "; }

    std::string_view header_of(std::span<const std::byte> image) const {
        if (image.size() < detail::length_field_size)
            refuse("expected at least 8 bytes (the header length), found " +
                   std::to_string(image.size()) + " bytes");
        std::uint64_t length;
        std::memcpy(&length, image.data(), sizeof length);
        if (length > detail::max_header_length)
            refuse("header length: expected at most " + std::to_string(detail::max_header_length) +
                   " bytes, found " + std::to_string(length));
        const std::size_t available = image.size() - detail::length_field_size;
        if (length > available)
            refuse("header length: expected at most the " + std::to_string(available) +
                   " bytes that follow the length field, found " + std::to_string(length) +
                   " (is the file truncated?)");
        return {reinterpret_cast<const char*>(image.data() + detail::length_field_size),
                static_cast<std::size_t>(length)};
    }

    // nlohmann::json keeps the last of duplicate keys silently; the parser callback sees every
    // key, so duplicates are refused here. It also takes a NUL byte for the end of the input
    // and would ignore what follows; JSON has no place for one.
    json parse_json(std::string_view text) const {
        if (const auto nul = text.find('\0'); nul != std::string_view::npos)
            refuse("malformed JSON header: expected no NUL byte, found one at header byte " +
                   std::to_string(nul));
        std::vector<std::set<std::string>> open_objects;
        auto check = [&](int depth, json::parse_event_t event, json& parsed) {
            switch (event) {
                case json::parse_event_t::object_start:
                case json::parse_event_t::array_start:
                    if (depth > detail::max_json_depth)
                        refuse("header: expected JSON nested at most 3 levels deep "
                               "(header, tensor, shape), found deeper nesting");
                    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
                    break;
                case json::parse_event_t::object_end:
                    open_objects.pop_back();
                    break;
                case json::parse_event_t::key:
                    if (!open_objects.back().insert(parsed.get<std::string>()).second)
                        refuse("header: duplicate key '" + parsed.get<std::string>() +
                               "': expected each key once, found it again");
                    break;
                default:
                    break;
            }
            return true;
        };
#if TYPENN_HAS_EXCEPTIONS
        try {
            return json::parse(text.begin(), text.end(), check);
        } catch (const json::exception& e) {
            refuse(std::string("malformed JSON header: ") + e.what());
        }
#else
        // Only nlohmann::json's exception says where the JSON breaks; without exceptions it
        // hands back a discarded value instead.
        json parsed = json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/false);
        if (parsed.is_discarded())
            refuse("malformed JSON header: expected JSON, found text that does not parse");
        return parsed;
#endif
    }

    std::vector<Extent> parse_header(std::string_view text) {
        const json header = parse_json(text);
        if (!header.is_object())
            refuse("header: expected a JSON object, found " + detail::excerpt(header));
        std::vector<Extent> extents;
        for (auto it = header.begin(); it != header.end(); ++it) {
            if (it.key() == "__metadata__") {
                read_metadata(it.value());
            } else {
                extents.push_back(read_entry(it.key(), it.value()));
                index_.emplace(it.key(), tensors_.size() - 1);
            }
        }
        return extents;
    }

    void read_metadata(const json& entry) {
        if (!entry.is_object())
            refuse("__metadata__: expected a JSON object of strings, found " +
                   detail::excerpt(entry));
        for (auto it = entry.begin(); it != entry.end(); ++it) {
            if (!it.value().is_string())
                refuse("__metadata__ key '" + it.key() + "': expected a string, found " +
                       detail::excerpt(it.value()));
            metadata_.emplace(it.key(), it.value().get<std::string>());
        }
    }

    // Appends the entry's tensor (data still unset) and returns its data_offsets.
    Extent read_entry(const std::string& name, const json& entry) {
        if (!entry.is_object())
            refuse(tensor(name) + "expected a JSON object {dtype, shape, data_offsets}, found " +
                   detail::excerpt(entry));
        for (auto it = entry.begin(); it != entry.end(); ++it)
            if (it.key() != "dtype" && it.key() != "shape" && it.key() != "data_offsets")
                refuse(tensor(name) + "unexpected field '" + it.key() +
                       "': expected only dtype, shape and data_offsets");
        const auto field = [&](const char* key) -> const json& {
            if (!entry.contains(key))
                refuse(tensor(name) + "expected a field '" + key + "', found none");
            return entry[key];
        };

        const json& dtype_field = field("dtype");
        const auto dtype = dtype_field.is_string()
                               ? detail::parse_dtype(dtype_field.get<std::string>())
                               : std::nullopt;
        if (!dtype)
            refuse(tensor(name) + "dtype: expected one of " + detail::dtype_names() +
                   ", found " + detail::excerpt(dtype_field));

        std::vector<std::size_t> shape = unsigned_array(name, "shape", field("shape"));
        const json& offsets_field = field("data_offsets");
        const std::vector<std::size_t> offsets =
            unsigned_array(name, "data_offsets", offsets_field);
        if (offsets.size() != 2)
            refuse(tensor(name) + "data_offsets: expected [begin, end], found " +
                   detail::excerpt(offsets_field));
        const Extent extent{offsets[0], offsets[1]};
        if (extent.begin > extent.end)
            refuse(tensor(name) + "data_offsets: expected begin <= end, found [" +
                   std::to_string(extent.begin) + ", " + std::to_string(extent.end) + "]");

        const auto bytes = detail::byte_size(*dtype, shape);
        if (!bytes)
            refuse(tensor(name) + "expected a size that fits in 64 bits, found " +
                   describe(*dtype, shape));
        if (extent.end - extent.begin != *bytes)
            refuse(tensor(name) + "expected " + std::to_string(*bytes) + " bytes for " +
                   describe(*dtype, shape) + ", found data_offsets [" +
                   std::to_string(extent.begin) + ", " + std::to_string(extent.end) +
                   "] holding " + std::to_string(extent.end - extent.begin));

        tensors_.push_back({name, *dtype, std::move(shape), {}});
        return extent;
    }

    std::vector<std::size_t> unsigned_array(const std::string& name, const char* key,
                                            const json& value) const {
        const auto refuse_value = [&] {
            refuse(tensor(name) + key + ": expected an array of non-negative integers, found " +
                   detail::excerpt(value));
        };
        if (!value.is_array()) refuse_value();
        std::vector<std::size_t> out;
        for (const json& element : value) {
            if (!element.is_number_unsigned()) refuse_value();
            out.push_back(element.get<std::uint64_t>());
        }
        return out;
    }

    // The tensors must tile the data section exactly: no overlap, no gap, nothing after.
    void place(const std::vector<Extent>& extents, std::span<const std::byte> data) {
        for (std::size_t i = 0; i < extents.size(); ++i)
            if (extents[i].end > data.size())
                refuse(tensor(tensors_[i].name) + "data_offsets end: expected at most " +
                       std::to_string(data.size()) + " (the data section's size), found " +
                       std::to_string(extents[i].end) + " (is the file truncated?)");

        std::vector<std::size_t> order(extents.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return std::pair(extents[a].begin, extents[a].end) <
                   std::pair(extents[b].begin, extents[b].end);
        });
        std::uint64_t covered = 0;
        const TensorInfo* previous = nullptr;
        for (const std::size_t i : order) {
            const Extent& extent = extents[i];
            if (extent.begin < covered)
                refuse(tensor(tensors_[i].name) + "data_offsets overlap tensor '" +
                       previous->name + "': expected begin " + std::to_string(covered) +
                       ", found " + std::to_string(extent.begin));
            if (extent.begin > covered)
                refuse(tensor(tensors_[i].name) + "data_offsets leave bytes [" +
                       std::to_string(covered) + ", " + std::to_string(extent.begin) +
                       ") of the data section to no tensor: expected begin " +
                       std::to_string(covered) + ", found " + std::to_string(extent.begin));
            covered = extent.end;
            previous = &tensors_[i];
            tensors_[i].data = data.subspan(extent.begin, extent.end - extent.begin);
        }
        if (covered != data.size())
            refuse("data section: expected the tensors to cover all its " +
                   std::to_string(data.size()) + " bytes, found them ending at " +
                   std::to_string(covered));
    }

    std::string source_;
    std::vector<TensorInfo> tensors_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::map<std::string, std::string> metadata_;
};

// A file image in the layout PyTorch's tooling writes: tensors contiguous in the given order,
// the header padded with spaces to a multiple of 8 bytes so that the data section is aligned.
inline std::vector<std::byte> serialize(std::span<const TensorInfo> tensors,
                                        const std::map<std::string, std::string>& metadata = {}) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const TensorInfo& t : tensors) {
        const auto bytes = detail::byte_size(t.dtype, t.shape);
        if (!bytes || *bytes != t.data.size())
            TYPENN_RAISE std::invalid_argument("typenn: safetensors::serialize: tensor '" + t.name +
                                               "': expected " + describe(t.dtype, t.shape) +
                                               " data, found " + std::to_string(t.data.size()) +
                                               " bytes");
        if (t.name == "__metadata__" || header.contains(t.name))
            TYPENN_RAISE std::invalid_argument(
                "typenn: safetensors::serialize: expected unique tensor names other than "
                "__metadata__, found '" +
                t.name + (t.name == "__metadata__" ? "'" : "' twice"));
        header[t.name] = {{"dtype", std::string(to_string(t.dtype))},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + *bytes}}};
        offset += *bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');

    std::vector<std::byte> image(detail::length_field_size + text.size() + offset);
    const std::uint64_t length = text.size();
    std::memcpy(image.data(), &length, sizeof length);
    std::memcpy(image.data() + detail::length_field_size, text.data(), text.size());
    std::byte* data = image.data() + detail::length_field_size + text.size();
    for (const TensorInfo& t : tensors) {
        if (!t.data.empty()) std::memcpy(data, t.data.data(), t.data.size());
        data += t.data.size();
    }
    return image;
}

namespace detail {
// The streams leave the reason for a failure in errno.
[[noreturn]] inline void refuse_file(const std::filesystem::path& path, const char* doing) {
    TYPENN_RAISE io_error("typenn: " + path.string() + ": cannot " + doing + ": " +
                          std::generic_category().message(errno));
}
}  // namespace detail

inline std::vector<std::byte> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) detail::refuse_file(path, "open it for reading");
    std::vector<std::byte> image;
    std::array<char, 1 << 16> chunk;
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
        const auto* bytes = reinterpret_cast<const std::byte*>(chunk.data());
        image.insert(image.end(), bytes, bytes + in.gcount());
    }
    if (in.bad()) detail::refuse_file(path, "read it");
    return image;
}

inline void write_file(const std::filesystem::path& path, std::span<const std::byte> image) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) detail::refuse_file(path, "open it for writing");
    out.write(reinterpret_cast<const char*>(image.data()),
              static_cast<std::streamsize>(image.size()));
    out.close();
    if (!out) detail::refuse_file(path, "write it");
}

// The tensor's values; memcpy because a file's data need not be aligned for T.
template <Storable T>
std::vector<T> to_vector(const TensorInfo& tensor) {
    if (tensor.dtype != dtype_of<T>)
        TYPENN_RAISE io_error("typenn: tensor '" + tensor.name + "': expected dtype " +
                              std::string(to_string(dtype_of<T>)) + ", found " +
                              describe(tensor.dtype, tensor.shape));
    std::vector<T> values(tensor.data.size() / sizeof(T));
    if (!values.empty()) std::memcpy(values.data(), tensor.data.data(), values.size() * sizeof(T));
    return values;
}

}  // namespace typenn::safetensors
