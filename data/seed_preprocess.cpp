// The seed's preprocessing (seed_preprocess.h): Pillow's bicubic resize in its
// 8-bit fixed point, OpenCV's fixed-point gray, numpy's percentiles and
// scikit-image's stretch, reimplemented from their documented arithmetic.
#include "data/seed_preprocess.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"

// The arithmetic below must round as Pillow's C and numpy do: no fused multiply-adds
// (the project builds with -ffp-contract=fast).
#if defined(__clang__)
#pragma clang fp contract(off)
#else
#pragma GCC optimize("fp-contract=off")
#endif

namespace blnk::data {
namespace {

// Pillow's bicubic filter (Keys, a = -0.5) and its support at scale 1.
constexpr double kCubicA = -0.5;
constexpr double kCubicSupport = 2.0;
// Pillow keeps resampling weights as integers with this many fractional bits (32 - 8 - 2).
constexpr int kWeightBits = 22;
// OpenCV 4's 8-bit RGB-to-gray weights (0.114, 0.587, 0.299) in 15-bit fixed point;
// they sum to 1 << 15. (OpenCV 3 used 14 bits: 1868, 9617, 4899; a few pixels differ.)
constexpr int kGrayShift = 15;
constexpr int kWeightBlue = 3735, kWeightGreen = 19235, kWeightRed = 9798;
// numpy.percentile's quantiles of the seed's stretch.
constexpr double kLowPercentile = 10.0, kHighPercentile = 90.0;

double cubic(double x) {
  x = std::fabs(x);
  if (x < 1.0) return ((kCubicA + 2.0) * x - (kCubicA + 3.0)) * x * x + 1.0;
  if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * kCubicA;
  return 0.0;
}

// For each output position along one axis: the first input sample it reads, how
// many, and their integer weights (ksize per output).
struct Taps {
  int ksize = 0;
  std::vector<int> first, count;
  std::vector<std::int32_t> weights;  // (out, ksize)
};

// As Pillow's precompute_coeffs + normalize_coeffs_8bpc: the filter stretched by the
// downscale factor, centred on each output pixel's centre, normalised, rounded to integers.
Taps pillow_taps(int in_size, int out_size) {
  const double scale = double(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = kCubicSupport * filter_scale;
  Taps t;
  t.ksize = int(std::ceil(support)) * 2 + 1;
  t.first.resize(out_size);
  t.count.resize(out_size);
  t.weights.assign(std::size_t(out_size) * t.ksize, 0);
  std::vector<double> w(t.ksize);
  for (int o = 0; o < out_size; ++o) {
    const double center = (o + 0.5) * scale;
    const int lo = std::max(int(center - support + 0.5), 0);
    const int hi = std::min(int(center + support + 0.5), in_size);
    const int n = hi - lo;
    const double inverse_scale = 1.0 / filter_scale;  // Pillow multiplies by it (not divides)
    double sum = 0.0;
    for (int i = 0; i < n; ++i) sum += w[i] = cubic((i + lo - center + 0.5) * inverse_scale);
    for (int i = 0; i < n; ++i) {
      const double v = sum != 0.0 ? w[i] / sum : w[i];
      const double fixed = v * double(1 << kWeightBits);
      t.weights[std::size_t(o) * t.ksize + i] = std::int32_t(v < 0 ? -0.5 + fixed : 0.5 + fixed);
    }
    t.first[o] = lo;
    t.count[o] = n;
  }
  return t;
}

std::uint8_t clip_fixed(std::int64_t sum) {
  if (sum <= 0) return 0;
  if (sum >= (std::int64_t(256) << kWeightBits)) return 255;
  return std::uint8_t(sum >> kWeightBits);
}

// One pass along x (horizontal) or y, every channel alike, rounding to 8 bits as Pillow does.
ColorImage resample_axis(const ColorImage& in, const Taps& taps, bool horizontal) {
  ColorImage out;
  out.channels = in.channels;
  out.width = horizontal ? int(taps.first.size()) : in.width;
  out.height = horizontal ? in.height : int(taps.first.size());
  out.samples.resize(std::size_t(out.width) * out.height * out.channels);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      const int o = horizontal ? x : y;
      const std::int32_t* k = &taps.weights[std::size_t(o) * taps.ksize];
      for (int c = 0; c < out.channels; ++c) {
        std::int64_t sum = std::int64_t(1) << (kWeightBits - 1);
        for (int i = 0; i < taps.count[o]; ++i) {
          const int src = taps.first[o] + i;
          sum += std::int64_t(horizontal ? in.at(src, y, c) : in.at(x, src, c)) * k[i];
        }
        out.samples[(std::size_t(y) * out.width + x) * out.channels + c] = clip_fixed(sum);
      }
    }
  return out;
}

bool has_alpha(const ColorImage& image) { return image.channels == 2 || image.channels == 4; }

// Pillow's RGBA -> RGBa (and LA -> La): colour times alpha / 255, rounded its way.
void premultiply(ColorImage& image) {
  const int a = image.channels - 1;
  for (std::size_t p = 0; p < image.samples.size(); p += image.channels) {
    const unsigned alpha = image.samples[p + a];
    for (int c = 0; c < a; ++c) {
      const unsigned t = image.samples[p + c] * alpha + 128;
      image.samples[p + c] = std::uint8_t(((t >> 8) + t) >> 8);
    }
  }
}

// Pillow's RGBa -> RGBA: colour * 255 / alpha (integer division), kept as is at alpha 0 or 255.
void unpremultiply(ColorImage& image) {
  const int a = image.channels - 1;
  for (std::size_t p = 0; p < image.samples.size(); p += image.channels) {
    const unsigned alpha = image.samples[p + a];
    if (alpha == 0 || alpha == 255) continue;
    for (int c = 0; c < a; ++c) image.samples[p + c] = std::uint8_t(std::min(255u, 255u * image.samples[p + c] / alpha));
  }
}

// numpy.percentile(values, q) with its default linear method, as numpy 1.22+ computes it.
double numpy_percentile(const std::vector<double>& sorted, double q) {
  const double index = (q / 100.0) * double(sorted.size() - 1);
  const double below = std::floor(index);
  const std::size_t i = std::size_t(below);
  const std::size_t j = std::min(i + 1, sorted.size() - 1);
  const double t = index - below, a = sorted[i], b = sorted[j], diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

}  // namespace

ColorImage resize_like_pillow(const ColorImage& image, int width, int height) {
  if (image.width < 1 || image.height < 1 || image.channels < 1 || image.channels > 4 || width < 1 || height < 1 ||
      image.samples.size() != std::size_t(image.width) * image.height * image.channels)
    throw Error("resize_like_pillow: an empty or inconsistent image");
  if (image.width == width && image.height == height) return image;  // Pillow returns a copy
  ColorImage work = image;
  if (has_alpha(work)) premultiply(work);
  if (work.width != width) work = resample_axis(work, pillow_taps(work.width, width), true);
  if (work.height != height) work = resample_axis(work, pillow_taps(work.height, height), false);
  if (has_alpha(work)) unpremultiply(work);
  return work;
}

std::array<std::uint8_t, kDigitPixels> seed_gray(const ColorImage& resized) {
  if (resized.width != kDigitSide || resized.height != kDigitSide)
    throw Error("seed_gray: expects a " + std::to_string(kDigitSide) + "x" + std::to_string(kDigitSide) + " image");
  std::array<std::uint8_t, kDigitPixels> gray{};
  for (int i = 0; i < kDigitPixels; ++i) {
    const std::uint8_t* p = &resized.samples[std::size_t(i) * resized.channels];
    if (resized.channels < 3) {
      gray[i] = p[0];  // gray (+ alpha): the seed crashed; its own gray
      continue;
    }
    // BGRA order read from an RGB(A) array: channel 0 takes blue's weight.
    const int sum = kWeightBlue * p[0] + kWeightGreen * p[1] + kWeightRed * p[2];
    gray[i] = std::uint8_t((sum + (1 << (kGrayShift - 1))) >> kGrayShift);
  }
  return gray;
}

std::array<float, kDigitPixels> seed_stretch_and_binarize(const std::array<std::uint8_t, kDigitPixels>& gray) {
  std::vector<double> values(kDigitPixels);
  for (int i = 0; i < kDigitPixels; ++i) values[i] = gray[i] / 255.0;
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const double low = numpy_percentile(sorted, kLowPercentile), high = numpy_percentile(sorted, kHighPercentile);
  std::array<float, kDigitPixels> out{};
  for (int i = 0; i < kDigitPixels; ++i) {
    const double clipped = std::clamp(values[i], low, high);
    // rescale_intensity leaves the clipped values as they are when the range is empty.
    const double stretched = low != high ? (clipped - low) / (high - low) : clipped;
    out[i] = stretched < kSeedThreshold ? 0.0f : 1.0f;
  }
  return out;
}

std::array<float, kDigitPixels> seed_preprocess(const ColorImage& image) {
  return seed_stretch_and_binarize(seed_gray(resize_like_pillow(image, kDigitSide, kDigitSide)));
}

Preprocessed seed_preprocess_image(std::span<const std::uint8_t> bytes, const std::string& name,
                                   const ImageLimits& limits) {
  const ColorImage image = decode_image_color(bytes, name, limits);
  Preprocessed out;
  out.found = true;
  out.pixels = seed_preprocess(image);
  out.box_w = image.width;
  out.box_h = image.height;
  return out;
}

}  // namespace blnk::data
