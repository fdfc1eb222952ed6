// The one decode entry point of data/: any supported format to its samples,
// after probe_image (image.h) checked the file. Each format has its decoder
// behind a small module: JPEG through TurboJPEG at a DCT scale chosen for the
// caller's target (data/jpeg_decode.h), WebP through libwebp
// (data/webp_decode.h), PNG, GIF (first frame), BMP and PNM through stb_image
// (data/stb_decode.h). image.cpp turns the samples into a GrayImage,
// image_color.cpp into a ColorImage.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "data/image.h"
#include "data/samples8.h"
#include "data/stb_decode.h"

namespace blnk::data {

struct DecodedSamples {
  int width = 0, height = 0, channels = 0;  // channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
  bool sixteen_bit = false;
  int scale = 1;            // decoded at 1/scale of the file's size (JPEG only)
  stb::Decoded from_stb;    // owns the samples when stb decoded them
  Samples8 owned;           // else these
  const void* data() const { return from_stb.samples ? from_stb.samples.get() : owned.data.data(); }
};

// The DCT reduction a JPEG is decoded at for `target` (1, 2, 4 or 8), never
// less than info.min_scale (what the pixel limit needs); 1 for other formats.
int decode_scale_for(const ImageInfo& info, const DecodeTarget& target);

// Decodes a file probe_image accepted (`info` is its answer). `gray_is_enough`:
// a JPEG may come as its luma alone (1 channel, no colour conversion).
// `sixteen_bit`: 16-bit samples for a 16-bit PNG or PNM, else 8 bits (the high
// bytes). Throws ImageError (undecodable) naming `name`.
DecodedSamples decode_samples(std::span<const std::uint8_t> bytes, const std::string& name, const ImageInfo& info,
                              const DecodeTarget& target, bool gray_is_enough, bool sixteen_bit);

}  // namespace blnk::data
