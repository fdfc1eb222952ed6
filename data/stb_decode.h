// The one translation unit that compiles stb_image (data/stb_decode.cpp), behind
// the few calls data/ makes of it. Only the decoders blnk uses stb for (PNG, GIF's
// first frame, BMP, PNM; JPEG and WebP have their own, data/image_decode.h), no
// stdio, no float/HDR paths. We never call stb's global setters (vertical flip,
// gamma, iphone handling), so decoding from memory is re-entrant, and stb v2.27
// keeps its failure reason thread-local. Callers check every file before stb
// sees it (image.h's probe_image and find_truncation).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "data/image.h"

namespace blnk::data::stb {

struct Free {
  void operator()(void* p) const;
};

// Decoded samples as stb gives them: (height, width, channels), 8 or 16 bits each.
struct Decoded {
  std::unique_ptr<void, Free> samples;  // null: failed (reason() says why)
  int width = 0, height = 0, channels = 0;
  bool sixteen_bit = false;
};

// Header fields without decoding (a top-down BMP's height positive, as its size);
// false when stb cannot read the header.
bool info(std::span<const std::uint8_t> bytes, int& width, int& height, int& channels);
bool is_16_bit(std::span<const std::uint8_t> bytes);
// 16-bit samples when sixteen_bit (for a 16-bit file), else 8-bit ones (a 16-bit
// file's high bytes).
Decoded decode(std::span<const std::uint8_t> bytes, bool sixteen_bit);
// Why the last call on this thread failed.
std::string reason();
// decode(), or an ImageError (undecodable) naming `name`, its format and stb's reason.
Decoded decode_checked(std::span<const std::uint8_t> bytes, const std::string& name, const ImageInfo& info,
                       bool sixteen_bit);

}  // namespace blnk::data::stb
