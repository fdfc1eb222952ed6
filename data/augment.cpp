// Seeded affine augmentation of training digits (see augment.h).
#include "data/augment.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "base/error.h"
#include "base/rng.h"
#include "data/pixels.h"

namespace blnk::data {

namespace {

constexpr int kParamCount = 8;

// The k-th uniform number in [0, 1) for a key (the streams' first element is skipped,
// as it always was: augmentations stay what they were).
double uniform(std::uint64_t key, int k) { return uniform_of(key, k + 1); }

float in_range(double u, float lo, float hi) { return static_cast<float>(lo + (hi - lo) * u); }

// dst = v + t * (f(3x3 neighbourhood) - v) for every pixel, f = max, min or mean;
// outside the image is background (0).
enum class Neighbourhood { max, min, mean };
void blend_with_neighbourhood(float* v, int rows, int cols, float t, Neighbourhood f, float* scratch) {
  if (t == 0.0f) return;
  std::copy(v, v + rows * cols, scratch);
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      float hi = 0.0f, lo = 1.0f, sum = 0.0f;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int sy = y + dy, sx = x + dx;
          const float n = (sy < 0 || sx < 0 || sy >= rows || sx >= cols) ? 0.0f : scratch[sy * cols + sx];
          hi = std::max(hi, n);
          lo = std::min(lo, n);
          sum += n;
        }
      }
      const float target = f == Neighbourhood::max ? hi : f == Neighbourhood::min ? lo : sum * (1.0f / 9.0f);
      float& out = v[y * cols + x];
      out += t * (target - out);
    }
  }
}

}  // namespace

Augment parse_augment(const std::string& name) {
  if (name == "none") return Augment::none;
  if (name == "digits") return Augment::digits;
  if (name == "crop") return Augment::crop;
  if (name == "crop-flip") return Augment::crop_flip;
  throw Error("unknown augmentation '" + name + "' (use none, digits, crop or crop-flip)");
}

const char* augment_name(Augment kind) {
  switch (kind) {
    case Augment::digits: return "digits";
    case Augment::crop: return "crop";
    case Augment::crop_flip: return "crop-flip";
    case Augment::none: break;
  }
  return "none";
}

void augment_crop(const std::uint8_t* src, int rows, int cols, int channels, float* dst, std::uint64_t key,
                  bool flip) {
  const int pad_y = crop_pad(rows), pad_x = crop_pad(cols);
  // The window's offset in the padded picture, 0 to 2 * pad, as a shift of the picture.
  const int dy = int(uniform(key, 0) * (2 * pad_y + 1)) - pad_y;
  const int dx = int(uniform(key, 1) * (2 * pad_x + 1)) - pad_x;
  const bool mirror = flip && uniform(key, 2) < 0.5;
  for (int y = 0; y < rows; ++y) {
    float* out = dst + std::size_t(y) * cols * channels;
    const int sy = y + dy;
    if (sy < 0 || sy >= rows) {
      std::fill(out, out + std::size_t(cols) * channels, 0.0f);
      continue;
    }
    for (int x = 0; x < cols; ++x) {
      const int sx = (mirror ? cols - 1 - x : x) + dx;
      float* px = out + std::size_t(x) * channels;
      if (sx < 0 || sx >= cols) {
        std::fill(px, px + channels, 0.0f);
        continue;
      }
      const std::uint8_t* in = src + (std::size_t(sy) * cols + sx) * channels;
      for (int c = 0; c < channels; ++c) px[c] = float(in[c]) * kUnitPerByte;
    }
  }
}

AugmentParams augment_params(std::uint64_t key, const AugmentOptions& opt) {
  double u[kParamCount];
  for (int k = 0; k < kParamCount; ++k) u[k] = uniform(key, k);
  AugmentParams p;
  p.shift_x = in_range(u[0], -opt.max_shift, opt.max_shift);
  p.shift_y = in_range(u[1], -opt.max_shift, opt.max_shift);
  p.rotation_deg = in_range(u[2], -opt.max_rotation_deg, opt.max_rotation_deg);
  p.scale = in_range(u[3], opt.min_scale, opt.max_scale);
  p.shear = in_range(u[4], -opt.max_shear, opt.max_shear);
  p.stroke = in_range(u[5], -opt.max_thin, opt.max_thicken);
  p.blur = in_range(u[6], 0.0f, opt.max_blur);
  p.ink = in_range(u[7], opt.min_ink, 1.0f);
  return p;
}

void augment_digit(const std::uint8_t* src, int rows, int cols, float* dst, std::uint64_t key,
                   const AugmentOptions& opt) {
  const AugmentParams p = augment_params(key, opt);
  // Forward map about the centre c: q = c + t + A (s - c), A = scale * R * Shear.
  const double th = p.rotation_deg * std::numbers::pi / 180.0;
  const double cs = std::cos(th), sn = std::sin(th);
  const double a00 = p.scale * cs, a01 = p.scale * (cs * p.shear - sn);
  const double a10 = p.scale * sn, a11 = p.scale * (sn * p.shear + cs);
  const double det = a00 * a11 - a01 * a10;
  // Inverse map: s = c + A^-1 (q - c - t).
  const double i00 = a11 / det, i01 = -a01 / det, i10 = -a10 / det, i11 = a00 / det;
  const double cx = (cols - 1) / 2.0, cy = (rows - 1) / 2.0;
  auto pixel = [&](int x, int y) -> float {
    if (x < 0 || y < 0 || x >= cols || y >= rows) return 0.0f;
    return static_cast<float>(src[y * cols + x]);
  };
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      const double qx = x - cx - p.shift_x, qy = y - cy - p.shift_y;
      const double sx = cx + i00 * qx + i01 * qy;
      const double sy = cy + i10 * qx + i11 * qy;
      const double fx = std::floor(sx), fy = std::floor(sy);
      const int x0 = static_cast<int>(fx), y0 = static_cast<int>(fy);
      const float wx = static_cast<float>(sx - fx), wy = static_cast<float>(sy - fy);
      const float top = pixel(x0, y0) + wx * (pixel(x0 + 1, y0) - pixel(x0, y0));
      const float bottom = pixel(x0, y0 + 1) + wx * (pixel(x0 + 1, y0 + 1) - pixel(x0, y0 + 1));
      dst[y * cols + x] = unit_of_byte(top + wy * (bottom - top));
    }
  }
  if (rows * cols > kMaxPenPixels) return;
  float scratch[kMaxPenPixels];
  if (p.stroke > 0) blend_with_neighbourhood(dst, rows, cols, p.stroke, Neighbourhood::max, scratch);
  if (p.stroke < 0) blend_with_neighbourhood(dst, rows, cols, -p.stroke, Neighbourhood::min, scratch);
  blend_with_neighbourhood(dst, rows, cols, p.blur, Neighbourhood::mean, scratch);
  if (p.ink != 1.0f) {
    for (int i = 0; i < rows * cols; ++i) dst[i] *= p.ink;
  }
}

}  // namespace blnk::data
