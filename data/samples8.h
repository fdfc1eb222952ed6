// Decoded 8-bit samples, as the JPEG and WebP decoders (data/jpeg_decode.h,
// data/webp_decode.h) hand them to data/image_decode.h.
#pragma once

#include <cstdint>
#include <vector>

namespace blnk::data {

struct Samples8 {
  int width = 0, height = 0, channels = 0;  // channels: 1 gray, 3 RGB, 4 RGBA
  std::vector<std::uint8_t> data;           // (height, width, channels)
};

}  // namespace blnk::data
