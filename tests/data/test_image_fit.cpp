// data::fit_image: pad keeps the whole image centred on black, crop fills the input
// and loses the sides; alpha reads as white paper; grey and colour convert both ways.
#include <doctest/doctest.h>

#include "data/image_fit.h"

using namespace blnk::data;

namespace {

// A w x h RGB image: the left quarter blue, the rest red.
ColorImage red_with_blue_left(int w, int h) {
  ColorImage im;
  im.width = w, im.height = h, im.channels = 3;
  im.samples.resize(std::size_t(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = im.samples.data() + (std::size_t(y) * w + x) * 3;
      const bool blue = x < w / 4;
      p[0] = blue ? 0 : 255, p[1] = 0, p[2] = blue ? 255 : 0;
    }
  return im;
}

std::vector<std::uint8_t> fitted(const ColorImage& im, ClassInput input) {
  std::vector<std::uint8_t> out(input.size(), 77);  // garbage first: every byte must be written
  fit_image(im, input, out.data());
  return out;
}

}  // namespace

TEST_CASE("fit_image: pad centres a wide image on black, crop fills the input and cuts the sides") {
  const ColorImage wide = red_with_blue_left(40, 20);  // 2:1
  const std::vector<std::uint8_t> pad = fitted(wide, {20, 20, 3, ImageFit::pad});
  auto at = [](const std::vector<std::uint8_t>& px, int x, int y, int c) { return px[(std::size_t(y) * 20 + x) * 3 + c]; };
  for (int x = 0; x < 20; ++x) {
    CHECK(at(pad, x, 0, 0) == 0);   // rows 0-4 and 15-19: the black padding
    CHECK(at(pad, x, 19, 2) == 0);
  }
  CHECK(at(pad, 1, 10, 2) == 255);   // the blue quarter, scaled to 5 columns
  CHECK(at(pad, 15, 10, 0) == 255);  // red
  const std::vector<std::uint8_t> crop = fitted(wide, {20, 20, 3, ImageFit::crop});
  for (int y = 0; y < 20; ++y) {
    CHECK(at(crop, 0, y, 0) == 255);  // the blue quarter is cut away: red to the edges
    CHECK(at(crop, 19, y, 0) == 255);
  }
}

TEST_CASE("fit_image: a large image is averaged down, alpha is white paper, colour becomes luma") {
  ColorImage stripes;  // 64x64 grey, alternate columns black and white: averages to mid-grey
  stripes.width = stripes.height = 64, stripes.channels = 1;
  stripes.samples.resize(64 * 64);
  for (int i = 0; i < 64 * 64; ++i) stripes.samples[std::size_t(i)] = (i % 2) ? 255 : 0;
  const std::vector<std::uint8_t> grey = fitted(stripes, {8, 8, 1, ImageFit::pad});
  for (std::uint8_t v : grey) CHECK(std::abs(int(v) - 128) <= 2);

  ColorImage transparent;  // RGBA, fully transparent black: reads as white
  transparent.width = transparent.height = 4, transparent.channels = 4;
  transparent.samples.assign(4 * 4 * 4, 0);
  for (std::uint8_t v : fitted(transparent, {4, 4, 3, ImageFit::pad})) CHECK(v == 255);

  const std::vector<std::uint8_t> luma = fitted(red_with_blue_left(8, 8), {8, 8, 1, ImageFit::pad});
  CHECK(luma[0] == 29);  // blue: 0.114 * 255
  CHECK(luma[7] == 76);  // red: 0.299 * 255
  ColorImage one;  // grey to colour: R = G = B
  one.width = one.height = 1, one.channels = 1, one.samples = {90};
  CHECK(fitted(one, {2, 2, 3, ImageFit::crop}) == std::vector<std::uint8_t>(12, 90));
}

TEST_CASE("parse_fit: pad and crop, nothing else") {
  CHECK(parse_fit("pad") == ImageFit::pad);
  CHECK(parse_fit("crop") == ImageFit::crop);
  CHECK(!parse_fit("stretch"));
  CHECK(std::string(fit_name(ImageFit::crop)) == "crop");
}
