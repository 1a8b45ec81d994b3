// SPDX-License-Identifier: BSL-1.0
// Model::predict: any number of rows, in tiles of a compile-time size, from any 2-D
// expression; the column count is checked at run time.
#include <catch2/catch.hpp>

#include <cstddef>
#include <random>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <typenn/typenn.hpp>

#include "test_nets.hpp"

using namespace typenn;
using Net = test_nets::NestedResidual;  // 4 columns in, 3 out; BatchNorm, residuals
constexpr std::size_t in = Net::in_features, out = Net::out_features;

namespace {
xt::xtensor<float, 2> random_rows(std::size_t rows, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> draw;
    auto x = xt::xtensor<float, 2>::from_shape({rows, in});
    for (float& v : x) v = draw(rng);
    return x;
}

// Running statistics other than 0 and 1, so that inference and training modes differ.
const Model<Net>& trained_model() {
    static const Model<Net> model = [] {
        Model<Net> m(7);
        Tape<Net, 16> tape;
        Tensor<16, in> x;
        const auto rows = random_rows(16, 1);
        std::copy(rows.begin(), rows.end(), x.begin());
        for (int step = 0; step < 3; ++step) m.forward(x, tape);
        return m;
    }();
    return model;
}

void check_rows_match_forward(const xt::xtensor<float, 2>& x, const xt::xtensor<float, 2>& y) {
    REQUIRE(y.shape()[0] == x.shape()[0]);
    REQUIRE(y.shape()[1] == out);
    for (std::size_t r = 0; r < x.shape()[0]; ++r) {
        Tensor<1, in> row;
        for (std::size_t c = 0; c < in; ++c) row(0, c) = x(r, c);
        const auto expected = trained_model().forward(row);
        for (std::size_t c = 0; c < out; ++c)
            CHECK(y(r, c) == Approx(expected(0, c)).epsilon(1e-5).margin(1e-6));
    }
}
}  // namespace

TEST_CASE("predict gives forward's rows for any number of rows") {
    constexpr std::size_t tile = predict_tile_rows;
    for (const std::size_t rows : {std::size_t(0), std::size_t(1), tile - 1, tile, tile + 1,
                                   std::size_t(1000)}) {
        INFO("rows: " << rows);
        const auto x = random_rows(rows, rows + 11);
        check_rows_match_forward(x, trained_model().predict(x));
    }
}

TEST_CASE("predict with another tile size gives the same rows") {
    const auto x = random_rows(45, 3);
    const auto by_32 = trained_model().predict(x);
    const auto by_7 = trained_model().predict<7>(x);
    const auto by_1 = trained_model().predict<1>(x);
    for (std::size_t k = 0; k < by_32.size(); ++k) {
        CHECK(by_7.data()[k] == Approx(by_32.data()[k]).epsilon(1e-5).margin(1e-6));
        CHECK(by_1.data()[k] == Approx(by_32.data()[k]).epsilon(1e-5).margin(1e-6));
    }
}

TEST_CASE("predict takes views, expressions, xarrays and other scalar types") {
    const auto x = random_rows(70, 5);
    const auto expected = trained_model().predict(x);

    const xt::xtensor<float, 2> wide = xt::concatenate(xt::xtuple(x, x), 1);
    const auto from_view = trained_model().predict(xt::view(wide, xt::all(), xt::range(in, 2 * in)));
    const auto from_expression = trained_model().predict(0.5f * (x + x));
    const xt::xarray<float> dynamic = x;
    const auto from_xarray = trained_model().predict(dynamic);
    const xt::xtensor<double, 2> doubles = xt::cast<double>(x);
    const auto from_doubles = trained_model().predict(doubles);

    CHECK(from_view == expected);
    CHECK(from_expression == expected);
    CHECK(from_xarray == expected);
    CHECK(from_doubles == expected);

    const auto some_rows = trained_model().predict(xt::view(x, xt::range(10, 43), xt::all()));
    CHECK(some_rows == xt::view(expected, xt::range(10, 43), xt::all()));
}

TEST_CASE("predict refuses an input of another column count or rank") {
    const auto narrow = xt::xtensor<float, 2>::from_shape({10, in - 1});
    CHECK_THROWS_WITH(trained_model().predict(narrow),
                      "typenn: Model::predict: expected X with 4 columns (the input width of " +
                          Net::name() + "), found 3");
    CHECK_THROWS_AS(trained_model().predict(xt::xtensor<float, 2>::from_shape({0, in + 1})),
                    std::invalid_argument);
    const xt::xarray<float> three_dimensional = xt::zeros<float>({2, 3, 4});
    CHECK_THROWS_WITH(trained_model().predict(three_dimensional),
                      "typenn: Model::predict: expected a 2-D X [rows, 4], found 3 dimensions");
}
