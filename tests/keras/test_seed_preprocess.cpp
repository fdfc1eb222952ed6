// data::seed_preprocess's own promises (data/seed_preprocess.h); its agreement
// with Pillow + numpy, pixel for pixel, is test_seed_preprocess.py's.
#include <doctest/doctest.h>

#include <vector>

#include "data/seed_preprocess.h"

using namespace blnk;
using namespace blnk::data;

namespace {

ColorImage solid(int w, int h, std::vector<std::uint8_t> pixel) {
  ColorImage image;
  image.width = w;
  image.height = h;
  image.channels = int(pixel.size());
  for (int i = 0; i < w * h; ++i) image.samples.insert(image.samples.end(), pixel.begin(), pixel.end());
  return image;
}

}  // namespace

TEST_CASE("seed preprocess: red and blue swap weights, as the seed's BGRA conversion of an RGBA array did") {
  // Rec.601 luma would give red 76 and blue 29: the seed's array order gives the reverse.
  CHECK(seed_gray(solid(28, 28, {255, 0, 0, 255}))[0] == 29);
  CHECK(seed_gray(solid(28, 28, {0, 0, 255, 255}))[0] == 76);
  CHECK(seed_gray(solid(28, 28, {0, 255, 0}))[0] == 150);   // RGB: the same weights (the seed crashed)
  CHECK(seed_gray(solid(28, 28, {123}))[0] == 123);          // gray: its own value
}

TEST_CASE("seed preprocess: dark ink on light paper stays 0 on 1 (no polarity inversion)") {
  ColorImage page = solid(56, 56, {230, 230, 230});
  for (int y = 10; y < 46; ++y)
    for (int x = 24; x < 32; ++x)
      for (int c = 0; c < 3; ++c) page.samples[(std::size_t(y) * 56 + x) * 3 + c] = 20;
  const auto pixels = seed_preprocess(page);
  CHECK(pixels[0] == 1.0f);                  // paper
  CHECK(pixels[14 * 28 + 14] == 0.0f);       // the stroke, at the centre
  for (float p : pixels) CHECK((p == 0.0f || p == 1.0f));
}

TEST_CASE("seed preprocess: a uniform image keeps its level: all 1 above 0.45, all 0 below") {
  for (const auto& [level, expected] : {std::pair{200, 1.0f}, std::pair{100, 0.0f}}) {
    const auto pixels = seed_preprocess(solid(40, 30, {std::uint8_t(level)}));
    for (float p : pixels) CHECK(p == expected);
  }
}

TEST_CASE("seed preprocess: a resize to the same size is a copy, and inconsistent images are refused") {
  const ColorImage image = solid(28, 28, {1, 2, 3, 4});
  CHECK(resize_like_pillow(image, 28, 28).samples == image.samples);
  ColorImage broken = image;
  broken.samples.pop_back();
  CHECK_THROWS_AS(resize_like_pillow(broken, 28, 28), Error);
  CHECK_THROWS_AS(seed_gray(solid(27, 28, {0})), Error);
}

TEST_CASE("seed preprocess: undecodable bytes are an ImageError naming the upload") {
  const std::vector<std::uint8_t> text = {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'};
  try {
    seed_preprocess_image(text, "upload.png");
    FAIL("no error");
  } catch (const ImageError& e) {
    CHECK(e.kind() == ImageErrorKind::not_an_image);
    CHECK(std::string(e.what()).rfind("upload.png: ", 0) == 0);
  }
}
