// PNG files stb_image_write cannot make, written by hand for the tests: 16-bit
// images, and a bare header that declares any size.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace blnk::testing {

class PngBuilder {
 public:
  PngBuilder() : png_{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A} {}
  static void be32(std::vector<std::uint8_t>& v, std::uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<std::uint8_t>(x >> s));
  }
  PngBuilder& chunk(const char* type, const std::vector<std::uint8_t>& data) {
    be32(png_, static_cast<std::uint32_t>(data.size()));
    std::vector<std::uint8_t> body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    png_.insert(png_.end(), body.begin(), body.end());
    be32(png_, static_cast<std::uint32_t>(crc32(0, body.data(), static_cast<uInt>(body.size()))));
    return *this;
  }
  PngBuilder& header(std::uint32_t w, std::uint32_t h, std::uint8_t bit_depth, std::uint8_t color_type) {
    std::vector<std::uint8_t> ihdr;
    be32(ihdr, w);
    be32(ihdr, h);
    ihdr.insert(ihdr.end(), {bit_depth, color_type, 0, 0, 0});
    return chunk("IHDR", ihdr);
  }
  std::vector<std::uint8_t> finish() {
    chunk("IEND", {});
    return png_;
  }

 private:
  std::vector<std::uint8_t> png_;
};

// A valid 16-bit PNG: channels 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; samples row-major.
inline std::vector<std::uint8_t> encode_png16(const std::vector<std::uint16_t>& samples, int w, int h, int channels) {
  static const std::uint8_t kColorType[5] = {0, 0, 4, 2, 6};
  std::vector<std::uint8_t> raw;
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);  // filter: none
    for (int i = 0; i < w * channels; ++i) {
      const std::uint16_t v = samples[static_cast<std::size_t>(y) * w * channels + i];
      raw.push_back(static_cast<std::uint8_t>(v >> 8));
      raw.push_back(static_cast<std::uint8_t>(v));
    }
  }
  uLongf len = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> z(len);
  if (compress(z.data(), &len, raw.data(), static_cast<uLong>(raw.size())) != Z_OK)
    throw std::runtime_error("encode_png16: zlib compress failed");
  z.resize(len);
  return PngBuilder().header(std::uint32_t(w), std::uint32_t(h), 16, kColorType[channels]).chunk("IDAT", z).finish();
}

// A PNG that declares width x height with a tiny (wrong) IDAT: anything that tried
// to decode it would have to plan width*height pixels first.
inline std::vector<std::uint8_t> png_header_only(std::uint32_t width, std::uint32_t height) {
  return PngBuilder().header(width, height, 8, 0).chunk("IDAT", {0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01}).finish();
}

}  // namespace blnk::testing
