// SPDX-License-Identifier: BSL-1.0
#pragma once
// The UCI ML hand-written digits (scikit-learn's load_digits): 1,797 images of 8×8 pixels,
// each pixel a count 0..16 of inked cells, labelled 0..9. The repository ships the file as
// examples/data/digits.csv.gz (BSD-3-Clause, see LICENSE-digits.txt): one sample per line,
// 64 pixels then the label. Reading it needs zlib: link typenn::data.
#include <zlib.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "typenn/data/dataset.hpp"
#include "typenn/detail/raise.hpp"

namespace typenn::data {

inline constexpr std::size_t digits_pixels = 64;
inline constexpr std::size_t digits_classes = 10;
inline constexpr std::size_t digits_samples = 1797;
inline constexpr int digits_max_pixel = 16;
// The fixed split: 80 % for training, as scikit-learn's test_size=0.2 rounds it, drawn by
// data::split with this seed (not scikit-learn's permutation).
inline constexpr std::size_t digits_test_samples = 360;
inline constexpr std::uint64_t digits_split_seed = 1797;

namespace detail {

// The whole decompressed file; gzread passes an uncompressed file through unchanged.
inline std::string read_gzip(const std::filesystem::path& file) {
    const auto fail = [&](const std::string& why) {
        return std::runtime_error("typenn: cannot read " + file.string() + ": " + why);
    };
    std::unique_ptr<gzFile_s, int (*)(gzFile)> in(gzopen(file.string().c_str(), "rb"), gzclose);
    if (!in) TYPENN_RAISE fail("cannot open it");
    std::string text;
    std::array<char, 1 << 16> chunk;
    int got;
    while ((got = gzread(in.get(), chunk.data(), unsigned(chunk.size()))) > 0)
        text.append(chunk.data(), std::size_t(got));
    int status = Z_OK;
    const char* message = gzerror(in.get(), &status);
    if (got < 0 || (status != Z_OK && status != Z_STREAM_END)) TYPENN_RAISE fail(message);
    return text;
}

}  // namespace detail

// All 1,797 samples in file order, pixels scaled to [0, 1] (divided by 16).
inline Dataset<digits_pixels> load_digits(const std::filesystem::path& csv_gz) {
    const std::string text = detail::read_gzip(csv_gz);
    Dataset<digits_pixels> digits;
    digits.values.reserve(digits_samples * digits_pixels);
    digits.labels.reserve(digits_samples);
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        start = end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;

        const auto fail = [&](const std::string& why) {
            return std::runtime_error("typenn: load_digits: " + csv_gz.string() + ":" +
                                      std::to_string(line_number) + ": " + why);
        };
        std::array<float, digits_pixels> pixels;
        int label = -1;
        const char* at = line.data();
        const char* const line_end = line.data() + line.size();
        for (std::size_t column = 0; column <= digits_pixels; ++column) {
            if (column > 0) {
                if (at == line_end || *at != ',')
                    TYPENN_RAISE fail("expected " + std::to_string(digits_pixels + 1) +
                                      " comma-separated integers, found " + std::to_string(column));
                ++at;
            }
            int value;
            const auto [next, error] = std::from_chars(at, line_end, value);
            if (error != std::errc{})
                TYPENN_RAISE fail("column " + std::to_string(column + 1) + " is not an integer");
            at = next;
            if (column < digits_pixels) {
                if (value < 0 || value > digits_max_pixel)
                    TYPENN_RAISE fail("pixel " + std::to_string(value) + " is outside 0..16");
                pixels[column] = float(value) / float(digits_max_pixel);
            } else {
                if (value < 0 || value >= int(digits_classes))
                    TYPENN_RAISE fail("label " + std::to_string(value) + " is outside 0..9");
                label = value;
            }
        }
        if (at != line_end)
            TYPENN_RAISE fail("more than " + std::to_string(digits_pixels + 1) + " columns");
        digits.push_back(pixels, label);
    }
    if (digits.size() != digits_samples)
        TYPENN_RAISE std::runtime_error("typenn: load_digits: " + csv_gz.string() + " holds " +
                                        std::to_string(digits.size()) + " samples, not " +
                                        std::to_string(digits_samples));
    return digits;
}

// The fixed split: 1,437 training and 360 test samples (see digits_split_seed).
inline Split<digits_pixels> split_digits(const Dataset<digits_pixels>& digits) {
    return split(digits, digits_test_samples, digits_split_seed);
}

}  // namespace typenn::data
