// Image decoding to a float grayscale plane (see image.h): the header checks,
// then the one decode entry point (data/image_decode.h), then luma and alpha.
#include "data/image.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>

#include "base/file_io.h"
#include "data/exif.h"
#include "data/image_decode.h"
#include "data/jpeg_decode.h"
#include "data/stb_decode.h"
#include "data/webp_decode.h"

namespace blnk::data {

namespace {

// Rec.601 luma weights.
constexpr float kLumaR = 0.299f, kLumaG = 0.587f, kLumaB = 0.114f;
constexpr float kMax8 = 255.0f, kMax16 = 65535.0f;
// Mean visible luma below this: the drawing is dark, composite over white.
constexpr float kDarkInkMean = 0.5f;
constexpr const char* kSupportedFormatsText = "PNG, JPEG, GIF, WebP, BMP, binary PGM/PPM";
// stb takes the length as int.
constexpr std::uint64_t kMaxStbInputBytes = 0x7fffffff;

[[noreturn]] void fail(ImageErrorKind kind, const std::string& name, const std::string& why) {
  throw ImageError(kind, name + ": " + why);
}

// Luma and alpha of `n`-channel samples of type T into `out`, compositing
// alpha over the backdrop chosen as documented in image.h. `weights`: of R, G
// and B (luma's by default; another axis of colour for GrayFrom::colour_contrast).
template <typename T>
void to_gray(const T* src, int width, int height, int n, float scale, GrayImage& out,
             const std::array<float, 3>& weights = {kLumaR, kLumaG, kLumaB}) {
  const std::size_t count = static_cast<std::size_t>(width) * height;
  out.width = width;
  out.height = height;
  out.had_alpha = (n == 2 || n == 4);
  out.scale = 1;
  out.pixels.resize(count);
  float* dst = out.pixels.data();
  auto luma = [&](const T* p) {
    if (n < 3) return p[0] * scale;
    return (weights[0] * p[0] + weights[1] * p[1] + weights[2] * p[2]) * scale;
  };
  if (!out.had_alpha) {
    for (std::size_t i = 0; i < count; ++i) dst[i] = luma(src + i * n);
    return;
  }
  const int a = n - 1;
  double sum_alpha = 0, sum_luma = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const float alpha = src[i * n + a] * scale;
    const float y = luma(src + i * n);
    dst[i] = y;
    sum_alpha += alpha;
    sum_luma += static_cast<double>(alpha) * y;
  }
  const float mean = sum_alpha > 0 ? static_cast<float>(sum_luma / sum_alpha) : 0.0f;
  const float backdrop = mean < kDarkInkMean ? 1.0f : 0.0f;
  for (std::size_t i = 0; i < count; ++i) {
    const float alpha = src[i * n + a] * scale;
    dst[i] = alpha * dst[i] + (1.0f - alpha) * backdrop;
  }
}

// The unit axis of RGB space the colours of `n`-channel samples (n >= 3) vary
// most along: the covariance's leading eigenvector, by power iteration over a
// sample of at most kAxisSamples pixels (with alpha, the mostly opaque ones: a
// transparent pixel's colour is not seen). Its sign makes luma grow along it.
constexpr std::size_t kAxisSamples = 1 << 16;
template <typename T>
std::array<float, 3> principal_colour_axis(const T* src, std::size_t count, int n) {
  const std::size_t step = std::max<std::size_t>(1, count / kAxisSamples);
  const auto seen = [&](std::size_t i) { return n < 4 || src[i * n + 3] >= std::numeric_limits<T>::max() / 2; };
  double mean[3] = {0, 0, 0}, cov[3][3] = {};
  std::size_t used = 0;
  for (std::size_t i = 0; i < count; i += step) {
    if (!seen(i)) continue;
    ++used;
    for (int c = 0; c < 3; ++c) mean[c] += double(src[i * n + c]);
  }
  for (double& m : mean) m /= double(std::max<std::size_t>(used, 1));
  for (std::size_t i = 0; i < count; i += step) {
    if (!seen(i)) continue;
    double d[3];
    for (int c = 0; c < 3; ++c) d[c] = double(src[i * n + c]) - mean[c];
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) cov[r][c] += d[r] * d[c];
  }
  double v[3] = {kLumaR, kLumaG, kLumaB};
  for (int iteration = 0; iteration < 50; ++iteration) {
    double w[3] = {0, 0, 0}, norm = 0;
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 3; ++c) w[r] += cov[r][c] * v[c];
      norm += w[r] * w[r];
    }
    if (norm <= 0) break;  // one flat colour: luma's axis
    norm = std::sqrt(norm);
    for (int r = 0; r < 3; ++r) v[r] = w[r] / norm;
  }
  const double along_luma = kLumaR * v[0] + kLumaG * v[1] + kLumaB * v[2];
  const float sign = along_luma < 0 ? -1.0f : 1.0f;
  return {sign * float(v[0]), sign * float(v[1]), sign * float(v[2])};
}

// GrayFrom::colour_contrast's levels: the 1st percentile to 0, and compressed so
// that the 99th is at most 1. Never stretched: one colour's noise must stay as
// faint as it is (the contrast tests downstream are in gray levels).
void colour_levels(std::vector<float>& pixels) {
  if (pixels.empty()) return;
  std::vector<float> sample;
  const std::size_t step = std::max<std::size_t>(1, pixels.size() / kAxisSamples);
  for (std::size_t i = 0; i < pixels.size(); i += step) sample.push_back(pixels[i]);
  const auto at = [&](double share) {
    const auto k = sample.begin() + std::ptrdiff_t(share * double(sample.size() - 1));
    std::nth_element(sample.begin(), k, sample.end());
    return *k;
  };
  const float lo = at(0.01), hi = at(0.99);
  const float range = std::max(hi - lo, 1.0f);
  for (float& v : pixels) v = std::clamp((v - lo) / range, 0.0f, 1.0f);
}

// The least DCT reduction that brings a w x h JPEG within max_pixels; 0 when
// even 1/8 does not.
int jpeg_scale_within(std::uint64_t w, std::uint64_t h, std::uint64_t max_pixels) {
  for (int d : jpeg::kScaleDenominators)
    if (jpeg::scaled_side(w, d) * jpeg::scaled_side(h, d) <= max_pixels) return d;
  return 0;
}

std::string pixels_text(std::uint64_t w, std::uint64_t h) {
  return std::to_string(w) + "x" + std::to_string(h) + " = " + std::to_string(w * h);
}

// A JPEG's header (TurboJPEG reads it) and its limits: over the pixel limit, the
// reduction that fits (info.min_scale) or too_large; within it, `check_pixels`.
template <typename CheckPixels>
void probe_jpeg(std::span<const std::uint8_t> bytes, const std::string& name, const ImageLimits& limits,
                ImageInfo& info, CheckPixels check_pixels) {
  jpeg::Header header;
  std::string why;
  if (!jpeg::read_header(bytes, header, why)) {
    const std::string cut = find_truncation(bytes, info.format);
    fail(ImageErrorKind::undecodable, name, "cannot read the JPEG header: " + (cut.empty() ? why : cut));
  }
  info.width = header.width;
  info.height = header.height;
  info.channels = header.channels;
  const std::uint64_t w = static_cast<std::uint64_t>(header.width), h = static_cast<std::uint64_t>(header.height);
  if (w == 0 || h == 0 || w * h <= limits.max_pixels) return check_pixels(w, h);
  info.min_scale = jpeg_scale_within(w, h, limits.max_pixels);
  if (info.min_scale == 0) {
    fail(ImageErrorKind::too_large, name,
         "too many pixels: " + pixels_text(w, h) + ", over the limit of " + std::to_string(limits.max_pixels) +
             " even decoded at 1/" + std::to_string(jpeg::kMaxScaleDenominator));
  }
  if (header.buffers_whole_image) {
    fail(ImageErrorKind::too_large, name,
         "too many pixels: " + pixels_text(w, h) + ", limit " + std::to_string(limits.max_pixels) +
             " (a progressive or multi-scan JPEG is held to the limit at full size: its decoder keeps the whole "
             "image's coefficients; a baseline JPEG this large is read at a reduced size)");
  }
}

}  // namespace

const char* image_error_kind_name(ImageErrorKind kind) {
  switch (kind) {
    case ImageErrorKind::empty: return "empty";
    case ImageErrorKind::not_an_image: return "not_an_image";
    case ImageErrorKind::unsupported_format: return "unsupported_format";
    case ImageErrorKind::undecodable: return "undecodable";
    case ImageErrorKind::too_large: return "too_large";
  }
  return "unknown";
}

ImageInfo probe_image(std::span<const std::uint8_t> bytes, const std::string& name, const ImageLimits& limits) {
  if (bytes.empty()) fail(ImageErrorKind::empty, name, "empty file (0 bytes)");
  if (bytes.size() > limits.max_file_bytes || bytes.size() > kMaxStbInputBytes) {
    fail(ImageErrorKind::too_large, name,
         "file too large: " + std::to_string(bytes.size()) + " bytes, limit " + std::to_string(limits.max_file_bytes));
  }
  ImageInfo info;
  info.format = sniff_image_format(bytes);
  if (info.format == ImageFormat::unknown) {
    fail(ImageErrorKind::not_an_image, name, "not an image (no PNG, JPEG, GIF, WebP, BMP or PGM/PPM signature)");
  }
  if (!is_supported_format(info.format)) {
    fail(ImageErrorKind::unsupported_format, name,
         std::string("unsupported format: ") + image_format_name(info.format) + " (supported: " +
             kSupportedFormatsText + ")");
  }
  auto check_pixels = [&](std::uint64_t w, std::uint64_t h) {
    if (w == 0 || h == 0) fail(ImageErrorKind::undecodable, name, "image has a zero width or height");
    if (w * h > limits.max_pixels) {
      fail(ImageErrorKind::too_large, name,
           "too many pixels: " + pixels_text(w, h) + ", limit " + std::to_string(limits.max_pixels) +
               " (only a JPEG this large is read at a reduced size: scale it down, or save it as a baseline JPEG)");
    }
  };
  if (info.format == ImageFormat::jpeg) {
    probe_jpeg(bytes, name, limits, info, check_pixels);
    return info;
  }
  if (info.format == ImageFormat::webp) {
    webp::Header header;
    std::string why;
    if (!webp::read_header(bytes, header, why)) fail(ImageErrorKind::undecodable, name, "cannot read the WebP header: " + why);
    check_pixels(static_cast<std::uint64_t>(header.width), static_cast<std::uint64_t>(header.height));
    info.width = header.width;
    info.height = header.height;
    info.channels = header.has_alpha || header.animated ? 4 : 3;
    info.is_animated = header.animated;
    return info;
  }
  // Our own header read first, so a huge header is refused with its numbers
  // even where stb would refuse it with a vaguer message.
  std::uint64_t hw = 0, hh = 0;
  if (read_header_size(bytes, info.format, hw, hh)) {
    check_pixels(hw, hh);
  } else if (info.format == ImageFormat::pnm) {
    // stb_image's PNM header reader overflows an int (undefined behaviour) on a
    // number of ten digits or more; ours refuses numbers over 2^30. A PNM header
    // ours cannot read never reaches stb.
    fail(ImageErrorKind::undecodable, name, "malformed PGM/PPM header (or a number in it over 2^30)");
  }
  if (!stb::info(bytes, info.width, info.height, info.channels)) {
    const std::string reason = stb::reason();
    if (reason == "too large") fail(ImageErrorKind::too_large, name, "image dimensions too large to decode");
    const std::string cut = find_truncation(bytes, info.format);
    fail(ImageErrorKind::undecodable, name,
         std::string("cannot read the ") + image_format_name(info.format) + " header: " + (cut.empty() ? reason : cut));
  }
  check_pixels(static_cast<std::uint64_t>(info.width), static_cast<std::uint64_t>(info.height));
  info.is_16_bit = stb::is_16_bit(bytes);
  return info;
}

void decode_image_gray(std::span<const std::uint8_t> bytes, const std::string& name, GrayImage& out,
                       const ImageLimits& limits, const DecodeTarget& target, GrayFrom from) {
  const ImageInfo info = probe_image(bytes, name, limits);
  const std::string cut = find_truncation(bytes, info.format);
  if (!cut.empty()) fail(ImageErrorKind::undecodable, name, cut);
  const bool colour = from == GrayFrom::colour_contrast;
  const DecodedSamples px = decode_samples(bytes, name, info, target, /*gray_is_enough=*/!colour, info.is_16_bit);
  const std::size_t count = std::size_t(px.width) * std::size_t(px.height);
  const auto convert = [&](const auto* samples, float scale) {
    if (colour && px.channels >= 3)
      to_gray(samples, px.width, px.height, px.channels, scale, out, principal_colour_axis(samples, count, px.channels));
    else
      to_gray(samples, px.width, px.height, px.channels, scale, out);
  };
  if (px.sixteen_bit)
    convert(static_cast<const std::uint16_t*>(px.data()), 1.0f / kMax16);
  else
    convert(static_cast<const std::uint8_t*>(px.data()), 1.0f / kMax8);
  if (colour && px.channels >= 3) colour_levels(out.pixels);
  out.scale = px.scale;
  // As every viewer shows it (a phone's sideways or upside-down JPEG).
  if (info.format == ImageFormat::jpeg) {
    const int orientation = jpeg_exif_orientation(bytes);
    if (orientation != kOrientationAsStored) {
      std::vector<float> stored;
      apply_orientation(out, orientation, stored);
    }
  }
}

GrayImage decode_image_gray(std::span<const std::uint8_t> bytes, const std::string& name, const ImageLimits& limits,
                            const DecodeTarget& target) {
  GrayImage out;
  decode_image_gray(bytes, name, out, limits, target);
  return out;
}
std::vector<std::uint8_t> read_image_file(const std::string& path, const ImageLimits& limits) {
  const std::uint64_t size = file_size(path);
  if (size == 0) fail(ImageErrorKind::empty, path, "empty file (0 bytes)");
  if (size > limits.max_file_bytes) {
    fail(ImageErrorKind::too_large, path,
         "file too large: " + std::to_string(size) + " bytes, limit " + std::to_string(limits.max_file_bytes));
  }
  return read_file_bytes(path, limits.max_file_bytes);
}

GrayImage read_image_gray(const std::string& path, const ImageLimits& limits, const DecodeTarget& target) {
  return decode_image_gray(read_image_file(path, limits), path, limits, target);
}

GrayImage gray_from_u8(const std::uint8_t* pixels, int width, int height) {
  GrayImage out;
  to_gray(pixels, width, height, 1, 1.0f / kMax8, out);
  return out;
}

}  // namespace blnk::data
