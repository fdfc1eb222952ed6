// stb_image compiled once for blnk (see stb_decode.h), its own warnings silenced.
#include "data/stb_decode.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#define STBI_ONLY_PNG
#define STBI_ONLY_GIF
#define STBI_ONLY_BMP
#define STBI_ONLY_PNM
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STB_IMAGE_STATIC  // stb stays private to this file
#define STB_IMAGE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

namespace blnk::data::stb {

void Free::operator()(void* p) const { stbi_image_free(p); }

bool info(std::span<const std::uint8_t> bytes, int& width, int& height, int& channels) {
  if (stbi_info_from_memory(bytes.data(), int(bytes.size()), &width, &height, &channels) == 0) return false;
  // stb's BMP header reader gives a top-down BMP's height as stored, negative (its
  // decoder reads such a file with the absolute value): the height is its size.
  height = int(std::min<std::int64_t>(std::abs(std::int64_t{height}), std::numeric_limits<int>::max()));
  return true;
}

bool is_16_bit(std::span<const std::uint8_t> bytes) {
  return stbi_is_16_bit_from_memory(bytes.data(), int(bytes.size())) != 0;
}

Decoded decode(std::span<const std::uint8_t> bytes, bool sixteen_bit) {
  Decoded d;
  d.sixteen_bit = sixteen_bit;
  const int len = int(bytes.size());
  if (sixteen_bit)
    d.samples.reset(stbi_load_16_from_memory(bytes.data(), len, &d.width, &d.height, &d.channels, 0));
  else
    d.samples.reset(stbi_load_from_memory(bytes.data(), len, &d.width, &d.height, &d.channels, 0));
  return d;
}

std::string reason() {
  const char* r = stbi_failure_reason();
  return r ? r : "unknown error";
}

Decoded decode_checked(std::span<const std::uint8_t> bytes, const std::string& name, const ImageInfo& info,
                       bool sixteen_bit) {
  Decoded d = decode(bytes, sixteen_bit);
  if (!d.samples)
    throw ImageError(ImageErrorKind::undecodable,
                     name + ": corrupt " + image_format_name(info.format) + ": " + reason());
  return d;
}

}  // namespace blnk::data::stb
