// Image encoding (see image_write.h): the one translation unit compiling
// stb_image_write, without stdio.
#include "data/image_write.h"

#include <algorithm>
#include <cmath>

#include "data/pixels.h"
#include "base/file_io.h"
#include "base/error.h"

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

namespace blnk::data {

namespace {

constexpr int kMaxEncodeSide = 1 << 15;

void append(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(context);
  const auto* p = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), p, p + size);
}

void check_args(const char* what, std::span<const std::uint8_t> pixels, int width, int height, int channels) {
  if (width < 1 || height < 1 || width > kMaxEncodeSide || height > kMaxEncodeSide || channels < 1 || channels > 4 ||
      pixels.size() != static_cast<std::size_t>(width) * height * channels) {
    throw Error(std::string(what) + ": " + std::to_string(pixels.size()) + " bytes do not make a " +
                std::to_string(width) + "x" + std::to_string(height) + " image of " + std::to_string(channels) +
                " channels");
  }
}

}  // namespace

std::vector<std::uint8_t> encode_png(std::span<const std::uint8_t> pixels, int width, int height, int channels) {
  check_args("encode_png", pixels, width, height, channels);
  std::vector<std::uint8_t> out;
  if (!stbi_write_png_to_func(append, &out, width, height, channels, pixels.data(), width * channels)) {
    throw Error("encode_png: the PNG encoder failed");
  }
  return out;
}

std::vector<std::uint8_t> encode_jpeg(std::span<const std::uint8_t> pixels, int width, int height, int channels,
                                      int quality) {
  check_args("encode_jpeg", pixels, width, height, channels);
  std::vector<std::uint8_t> out;
  if (!stbi_write_jpg_to_func(append, &out, width, height, channels, pixels.data(), quality)) {
    throw Error("encode_jpeg: the JPEG encoder failed");
  }
  return out;
}

std::vector<std::uint8_t> encode_bmp(std::span<const std::uint8_t> pixels, int width, int height, int channels) {
  check_args("encode_bmp", pixels, width, height, channels);
  std::vector<std::uint8_t> out;
  if (!stbi_write_bmp_to_func(append, &out, width, height, channels, pixels.data())) {
    throw Error("encode_bmp: the BMP encoder failed");
  }
  return out;
}

std::vector<std::uint8_t> float_to_u8(std::span<const float> pixels) {
  std::vector<std::uint8_t> out(pixels.size());
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    out[i] = byte_of_unit(pixels[i]);
  }
  return out;
}

void write_png(const std::string& path, std::span<const std::uint8_t> pixels, int width, int height, int channels) {
  write_file_atomically(path, encode_png(pixels, width, height, channels));
}

}  // namespace blnk::data
