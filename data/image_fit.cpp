// Fitting an image into a class model's input (image_fit.h).
#include "data/image_fit.h"

#include <algorithm>
#include <cmath>

namespace blnk::data {

const char* fit_name(ImageFit fit) { return fit == ImageFit::pad ? "pad" : "crop"; }

std::optional<ImageFit> parse_fit(const std::string& name) {
  if (name == "pad") return ImageFit::pad;
  if (name == "crop") return ImageFit::crop;
  return std::nullopt;
}

namespace {

constexpr float kWhite = 255.0f;

// Channel c (of `channels`: 1 grey, 3 RGB) of pixel (x, y), alpha composited over white.
float composited(const ColorImage& image, int x, int y, int channels, int c) {
  const int stored = image.channels;
  const std::uint8_t* s = image.samples.data() + (std::size_t(y) * image.width + x) * std::size_t(stored);
  const bool colour = stored >= 3, alpha = stored == 2 || stored == 4;
  const float a = alpha ? float(s[stored - 1]) / 255.0f : 1.0f;
  auto over_white = [&](int k) { return float(s[colour ? k : 0]) * a + kWhite * (1.0f - a); };
  if (channels == 3) return over_white(c);
  return colour ? 0.299f * over_white(0) + 0.587f * over_white(1) + 0.114f * over_white(2) : over_white(0);
}

// Bilinear sample of channel c at (x, y) in pixel-centre coordinates, clamped at the edges.
float bilinear(const ColorImage& image, int channels, int c, float x, float y) {
  x = std::clamp(x, 0.0f, float(image.width - 1));
  y = std::clamp(y, 0.0f, float(image.height - 1));
  const int x0 = int(x), y0 = int(y);
  const int x1 = std::min(x0 + 1, image.width - 1), y1 = std::min(y0 + 1, image.height - 1);
  const float fx = x - float(x0), fy = y - float(y0);
  auto at = [&](int px, int py) { return composited(image, px, py, channels, c); };
  const float top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * fx;
  const float bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * fx;
  return top + (bottom - top) * fy;
}

}  // namespace

void fit_image(const ColorImage& image, const ClassInput& input, std::uint8_t* out) {
  const int w = image.width, h = image.height, C = input.channels;
  // Output pixels per source pixel, and the scaled image's size and place in the input.
  const double sx = double(input.width) / w, sy = double(input.height) / h;
  const double scale = input.fit == ImageFit::pad ? std::min(sx, sy) : std::max(sx, sy);
  const int scaled_w = std::max(1, int(std::lround(w * scale))), scaled_h = std::max(1, int(std::lround(h * scale)));
  const int left = (input.width - scaled_w) / 2, top = (input.height - scaled_h) / 2;  // negative: cropped
  const float step_x = float(w) / float(scaled_w), step_y = float(h) / float(scaled_h);  // source pixels per output pixel
  const int nx = std::clamp(int(std::ceil(step_x)), 1, kMaxFitSamples);
  const int ny = std::clamp(int(std::ceil(step_y)), 1, kMaxFitSamples);
  for (int y = 0; y < input.height; ++y) {
    for (int x = 0; x < input.width; ++x) {
      std::uint8_t* d = out + (std::size_t(y) * input.width + x) * C;
      const int u = x - left, v = y - top;  // in the scaled image
      if (u < 0 || v < 0 || u >= scaled_w || v >= scaled_h) {
        std::fill(d, d + C, std::uint8_t(0));
        continue;
      }
      for (int c = 0; c < C; ++c) {
        float sum = 0;
        for (int j = 0; j < ny; ++j)
          for (int i = 0; i < nx; ++i)
            sum += bilinear(image, C, c, (float(u) + (float(i) + 0.5f) / float(nx)) * step_x - 0.5f,
                            (float(v) + (float(j) + 0.5f) / float(ny)) * step_y - 0.5f);
        d[c] = std::uint8_t(std::clamp(std::lround(sum / float(nx * ny)), 0L, 255L));
      }
    }
  }
}

}  // namespace blnk::data
