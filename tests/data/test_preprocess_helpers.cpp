// The shared numeric helpers of preprocessing (data/preprocess_internal.h),
// against the plain loops they stand for: their results feed every 28x28
// image, so a faster way must give the same value, bit for bit.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "data/preprocess_internal.h"

using namespace blnk::data::detail;

namespace {

std::vector<float> random_values(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(-0.2f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

}  // namespace

TEST_CASE("preprocess helpers: largest_value is the maximum of the start and every value, for any length") {
  std::mt19937 rng(7);
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::vector<float> v = random_values(n, rng);
    float plain = 0.0f;
    for (float x : v) plain = std::max(plain, x);
    CHECK(largest_value(v, 0.0f) == plain);
    if (n > 0) CHECK(largest_value(v, -1e30f) == *std::max_element(v.begin(), v.end()));
  }
  // The maximum in the tail after the last whole group of eight counts too.
  std::vector<float> tail(19, 0.1f);
  tail[18] = 0.9f;
  CHECK(largest_value(tail, 0.0f) == 0.9f);
}

TEST_CASE("preprocess helpers: otsu_threshold counts as one histogram would") {
  std::mt19937 rng(11);
  for (std::size_t n : {1u, 3u, 4u, 5u, 257u, 3072u}) {
    std::vector<float> v = random_values(n, rng);
    // Most of the values in one bin, as a photo's paper is.
    for (std::size_t i = 0; i < n / 2; ++i) v[i] = 0.01f;
    const float top = std::max(1e-3f, *std::max_element(v.begin(), v.end()));
    int hist[kLevelBins] = {};
    for (float x : v) ++hist[to_bin(std::max(0.0f, x) * (1.0f / top), kLevelBins)];
    const float plain = (static_cast<float>(otsu_split(hist, kLevelBins).bin) + 0.5f) * top / (kLevelBins - 1);
    int counted[kLevelBins];
    CHECK(otsu_threshold(v, top, counted) == plain);
    CHECK(std::memcmp(counted, hist, sizeof hist) == 0);
  }
}
