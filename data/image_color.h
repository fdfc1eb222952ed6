// Decoding an image to its 8-bit samples with the channels it stores (gray,
// gray + alpha, RGB, RGBA), for pipelines that need colour and alpha as they
// are: the seed's preprocessing (data/seed_preprocess.h). blnk's own pipeline
// reads image.h's decode_image_gray, which composites alpha and takes luma.
//
// The same formats, limits and checks before decoding as image.h (probe_image
// runs first, so every header and hostile-file check applies), through the one
// decode entry point (data/image_decode.h). 16-bit samples are reduced to 8 bits (the high byte), palette images
// arrive expanded to RGB or RGBA. Re-entrant.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/image.h"

namespace blnk::data {

struct ColorImage {
  int width = 0, height = 0;
  int channels = 0;                   // 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA (alpha last)
  std::vector<std::uint8_t> samples;  // (height, width, channels), 0 = black
  int scale = 1;                      // decoded at 1/scale of the file's size (a JPEG over the pixel limit)
  std::uint8_t at(int x, int y, int c) const {
    return samples[(static_cast<std::size_t>(y) * width + x) * channels + c];
  }
};

// A JPEG's pixels as stored (the seed's pipeline: PIL does not turn them), or turned
// as its EXIF orientation says, as viewers show it and decode_image_gray reads it
// (a class model's images: a phone's portrait photo is stored sideways).
enum class ExifOrientation { as_stored, as_shown };

// Throws ImageError (image.h) naming `name`, as decode_image_gray does.
ColorImage decode_image_color(std::span<const std::uint8_t> bytes, const std::string& name,
                              const ImageLimits& limits = {},
                              ExifOrientation orientation = ExifOrientation::as_stored);
ColorImage read_image_color(const std::string& path, const ImageLimits& limits = {},
                            ExifOrientation orientation = ExifOrientation::as_stored);

}  // namespace blnk::data
