// WebP decoding through libwebp (Debian libwebp-dev), behind the two calls
// data/ makes of it: the header (size, alpha, animation) and the decode of a
// still image to 8-bit RGB or RGBA into our own buffer (sized from the header,
// after probe_image checked it against the limits), or of an animation's first
// frame as shown on its canvas (libwebpdemux, which holds the canvas twice:
// bounded by the header's size, checked against the limits). Re-entrant.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "data/samples8.h"

namespace blnk::data::webp {

struct Header {
  int width = 0, height = 0;
  bool has_alpha = false;
  bool animated = false;
};

// False, with `why`, when libwebp cannot read the header.
bool read_header(std::span<const std::uint8_t> bytes, Header& header, std::string& why);

// RGB (3 channels), or RGBA (4) when the header says there is alpha or it is an
// animation (its first frame). Throws
// ImageError (undecodable) naming `name` and libwebp's reason.
void decode(std::span<const std::uint8_t> bytes, const std::string& name, const Header& header, Samples8& out);

}  // namespace blnk::data::webp
