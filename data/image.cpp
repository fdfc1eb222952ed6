// Image decoding to a float grayscale plane (see image.h); stb_image decodes
// (data/stb_decode.h) once our checks passed.
#include "data/image.h"

#include <algorithm>
#include <memory>

#include "base/file_io.h"
#include "data/exif.h"
#include "data/stb_decode.h"

namespace blnk::data {

namespace {

// Rec.601 luma weights.
constexpr float kLumaR = 0.299f, kLumaG = 0.587f, kLumaB = 0.114f;
constexpr float kMax8 = 255.0f, kMax16 = 65535.0f;
// Mean visible luma below this: the drawing is dark, composite over white.
constexpr float kDarkInkMean = 0.5f;
// stb takes the length as int.
constexpr std::uint64_t kMaxStbInputBytes = 0x7fffffff;

[[noreturn]] void fail(ImageErrorKind kind, const std::string& name, const std::string& why) {
  throw ImageError(kind, name + ": " + why);
}

// Luma and alpha of `n`-channel samples of type T into `out`, compositing
// alpha over the backdrop chosen as documented in image.h.
template <typename T>
void to_gray(const T* src, int width, int height, int n, float scale, GrayImage& out) {
  const std::size_t count = static_cast<std::size_t>(width) * height;
  out.width = width;
  out.height = height;
  out.had_alpha = (n == 2 || n == 4);
  out.pixels.resize(count);
  float* dst = out.pixels.data();
  auto luma = [&](const T* p) {
    if (n < 3) return p[0] * scale;
    return (kLumaR * p[0] + kLumaG * p[1] + kLumaB * p[2]) * scale;
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

// stb_image 2.27 (Debian 12) builds a Huffman table from a DHT segment's sixteen
// code counts without checking that they add up to at most 256 (stb 2.28 does):
// a hostile JPEG writes up to 3,800 bytes past the table inside stb's decoder
// state, in the header probe already (docs/hardening.md, F4). So every table of
// every DHT segment is checked, as stb would read it, before stb sees the file.
// Segments are skipped by their length; between them (entropy-coded data) a
// DHT marker is looked for byte by byte. Returns false on a table of more than
// 256 codes; anything else (cut short, malformed) is left to stb to refuse.
bool jpeg_huffman_tables_ok(std::span<const std::uint8_t> b) {
  constexpr std::uint8_t kDht = 0xC4, kEoi = 0xD9;
  constexpr std::size_t kMaxHuffmanCodes = 256;
  std::size_t i = 2;  // after SOI
  while (i + 1 < b.size()) {
    const std::uint8_t m = b[i + 1];
    if (b[i] != 0xFF || m == 0xFF) {  // entropy-coded data, or a fill byte
      ++i;
      continue;
    }
    if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {  // stuffed 0xFF, TEM, RSTn, SOI: no length
      i += 2;
      continue;
    }
    if (m == kEoi || i + 3 >= b.size()) return true;
    const std::size_t length = (std::size_t{b[i + 2]} << 8) | b[i + 3];
    if (m == kDht) {
      // As stb reads it: per table, a class/id byte, 16 counts, then that many values.
      std::size_t p = i + 4, left = length >= 2 ? length - 2 : 0;
      while (left > 0 && p < b.size()) {
        std::size_t codes = 0;  // stb reads zeros past the end of the file
        for (std::size_t k = 1; k <= 16 && p + k < b.size(); ++k) codes += b[p + k];
        if (codes > kMaxHuffmanCodes) return false;
        if (17 + codes > left) break;
        p += 17 + codes;
        left -= 17 + codes;
      }
    }
    i += 2 + std::max<std::size_t>(length, 2);
  }
  return true;
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
    fail(ImageErrorKind::not_an_image, name, "not an image (no PNG, JPEG, BMP or PGM/PPM signature)");
  }
  if (!is_supported_format(info.format)) {
    fail(ImageErrorKind::unsupported_format, name,
         std::string("unsupported format: ") + image_format_name(info.format) +
             " (supported: PNG, JPEG, BMP, binary PGM/PPM)");
  }
  auto check_pixels = [&](std::uint64_t w, std::uint64_t h) {
    if (w == 0 || h == 0) fail(ImageErrorKind::undecodable, name, "image has a zero width or height");
    if (w * h > limits.max_pixels) {
      fail(ImageErrorKind::too_large, name,
           "too many pixels: " + std::to_string(w) + "x" + std::to_string(h) + " = " + std::to_string(w * h) +
               ", limit " + std::to_string(limits.max_pixels));
    }
  };
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
  if (info.format == ImageFormat::jpeg && !jpeg_huffman_tables_ok(bytes))
    fail(ImageErrorKind::undecodable, name, "corrupt JPEG: a Huffman table with more than 256 codes");
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
                       const ImageLimits& limits) {
  const ImageInfo info = probe_image(bytes, name, limits);
  const std::string cut = find_truncation(bytes, info.format);
  if (!cut.empty()) fail(ImageErrorKind::undecodable, name, cut);
  const stb::Decoded px = stb::decode_checked(bytes, name, info, info.is_16_bit);
  if (px.sixteen_bit)
    to_gray(static_cast<const std::uint16_t*>(px.samples.get()), px.width, px.height, px.channels, 1.0f / kMax16, out);
  else
    to_gray(static_cast<const std::uint8_t*>(px.samples.get()), px.width, px.height, px.channels, 1.0f / kMax8, out);
  // As every viewer shows it (a phone's sideways or upside-down JPEG).
  if (info.format == ImageFormat::jpeg) {
    const int orientation = jpeg_exif_orientation(bytes);
    if (orientation != kOrientationAsStored) {
      std::vector<float> stored;
      apply_orientation(out, orientation, stored);
    }
  }
}

GrayImage decode_image_gray(std::span<const std::uint8_t> bytes, const std::string& name, const ImageLimits& limits) {
  GrayImage out;
  decode_image_gray(bytes, name, out, limits);
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

GrayImage read_image_gray(const std::string& path, const ImageLimits& limits) {
  return decode_image_gray(read_image_file(path, limits), path, limits);
}

GrayImage gray_from_u8(const std::uint8_t* pixels, int width, int height) {
  GrayImage out;
  to_gray(pixels, width, height, 1, 1.0f / kMax8, out);
  return out;
}

}  // namespace blnk::data
