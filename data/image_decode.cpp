// The one decode entry point (see image_decode.h): picks the format's decoder.
#include "data/image_decode.h"

#include <algorithm>

#include "data/jpeg_decode.h"
#include "data/webp_decode.h"

namespace blnk::data {

int decode_scale_for(const ImageInfo& info, const DecodeTarget& target) {
  if (info.format != ImageFormat::jpeg) return 1;
  auto pixels_at = [&](int d) { return jpeg::scaled_side(info.width, d) * jpeg::scaled_side(info.height, d); };
  int scale = 1;
  if (target.min_short_side > 0) {
    // The most reduced scale whose shorter side still reaches the target.
    for (int d : jpeg::kScaleDenominators) {
      const std::uint64_t shorter = std::min(jpeg::scaled_side(info.width, d), jpeg::scaled_side(info.height, d));
      if (shorter >= static_cast<std::uint64_t>(target.min_short_side)) scale = d;
    }
  }
  while (target.max_pixels > 0 && scale < jpeg::kMaxScaleDenominator && pixels_at(scale) > target.max_pixels)
    scale *= 2;
  return std::max(scale, info.min_scale);
}

DecodedSamples decode_samples(std::span<const std::uint8_t> bytes, const std::string& name, const ImageInfo& info,
                              const DecodeTarget& target, bool gray_is_enough, bool sixteen_bit) {
  DecodedSamples out;
  if (info.format == ImageFormat::jpeg) {
    jpeg::Header header;
    header.width = info.width;
    header.height = info.height;
    header.channels = info.channels;
    out.scale = decode_scale_for(info, target);
    jpeg::decode(bytes, name, header, out.scale, gray_is_enough, out.owned);
  } else if (info.format == ImageFormat::webp) {
    webp::Header header;
    header.width = info.width;
    header.height = info.height;
    header.has_alpha = info.channels == 4;
    header.animated = info.is_animated;
    webp::decode(bytes, name, header, out.owned);
  } else {
    out.from_stb = stb::decode_checked(bytes, name, info, sixteen_bit && info.is_16_bit);
    out.width = out.from_stb.width;
    out.height = out.from_stb.height;
    out.channels = out.from_stb.channels;
    out.sixteen_bit = out.from_stb.sixteen_bit;
    return out;
  }
  out.width = out.owned.width;
  out.height = out.owned.height;
  out.channels = out.owned.channels;
  return out;
}

}  // namespace blnk::data
