// Augmentation: determinism per key, identity when every range is zero, mass
// roughly preserved, parameters within their ranges.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <numeric>
#include <string>

#include "base/error.h"
#include "data/augment.h"
#include "data/pixels.h"

using namespace blnk::data;

namespace {

std::array<std::uint8_t, 784> blob() {
  std::array<std::uint8_t, 784> a{};
  for (int y = 8; y < 20; ++y) {
    for (int x = 10; x < 18; ++x) a[y * 28 + x] = static_cast<std::uint8_t>(128 + 10 * (x - 10));
  }
  return a;
}

}  // namespace

TEST_CASE("augment: same key, same output, and different keys differ") {
  const auto src = blob();
  AugmentOptions opt;
  opt.max_shear = 0.2f;
  std::array<float, 784> a{}, b{}, c{};
  augment_digit(src.data(), 28, 28, a.data(), 42, opt);
  augment_digit(src.data(), 28, 28, b.data(), 42, opt);
  augment_digit(src.data(), 28, 28, c.data(), 43, opt);
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("augment: zero ranges give the identity (pixels / 255)") {
  const auto src = blob();
  AugmentOptions none;
  none.max_shift = 0, none.max_rotation_deg = 0, none.min_scale = 1, none.max_scale = 1, none.max_shear = 0;
  none.max_thicken = 0, none.max_thin = 0, none.max_blur = 0, none.min_ink = 1;
  std::array<float, 784> out{};
  augment_digit(src.data(), 28, 28, out.data(), 12345, none);
  for (int i = 0; i < 784; ++i) CHECK(out[i] == doctest::Approx(src[i] / 255.0f));
}

TEST_CASE("augment: mass is roughly preserved and parameters stay in range") {
  const auto src = blob();
  const double mass = std::accumulate(src.begin(), src.end(), 0.0) / 255.0;
  AugmentOptions opt;  // the warp alone: the pen changes mass on purpose (next test)
  opt.max_thicken = 0, opt.max_thin = 0, opt.max_blur = 0, opt.min_ink = 1;
  std::array<float, 784> out{};
  for (std::uint64_t key = 0; key < 200; ++key) {
    augment_digit(src.data(), 28, 28, out.data(), key, opt);
    const double m = std::accumulate(out.begin(), out.end(), 0.0);
    const AugmentParams p = augment_params(key, opt);
    // Area scales with scale^2; allow for interpolation.
    CHECK(m == doctest::Approx(mass * p.scale * p.scale).epsilon(0.05));
    CHECK(std::fabs(p.shift_x) <= 2.0f);
    CHECK(std::fabs(p.rotation_deg) <= 10.0f);
    CHECK(p.scale >= 0.9f);
    CHECK(p.scale <= 1.1f);
    CHECK(std::fabs(p.shear) <= opt.max_shear);
    for (float v : out) CHECK((v >= 0.0f && v <= 1.0f));
  }
}

TEST_CASE("augment: the pen thickens, thins and lightens strokes within its ranges") {
  const auto src = blob();
  AugmentOptions warp_only;
  warp_only.max_shift = 0, warp_only.max_rotation_deg = 0, warp_only.min_scale = 1, warp_only.max_scale = 1;
  warp_only.max_shear = 0;
  const double mass = std::accumulate(src.begin(), src.end(), 0.0) / 255.0;
  int thicker = 0, thinner = 0;
  std::array<float, 784> out{};
  for (std::uint64_t key = 0; key < 100; ++key) {
    AugmentOptions opt = warp_only;  // the default pen
    const AugmentParams p = augment_params(key, opt);
    CHECK(p.stroke >= -opt.max_thin);
    CHECK(p.stroke <= opt.max_thicken);
    CHECK((p.blur >= 0.0f && p.blur <= opt.max_blur));
    CHECK((p.ink >= opt.min_ink && p.ink <= 1.0f));
    augment_digit(src.data(), 28, 28, out.data(), key, opt);
    for (float v : out) CHECK((v >= 0.0f && v <= 1.0f));
    // Without blur and lightening, the stroke change alone decides the mass.
    opt.max_blur = 0, opt.min_ink = 1;
    augment_digit(src.data(), 28, 28, out.data(), key, opt);
    const double m = std::accumulate(out.begin(), out.end(), 0.0);
    if (p.stroke > 0.1f) thicker += m > mass * 1.05;
    if (p.stroke < -0.1f) thinner += m < mass * 0.95;
    if (p.stroke > 0.1f) CHECK(m > mass);
    if (p.stroke < -0.1f) CHECK(m < mass);
  }
  CHECK(thicker > 10);
  CHECK(thinner > 10);
}

TEST_CASE("augment crop: each picture is its source moved by at most 1/8 of a side, black coming in, mirrored half the time") {
  constexpr int kRows = 16, kCols = 24, kChannels = 3;
  CHECK(crop_pad(kRows) == 2);
  CHECK(crop_pad(kCols) == 3);
  CHECK(crop_pad(28) == 4);
  CHECK(crop_pad(32) == 4);
  CHECK(crop_pad(5) == 1);
  std::array<std::uint8_t, kRows * kCols * kChannels> src{};
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<std::uint8_t>(1 + (i * 37) % 254);  // no zeros
  // The shifted (and maybe mirrored) source, black outside: what a crop must equal.
  auto expected = [&](int dy, int dx, bool mirror) {
    std::array<float, kRows * kCols * kChannels> e{};
    for (int y = 0; y < kRows; ++y)
      for (int x = 0; x < kCols; ++x) {
        const int sy = y + dy, sx = (mirror ? kCols - 1 - x : x) + dx;
        if (sy < 0 || sy >= kRows || sx < 0 || sx >= kCols) continue;
        for (int c = 0; c < kChannels; ++c)
          e[(y * kCols + x) * kChannels + c] = src[(sy * kCols + sx) * kChannels + c] * kUnitPerByte;
      }
    return e;
  };
  std::array<float, kRows * kCols * kChannels> out{}, again{};
  std::array<int, 5 * 7> offsets_seen{};
  int mirrored = 0;
  constexpr int kKeys = 2000;
  for (std::uint64_t key = 0; key < kKeys; ++key) {
    augment_crop(src.data(), kRows, kCols, kChannels, out.data(), key, true);
    augment_crop(src.data(), kRows, kCols, kChannels, again.data(), key, true);
    REQUIRE(out == again);
    int found = 0;
    for (int dy = -2; dy <= 2; ++dy)
      for (int dx = -3; dx <= 3; ++dx)
        for (const bool mirror : {false, true})
          if (out == expected(dy, dx, mirror)) {
            ++found;
            ++offsets_seen[(dy + 2) * 7 + dx + 3];
            mirrored += mirror;
          }
    REQUIRE(found == 1);
  }
  for (const int seen : offsets_seen) CHECK(seen > kKeys / 35 / 2);  // every offset, about evenly
  CHECK(mirrored > kKeys * 2 / 5);
  CHECK(mirrored < kKeys * 3 / 5);
  // Without flip, never mirrored: the same windows.
  for (std::uint64_t key = 0; key < 200; ++key) {
    augment_crop(src.data(), kRows, kCols, kChannels, out.data(), key, false);
    bool unmirrored = false;
    for (int dy = -2; dy <= 2; ++dy)
      for (int dx = -3; dx <= 3; ++dx) unmirrored = unmirrored || out == expected(dy, dx, false);
    CHECK(unmirrored);
  }
}

TEST_CASE("augment kinds: names both ways, and an unknown one is an error naming the kinds") {
  for (const Augment kind : {Augment::none, Augment::digits, Augment::crop, Augment::crop_flip})
    CHECK(parse_augment(augment_name(kind)) == kind);
  CHECK(std::string(augment_name(Augment::crop_flip)) == "crop-flip");
  try {
    parse_augment("flip");
    FAIL("no error");
  } catch (const blnk::Error& e) {
    CHECK(std::string(e.what()).find("none, digits, crop or crop-flip") != std::string::npos);
  }
}
