// Encoding 8-bit images to PNG, JPEG and BMP in memory or on disk, through
// stb_image_write compiled in image_write.cpp only. Used by
// `--save-preprocessed`, the server's page (the 28x28 the network saw), the
// contact-sheet tool and the tests. Thread-safe: we never set stb's globals.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace blnk::data {

inline constexpr int kDefaultJpegQuality = 90;

// `pixels` is (height, width, channels) 8-bit, channels 1..4 (gray, gray+alpha,
// RGB, RGBA). Throws blnk::Error on bad arguments or an encoder failure.
std::vector<std::uint8_t> encode_png(std::span<const std::uint8_t> pixels, int width, int height, int channels);
std::vector<std::uint8_t> encode_jpeg(std::span<const std::uint8_t> pixels, int width, int height, int channels,
                                      int quality = kDefaultJpegQuality);
std::vector<std::uint8_t> encode_bmp(std::span<const std::uint8_t> pixels, int width, int height, int channels);

// A float plane in [0,1] (values outside are clamped) as 8-bit gray.
std::vector<std::uint8_t> float_to_u8(std::span<const float> pixels);

void write_png(const std::string& path, std::span<const std::uint8_t> pixels, int width, int height, int channels);

}  // namespace blnk::data
