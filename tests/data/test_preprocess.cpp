// Preprocessing: each step on synthetic digits, the whole pipeline's
// invariances (polarity, position, lighting, specks, aspect), "no digit", MNIST
// digits coming out nearly unchanged, and the photo-digits set if present.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <thread>

#include "test_data.h"
#include "data/idx.h"
#include "data/image.h"
#include "data/image_write.h"
#include "data/preprocess.h"
#include "data_test_util.h"

using namespace blnk::data;
using namespace blnk::data::test;

namespace {

double mean_abs_diff(const std::array<float, kDigitPixels>& a, const std::array<float, kDigitPixels>& b) {
  double s = 0;
  for (int i = 0; i < kDigitPixels; ++i) s += std::fabs(a[i] - b[i]);
  return s / kDigitPixels;
}

// The smallest mean_abs_diff over whole-pixel shifts of b by up to 1 pixel:
// the centre of mass rounds to whole pixels, so a tiny change can move by one.
double aligned_diff(const std::array<float, kDigitPixels>& a, const std::array<float, kDigitPixels>& b) {
  double best = 1e9;
  for (int dy = -1; dy <= 1; ++dy) {
    for (int dx = -1; dx <= 1; ++dx) {
      double s = 0;
      for (int y = 0; y < kDigitSide; ++y) {
        for (int x = 0; x < kDigitSide; ++x) {
          const int sx = x + dx, sy = y + dy;
          const float v = (sx < 0 || sy < 0 || sx >= kDigitSide || sy >= kDigitSide) ? 0.0f : b[sy * kDigitSide + sx];
          s += std::fabs(a[y * kDigitSide + x] - v);
        }
      }
      best = std::min(best, s / kDigitPixels);
    }
  }
  return best;
}

// A "0" about 60x90 pixels at (cx, cy) on a canvas, dark ink on light paper.
std::vector<float> zero_at(int w, int h, float cx, float cy) { return draw_ring(w, h, cx, cy, 30, 45, 10); }

struct Extent {
  int x0 = kDigitSide, y0 = kDigitSide, x1 = -1, y1 = -1;
  int width() const { return x1 - x0 + 1; }
  int height() const { return y1 - y0 + 1; }
};
Extent extent(const std::array<float, kDigitPixels>& p, float level = 0.05f) {
  Extent e;
  for (int y = 0; y < kDigitSide; ++y) {
    for (int x = 0; x < kDigitSide; ++x) {
      if (p[y * kDigitSide + x] <= level) continue;
      e.x0 = std::min(e.x0, x), e.x1 = std::max(e.x1, x), e.y0 = std::min(e.y0, y), e.y1 = std::max(e.y1, y);
    }
  }
  return e;
}

}  // namespace

TEST_CASE("preprocess: a dark digit on light paper becomes a white, centred, MNIST-sized digit") {
  const GrayImage img = paint(zero_at(120, 140, 60, 70), 120, 140, 0.9f, 0.1f);
  const Preprocessed p = preprocess_digit(img);
  REQUIRE(p.found);
  CHECK(p.inverted);
  const Extent e = extent(p.pixels);
  CHECK(e.height() == doctest::Approx(20).epsilon(0.1));      // longer side fills the 20 box
  CHECK(e.width() < e.height());
  CHECK(*std::max_element(p.pixels.begin(), p.pixels.end()) == doctest::Approx(1.0f));  // stroke core ~1
  CHECK(p.pixels[0] == 0.0f);                                   // background 0
  // Centre of mass at (14, 14) within half a pixel.
  double m = 0, mx = 0, my = 0;
  for (int y = 0; y < kDigitSide; ++y) {
    for (int x = 0; x < kDigitSide; ++x) {
      const double v = p.pixels[y * kDigitSide + x];
      m += v, mx += v * x, my += v * y;
    }
  }
  CHECK(std::fabs(mx / m - kDigitCenter) <= 0.5);
  CHECK(std::fabs(my / m - kDigitCenter) <= 0.5);
}

TEST_CASE("preprocess: an inverted image gives the same 28x28") {
  const auto cov = zero_at(100, 120, 50, 60);
  const Preprocessed dark_on_light = preprocess_digit(paint(cov, 100, 120, 0.85f, 0.15f));
  const Preprocessed light_on_dark = preprocess_digit(paint(cov, 100, 120, 0.15f, 0.85f));
  REQUIRE(dark_on_light.found);
  REQUIRE(light_on_dark.found);
  CHECK(dark_on_light.inverted);
  CHECK(!light_on_dark.inverted);
  CHECK(mean_abs_diff(dark_on_light.pixels, light_on_dark.pixels) < 0.01);
}

TEST_CASE("preprocess: a digit shifted in a large canvas gives the same result as a centred one") {
  const Preprocessed centred = preprocess_digit(paint(zero_at(100, 120, 50, 60), 100, 120, 0.9f, 0.1f));
  PreprocessOptions full_res;  // compare at full resolution: shifts need not be multiples of the shrink factor
  full_res.working_side = 0;
  const Preprocessed shifted = preprocess_digit(paint(zero_at(400, 300, 297, 71), 400, 300, 0.9f, 0.1f), full_res);
  REQUIRE(centred.found);
  REQUIRE(shifted.found);
  CHECK(mean_abs_diff(centred.pixels, shifted.pixels) < 0.01);
  CHECK(shifted.box_x == doctest::Approx(267).epsilon(0.02));
  // With the default working size the large canvas is shrunk 4x first (the
  // digit is 22 pixels high there): the same digit, a little softer.
  const Preprocessed shrunk = preprocess_digit(paint(zero_at(400, 300, 297, 71), 400, 300, 0.9f, 0.1f));
  REQUIRE(shrunk.found);
  CHECK(mean_abs_diff(centred.pixels, shrunk.pixels) < 0.06);
  CHECK(std::fabs(extent(shrunk.pixels).height() - extent(centred.pixels).height()) <= 1);
}

TEST_CASE("preprocess: blank, uniform and noise-only images give 'no digit found'") {
  GrayImage blank;
  blank.width = 50, blank.height = 40;
  blank.pixels.assign(2000, 0.7f);
  const Preprocessed p = preprocess_digit(blank);
  CHECK(!p.found);
  CHECK(p.reason.find("no digit found") == 0);
  CHECK(std::all_of(p.pixels.begin(), p.pixels.end(), [](float v) { return v == 0.0f; }));
  // A smooth gradient only.
  GrayImage grad = blank;
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 50; ++x) grad.pixels[y * 50 + x] = 0.3f + 0.01f * x;
  }
  CHECK(!preprocess_digit(grad).found);
  // Faint noise (+-1 gray level).
  GrayImage noise = blank;
  for (std::size_t i = 0; i < noise.pixels.size(); ++i) noise.pixels[i] += static_cast<float>(static_cast<int>((i * 7919) % 3) - 1) / 255.0f;
  CHECK(!preprocess_digit(noise).found);
}

TEST_CASE("preprocess: an uneven lighting gradient is removed") {
  const auto cov = zero_at(120, 140, 60, 70);
  const Preprocessed even = preprocess_digit(paint(cov, 120, 140, 0.9f, 0.1f));
  GrayImage lit = paint(cov, 120, 140, 0.9f, 0.1f);
  for (int y = 0; y < 140; ++y) {
    for (int x = 0; x < 120; ++x) {
      float& v = lit.pixels[y * 120 + x];
      const float light = 0.45f + 0.55f * static_cast<float>(x + y) / 260.0f;  // dark top-left corner
      v *= light;
    }
  }
  // The background step alone: the signal of the paper is ~0 everywhere.
  PreprocessWorkspace ws;
  Plane background, ink;
  estimate_background(lit, true, {}, ws, background);
  ink_signal(lit, background, true, ink);
  remove_banding(ink, ws);
  CHECK(ink.at(2, 2) < 0.05f);
  CHECK(ink.at(117, 137) < 0.05f);
  CHECK(ink.at(60, 70 - 40) > 0.2f);  // on the ring's top stroke
  const Preprocessed p = preprocess_digit(lit);
  REQUIRE(p.found);
  CHECK(aligned_diff(even.pixels, p.pixels) < 0.03);
}

// Multiplies the image by a lighting field light(x / w, y / h).
template <typename F>
GrayImage lit_by(GrayImage img, F light) {
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      img.pixels[y * img.width + x] *= light((x + 0.5f) / img.width, (y + 0.5f) / img.height);
    }
  }
  return img;
}

// Median of the border ring the way ink_polarity takes it (1/20 of the shorter side).
float ring_median(const GrayImage& img) {
  const int ring = std::max(1, std::min(img.width, img.height) / 20);
  std::vector<float> v;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      if (x < ring || y < ring || x >= img.width - ring || y >= img.height - ring) v.push_back(img.at(x, y));
    }
  }
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

TEST_CASE("preprocess: paper lit brighter in the middle than at the border is paper, not light ink") {
  // A thin dark "0" on light paper under a strong vignette and gradient (a
  // phone flash): the paper's centre is far brighter than the border ring.
  const int w = 120, h = 140;
  const auto cov = draw_ring(w, h, 60, 70, 28, 40, 5);
  const GrayImage even = paint(cov, w, h, 0.9f, 0.15f);
  const auto vignette = [](float u, float v) {
    const float r2 = 2.0f * ((u - 0.5f) * (u - 0.5f) + (v - 0.5f) * (v - 0.5f));
    return (1.0f + 0.3f * (u - 0.5f)) * (1.0f - 0.6f * r2);
  };
  const GrayImage lit = lit_by(even, vignette);
  // The premise: most of the paper is brighter than the ring's median by far
  // more than any noise margin, and it outweighs the thin ink.
  long brighter = 0;
  const float ring = ring_median(lit);
  for (int i = 0; i < w * h; ++i) brighter += cov[i] == 0.0f && lit.pixels[i] > ring + 0.1f;
  REQUIRE(brighter > w * h / 3);
  PreprocessWorkspace ws;
  const Polarity pol = ink_polarity(lit, ws, {});
  CHECK(pol.ink_dark);
  // The surface follows the paper (0.9 * light) under the digit too: this
  // light is not a quadratic, so a few gray levels off on average and at
  // most about 0.07 at the corners, where the ring's median is 0.15 off on
  // average.
  double surface_error = 0, ring_error = 0, worst = 0;
  long paper_pixels = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (cov[y * w + x] > 0.0f) continue;
      const float paper = 0.9f * vignette((x + 0.5f) / w, (y + 0.5f) / h);
      const double e = std::fabs(pol.paper.at((2 * x + 1.0f) / w - 1, (2 * y + 1.0f) / h - 1) - paper);
      surface_error += e, worst = std::max(worst, e), ring_error += std::fabs(ring - paper), ++paper_pixels;
    }
  }
  CHECK(ring_error / paper_pixels > 0.1);
  CHECK(surface_error / paper_pixels < 0.015);
  CHECK(worst < 0.08);
  // The whole pipeline: the same digit as under even light (not a dark ring
  // in a white box).
  const Preprocessed p_even = preprocess_digit(even), p_lit = preprocess_digit(lit);
  REQUIRE(p_lit.found);
  CHECK(p_lit.inverted);
  CHECK(aligned_diff(p_even.pixels, p_lit.pixels) < 0.04);
  CHECK(p_lit.pixels[0] == 0.0f);
  CHECK(p_lit.pixels[2 * kDigitSide + 14] == 0.0f);  // above the digit, inside the box a white paper would fill
}

TEST_CASE("preprocess: an off-centre flash on the paper is paper") {
  // A bright spot (not a quadratic: the border ring alone cannot predict it)
  // beside a thin dark digit.
  const int w = 160, h = 120;
  const auto cov = draw_ring(w, h, 110, 60, 18, 30, 4);
  const GrayImage even = paint(cov, w, h, 0.55f, 0.1f);
  const GrayImage lit = lit_by(even, [](float u, float v) {
    return 1.0f + 0.7f * std::exp(-((u - 0.35f) * (u - 0.35f) + (v - 0.45f) * (v - 0.45f)) / (2 * 0.15f * 0.15f));
  });
  PreprocessWorkspace ws;
  CHECK(ink_polarity(lit, ws, {}).ink_dark);
  const Preprocessed p_even = preprocess_digit(even), p_lit = preprocess_digit(lit);
  REQUIRE(p_lit.found);
  CHECK(p_lit.inverted);
  CHECK(aligned_diff(p_even.pixels, p_lit.pixels) < 0.04);
}

TEST_CASE("preprocess: the paper surface fit ignores ink, specks and a digit touching the border") {
  const int w = 100, h = 80;
  auto cov = draw_ring(w, h, 50, 40, 45, 45, 8);  // a thick ring cut by the border on all sides
  draw_bar(cov, w, 10, 10, 14, 14);
  const auto light = [](float u, float v) { return 0.6f + 0.3f * u - 0.2f * v * v + 0.1f * u * v; };
  const GrayImage img = lit_by(paint(cov, w, h, 1.0f, 0.1f), light);
  PreprocessWorkspace ws;
  float sigma = 0;
  const PaperSurface s = fit_paper_surface(img, ring_median(img), 0.05f, ws, &sigma);
  for (auto [x, y] : {std::pair{50, 40}, {2, 2}, {97, 77}, {12, 12}, {50, 1}}) {
    CHECK(s.at((2 * x + 1.0f) / w - 1, (2 * y + 1.0f) / h - 1) ==
          doctest::Approx(light((x + 0.5f) / w, (y + 0.5f) / h)).epsilon(0.01));
  }
  CHECK(sigma < 0.01f);  // the noiseless paper, not the ink
}

TEST_CASE("preprocess: specks and streaks are ignored") {
  const auto cov = zero_at(140, 160, 60, 80);
  const Preprocessed clean = preprocess_digit(paint(cov, 140, 160, 0.9f, 0.1f));
  auto dirty_cov = cov;
  for (auto [sx, sy] : {std::pair{5, 5}, {130, 20}, {120, 150}, {10, 140}, {125, 80}}) {
    draw_bar(dirty_cov, 140, sx, sy, sx + 2.0f, sy + 2.0f);  // 2x2 specks
  }
  draw_bar(dirty_cov, 140, 137, 0, 139, 160);  // a streak down the right edge
  GrayImage dirty = paint(dirty_cov, 140, 160, 0.9f, 0.1f);
  for (int x = 0; x < 140; ++x) dirty.pixels[150 * 140 + x] -= 0.2f;  // a dark scan line
  const Preprocessed p = preprocess_digit(dirty);
  REQUIRE(p.found);
  CHECK(mean_abs_diff(clean.pixels, p.pixels) < 0.01);
  CHECK(p.box_w == doctest::Approx(clean.box_w).epsilon(0.05));

  // find_digit_box alone: a lone speck is erased, the digit stays.
  Plane plane;
  plane.resize(30, 30);
  for (int y = 5; y < 25; ++y) plane.at(10, y) = plane.at(11, y) = plane.at(12, y) = 1.0f;
  plane.at(27, 2) = 1.0f;
  PreprocessWorkspace ws;
  const PixelBox box = find_digit_box(plane, 0.05f, ws);
  CHECK(box.x == 10);
  CHECK(box.w == 3);
  CHECK(box.h == 20);
  CHECK(plane.at(27, 2) == 0.0f);
}

TEST_CASE("preprocess: a speck beside a small thin digit is dropped, the digit's own pieces are kept") {
  // A thin "7" (bar 12 x 2, stem 2 x 16: mass 56) and a 3x3 speck (mass 9:
  // 16% of the digit, above speck_fraction) 6 pixels to its right.
  const auto seven = [](Plane& p, int x0, int y0) {
    for (int x = x0; x < x0 + 12; ++x) p.at(x, y0) = p.at(x, y0 + 1) = 1.0f;
    for (int y = y0 + 2; y < y0 + 18; ++y) p.at(x0 + 10, y) = p.at(x0 + 11, y) = 1.0f;
  };
  PreprocessWorkspace ws;
  Plane plane;
  plane.resize(40, 30);
  seven(plane, 8, 6);
  for (int y = 12; y < 15; ++y) {
    for (int x = 26; x < 29; ++x) plane.at(x, y) = 1.0f;
  }
  PixelBox box = find_digit_box(plane, 0.05f, ws);
  CHECK(box.x == 8);
  CHECK(box.w == 12);
  CHECK(box.h == 18);
  CHECK(plane.at(27, 13) == 0.0f);
  // The same mass touching the digit's grown box (a broken stroke: 2 pixels
  // below the stem's end) is part of the digit.
  plane.resize(40, 30);
  std::fill(plane.pixels.begin(), plane.pixels.end(), 0.0f);
  seven(plane, 8, 6);
  for (int y = 26; y < 29; ++y) {
    for (int x = 17; x < 20; ++x) plane.at(x, y) = 1.0f;
  }
  box = find_digit_box(plane, 0.05f, ws);
  CHECK(box.h == 23);
  CHECK(plane.at(18, 27) == 1.0f);
  // A heavy piece far away (a third of the mass): a digit in two pieces, kept.
  std::fill(plane.pixels.begin(), plane.pixels.end(), 0.0f);
  seven(plane, 8, 6);
  for (int y = 10; y < 14; ++y) {
    for (int x = 30; x < 35; ++x) plane.at(x, y) = 1.0f;
  }
  box = find_digit_box(plane, 0.05f, ws);
  CHECK(box.x + box.w == 35);

  // The whole pipeline on a 48x40 photo: the speck changes nothing.
  const int w = 48, h = 40;
  std::vector<float> cov(static_cast<std::size_t>(w) * h, 0.0f);
  draw_bar(cov, w, 14, 8, 26, 10);   // bar
  draw_bar(cov, w, 24, 10, 26, 28);  // stem
  const Preprocessed clean = preprocess_digit(paint(cov, w, h, 0.85f, 0.2f));
  draw_bar(cov, w, 34, 16, 37, 19);  // the speck
  const Preprocessed dirty = preprocess_digit(paint(cov, w, h, 0.85f, 0.2f));
  REQUIRE(clean.found);
  REQUIRE(dirty.found);
  CHECK(dirty.box_w == clean.box_w);
  CHECK(mean_abs_diff(clean.pixels, dirty.pixels) < 0.005);
}

TEST_CASE("preprocess: aspect ratio is kept") {
  // A wide bar, 80 x 20: fits as 20 x 5.
  std::vector<float> cov(200 * 100, 0.0f);
  draw_bar(cov, 200, 60, 40, 140, 60);
  const Preprocessed p = preprocess_digit(paint(cov, 200, 100, 1.0f, 0.0f));
  REQUIRE(p.found);
  const Extent e = extent(p.pixels, 0.5f);
  CHECK(e.width() == 20);
  CHECK(e.height() == 5);
  // fit_to_box alone: area averaging when shrinking keeps the mean.
  Plane src, out;
  src.resize(40, 10);
  for (int i = 0; i < 400; ++i) src.pixels[i] = (i % 3) == 0 ? 1.0f : 0.0f;
  std::vector<float> scratch;
  fit_to_box(src, {0, 0, 40, 10}, out, scratch);
  CHECK(out.width == 20);
  CHECK(out.height == 5);
  const double in_mean = std::accumulate(src.pixels.begin(), src.pixels.end(), 0.0) / 400;
  const double out_mean = std::accumulate(out.pixels.begin(), out.pixels.end(), 0.0) / 100;
  CHECK(out_mean == doctest::Approx(in_mean).epsilon(0.02));
  // Enlarging: a 5x10 box becomes 10x20, bilinear (values stay within the source range).
  fit_to_box(src, {0, 0, 5, 10}, out, scratch);
  CHECK(out.width == 10);
  CHECK(out.height == 20);
  CHECK(*std::max_element(out.pixels.begin(), out.pixels.end()) <= 1.0f);
}

TEST_CASE("preprocess: the steps: polarity, levels keep a soft ramp, centre of mass placement") {
  const auto cov = zero_at(100, 120, 50, 60);
  PreprocessWorkspace ws;
  CHECK(ink_polarity(paint(cov, 100, 120, 0.8f, 0.2f), ws, {}).ink_dark);
  CHECK(!ink_polarity(paint(cov, 100, 120, 0.2f, 0.8f), ws, {}).ink_dark);
  // Levels: Otsu threshold between paper and ink, ramp kept (not binarized).
  Plane ink;
  ink.resize(10, 10);
  for (int i = 0; i < 100; ++i) ink.pixels[i] = i < 70 ? 0.0f : (i < 80 ? 0.25f : 0.5f);
  const InkLevels lv = ink_levels(ink, 0.0f, {}, ws);
  CHECK(lv.threshold > 0.0f);
  CHECK(lv.threshold < 0.5f);
  CHECK(lv.core == doctest::Approx(0.5f).epsilon(0.02));
  apply_levels(ink, lv);
  CHECK(ink.pixels[0] == 0.0f);
  CHECK(ink.pixels[75] > 0.3f);
  CHECK(ink.pixels[75] < 0.7f);
  CHECK(ink.pixels[95] == doctest::Approx(1.0f));
  // Placement: a single bright pixel at (2, 3) of a 4x4 box lands at (14, 14);
  // in a full 20x20 box it moves as far as the box stays inside the field.
  Plane digit;
  digit.resize(4, 4);
  digit.at(2, 3) = 1.0f;
  std::array<float, kDigitPixels> field{};
  place_by_center_of_mass(digit, field);
  CHECK(field[14 * kDigitSide + 14] == 1.0f);
  digit.resize(20, 20);
  std::fill(digit.pixels.begin(), digit.pixels.end(), 0.0f);
  digit.at(2, 3) = 1.0f;
  place_by_center_of_mass(digit, field);
  CHECK(field[(8 + 3) * kDigitSide + 8 + 2] == 1.0f);
}

TEST_CASE("preprocess: re-entrant: threads with their own workspaces agree with one thread") {
  const GrayImage img = paint(zero_at(120, 140, 60, 70), 120, 140, 0.9f, 0.1f);
  const Preprocessed want = preprocess_digit(img);
  std::vector<Preprocessed> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      PreprocessWorkspace ws;
      for (int k = 0; k < 20; ++k) got[t] = preprocess_digit(img, ws);
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) CHECK(g.pixels == want.pixels);
}

TEST_CASE("preprocess: MNIST test digits through PNG come out nearly unchanged") {
  const std::string path = blnk::testing::shared_data_dir("mnist/t10k-images-idx3-ubyte.gz");
  if (!blnk::testing::have_data(path)) return;
  const IdxImages im = read_idx_images(path);
  constexpr int kImages = 1000;
  PreprocessWorkspace ws;
  double total = 0;
  int found = 0;
  for (int i = 0; i < kImages; ++i) {
    const auto png = encode_png(std::span(im.image(i), kDigitPixels), kDigitSide, kDigitSide, 1);
    const Preprocessed p = preprocess_digit(decode_image_gray(png, "mnist.png"), ws);
    found += p.found;
    std::array<float, kDigitPixels> raw{};
    for (int k = 0; k < kDigitPixels; ++k) raw[k] = im.image(i)[k] / 255.0f;
    total += mean_abs_diff(raw, p.pixels);
  }
  MESSAGE("MNIST round trip: mean abs difference " << total / kImages << " over " << kImages << " images");
  CHECK(found == kImages);
  CHECK(total / kImages < 0.005);
}

TEST_CASE("preprocess: every photo digit gives a digit") {
  const std::string dir = blnk::testing::shared_data_dir("photo-digits");
  if (!blnk::testing::have_data(dir)) return;
  PreprocessWorkspace ws;
  int count = 0, found = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const Preprocessed p = preprocess_digit(read_image_gray(entry.path().string()), ws);
    ++count;
    found += p.found;
    if (!p.found) continue;
    const Extent e = extent(p.pixels, 0.3f);
    CHECK_MESSAGE(std::max(e.width(), e.height()) >= 17, entry.path().string());  // fills the box
    CHECK_MESSAGE(p.pixels[0] == 0.0f, entry.path().string());                     // clean corners
    CHECK_MESSAGE(p.pixels[kDigitPixels - 1] == 0.0f, entry.path().string());
  }
  CHECK(count > 0);
  CHECK(found == count);
}

// Issue 12: the pipeline assumed paper around the digit; a stroke across the
// whole frame was taken for a scanner's streak and erased.
TEST_CASE("preprocess: a digit that fills the frame keeps every stroke") {
  const int side = 280;
  for (float height_share : {0.7f, 0.76f, 0.9f, 1.0f}) {
    // A plain vertical stroke 22 pixels wide (the page's pen), black on white.
    std::vector<float> cov(side * side, 0.0f);
    const float top = side * (1 - height_share) / 2;
    draw_bar(cov, side, 129, top, 151, side - top);
    const Preprocessed one = preprocess_digit(paint(cov, side, side, 1.0f, 0.0f));
    CAPTURE(height_share);
    REQUIRE(one.found);
    CHECK(extent(one.pixels).height() >= 19);  // the stroke, whole, 20 pixels high
  }
  // A 7 whose bar runs from edge to edge and whose stem reaches the bottom,
  // light ink on dark and dark on light.
  std::vector<float> seven(side * side, 0.0f);
  draw_bar(seven, side, 0, 0, side, 24);
  for (int k = 0; k < 12; ++k) draw_bar(seven, side, 240 - 14.0f * k, 24 + 21.3f * k, 264 - 14.0f * k, 46 + 21.3f * k);
  for (const auto& [paper, ink] : {std::pair{1.0f, 0.0f}, std::pair{0.0f, 1.0f}}) {
    const Preprocessed p = preprocess_digit(paint(seven, side, side, paper, ink));
    REQUIRE(p.found);
    CHECK(p.inverted == (paper > ink));
    // The bar survives: the top rows of the digit's box hold ink across most of its width.
    const Extent e = extent(p.pixels);
    int lit = 0;
    for (int x = e.x0; x <= e.x1; ++x) lit += p.pixels[(e.y0 + 1) * kDigitSide + x] > 0.5f;
    CHECK(lit >= (e.x1 - e.x0 + 1) * 3 / 4);
  }
}

TEST_CASE("preprocess: a tap on the pad (a dot) is too small to be a digit") {
  const int side = 280;
  std::vector<float> cov(side * side, 0.0f);
  draw_bar(cov, side, 136, 136, 144, 144);  // the thin pen's 8 px dot
  const Preprocessed dot = preprocess_digit(paint(cov, side, side, 1.0f, 0.0f));
  CHECK_FALSE(dot.found);
  CHECK(dot.reason.find("too small to be a digit") != std::string::npos);
  // A short stroke of the same pen is a digit's size: still read.
  draw_bar(cov, side, 136, 60, 144, 220);
  CHECK(preprocess_digit(paint(cov, side, side, 1.0f, 0.0f)).found);
}

namespace {

// A plane of w x h with a ring (outer radius r, thickness t) centred, and optionally a
// bar of `bar_h` rows inside it; ink 1.
Plane ring_plane(int w, int h, float r, float t, int bar_h, int bar_x_offset = 0) {
  Plane p;
  p.resize(w, h);
  const float cx = (w - 1) / 2.0f, cy = (h - 1) / 2.0f;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const float d = std::hypot(x - cx, y - cy);
      p.at(x, y) = d <= r && d >= r - t ? 1.0f : 0.0f;
    }
  for (int y = int(cy) - bar_h / 2; y < int(cy) - bar_h / 2 + bar_h; ++y)
    for (int x = int(cx) - 1 + bar_x_offset; x <= int(cx) + 1 + bar_x_offset; ++x) p.at(x, y) = 1.0f;
  return p;
}

}  // namespace

TEST_CASE("preprocess: a ring round a mark holds a mark, a 0, a dotted 0 and a slashed 0 do not") {
  PreprocessWorkspace ws;
  const PixelBox all{0, 0, 48, 48};
  // A saucer's rim round a digit: a mark half the hole's height, apart from the ring.
  CHECK(mark_inside_hole(ring_plane(48, 48, 22, 6, 14), all, ws));
  // A plain 0, and a dotted one (the dot a tenth of the hole).
  CHECK_FALSE(mark_inside_hole(ring_plane(48, 48, 22, 6, 0), all, ws));
  CHECK_FALSE(mark_inside_hole(ring_plane(48, 48, 22, 6, 3), all, ws));
  // A slash that touches the ring is part of it (a slashed 0), not a mark inside.
  Plane slashed = ring_plane(48, 48, 22, 6, 0);
  for (int i = 4; i < 44; ++i) slashed.at(i, 47 - i) = slashed.at(i, 46 - i) = 1.0f;
  CHECK_FALSE(mark_inside_hole(slashed, all, ws));
  // Two marks side by side (a "10"): neither encloses the other.
  Plane pair = ring_plane(48, 48, 10, 3, 0);
  for (int y = 14; y < 34; ++y) pair.at(3, y) = pair.at(4, y) = 1.0f;
  CHECK_FALSE(mark_inside_hole(pair, all, ws));
  // The mark is judged in the box given: outside it, nothing is seen.
  CHECK_FALSE(mark_inside_hole(ring_plane(48, 48, 22, 6, 14), PixelBox{0, 0, 10, 10}, ws));
  CHECK_FALSE(mark_inside_hole(ring_plane(48, 48, 22, 6, 14), PixelBox{}, ws));
  CHECK_FALSE(mark_inside_hole(ring_plane(48, 48, 22, 6, 14), PixelBox{10, 10, 48, 48}, ws));  // past the plane
}

// Streak removal took the strokes of a soft, thick digit cropped close for streaks:
// they cover most of their rows and columns (a scanned form's field smoothed up).
// With streaks_only (the reader's second look) only bands as narrow as a streak go.
TEST_CASE("preprocess: streaks_only takes off a streak and keeps a band as broad as a stroke") {
  const int w = 60, h = 60;
  Plane ink;
  ink.resize(w, h);
  std::fill(ink.pixels.begin(), ink.pixels.end(), 0.0f);
  for (int y = 40; y < 50; ++y)
    for (int x = 2; x < 12; ++x) ink.at(x, y) = 1.0f;  // strong ink: the ink's level is 1
  for (int y = 0; y < h; ++y) {
    for (int x = 20; x < 36; ++x) ink.at(x, y) = 0.3f;  // a stroke down the whole picture
    ink.at(50, y) = 0.2f;                               // a streak one column wide
  }
  for (const bool streaks_only : {false, true}) {
    CAPTURE(streaks_only);
    Plane out = ink;
    PreprocessWorkspace ws;
    remove_banding(out, ws, streaks_only);
    CHECK(out.at(50, 20) < 0.02f);  // the streak goes either way
    CHECK(out.at(5, 45) > 0.95f);   // the strong ink stays
    if (streaks_only) {
      CHECK(out.at(28, 20) > 0.28f);  // the broad band is a stroke: kept whole
      CHECK(out.at(20, 20) > 0.28f);
    } else {
      CHECK(out.at(28, 20) < 0.02f);  // taken for a band of light, as before
    }
  }
}

TEST_CASE("preprocess: a soft, thick stroke filling the picture keeps its middle with streaks_only") {
  // A vertical bar 24 pixels wide from top to bottom of an 80x80 crop, its ink lighter
  // than the darkest of it (a heavier blot at its foot sets the ink's level), blurred
  // (three box blurs of radius 3), dark on light grey.
  const int side = 80;
  std::vector<float> cov(side * side, 0.0f);
  draw_bar(cov, side, 28, 0, 52, side);
  for (float& v : cov) v *= 0.45f;
  draw_bar(cov, side, 30, 62, 50, 74);
  std::vector<float> tmp(cov.size());
  for (int pass = 0; pass < 3; ++pass) {
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) {
        float sum = 0;
        int count = 0;
        for (int k = std::max(0, x - 3); k <= std::min(side - 1, x + 3); ++k) sum += cov[y * side + k], ++count;
        tmp[y * side + x] = sum / float(count);
      }
    cov.swap(tmp);
  }
  PreprocessOptions opt;
  opt.streaks_only = true;
  opt.polarity = InkPolarity::dark;
  const Preprocessed p = preprocess_digit(paint(cov, side, side, 0.9f, 0.15f), opt);
  REQUIRE(p.found);
  // The whole bar is the digit (not the blot alone), and its middle holds ink at a
  // third of its height, above the blot: no hollow.
  const Extent e = extent(p.pixels, 0.2f);
  CHECK(e.height() >= 18);
  const int row = e.y0 + e.height() / 3, mid = (e.x0 + e.x1) / 2;
  for (int x = mid - 1; x <= mid + 1; ++x) CHECK(p.pixels[row * kDigitSide + x] > 0.2f);
}

// The reader reads a picture whose polarity is not sure the other way round too; read
// so, a thick stroke cropped close leaves the paper as ink, framing the picture (a sure
// 0). border_ink tells: the paper covers most of the border, the stroke little of it.
TEST_CASE("preprocess: border_ink is the share of the picture's border that is ink") {
  const int w = 72, h = 78;
  std::vector<float> cov(w * h, 0.0f);
  for (int k = 0; k < 40; ++k) {  // a thick diagonal bar from the bottom-left corner to the top-right
    const float t = float(k) / 39.0f;
    const float cx = 8 + t * (w - 16), cy = (h - 8) - t * (h - 16);
    draw_bar(cov, w, cx - 7, cy - 7, cx + 7, cy + 7);
  }
  const GrayImage picture = paint(cov, w, h, 0.8f, 0.3f);
  PreprocessOptions dark, light;
  dark.polarity = InkPolarity::dark;
  light.polarity = InkPolarity::light;
  const Preprocessed as_drawn = preprocess_digit(picture, dark), paper_as_ink = preprocess_digit(picture, light);
  REQUIRE(as_drawn.found);
  REQUIRE(paper_as_ink.found);
  CHECK(as_drawn.border_ink < 0.3f);
  CHECK(paper_as_ink.border_ink >= 0.5f);
  // Paper all round: none.
  const Preprocessed ring = preprocess_digit(paint(zero_at(120, 140, 60, 70), 120, 140, 0.9f, 0.1f));
  REQUIRE(ring.found);
  CHECK(ring.border_ink == 0.0f);
}
