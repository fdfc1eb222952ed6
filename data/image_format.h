// Image formats recognised from their first bytes (so an unsupported upload is
// named, "unsupported format: GIF"), and cheap structural checks that need no
// decoding: header dimensions for PNG/GIF/BMP/PNM and signs of truncation.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace blnk::data {

enum class ImageFormat {
  unknown,
  png, jpeg, gif, webp, bmp, pnm,  // decoded (pnm = binary PGM P5 / PPM P6)
  pnm_ascii, tiff, heif, avif, jpeg2000, jpeg_xl, psd, ico, hdr, pdf, svg,  // recognised only
};

ImageFormat sniff_image_format(std::span<const std::uint8_t> bytes);
const char* image_format_name(ImageFormat format);
bool is_supported_format(ImageFormat format);

// Width and height from the header of a PNG, GIF, BMP or PNM without any decoder.
// Returns false for other formats or a header too short to hold them.
bool read_header_size(std::span<const std::uint8_t> bytes, ImageFormat format, std::uint64_t& width,
                      std::uint64_t& height);

// Empty when nothing is wrong; otherwise why the file looks truncated or
// malformed: PNG without IEND at the end, JPEG without an end-of-image marker
// near the end, GIF whose first frame's data runs past the end, uncompressed
// BMP or PNM shorter than its header promises.
std::string find_truncation(std::span<const std::uint8_t> bytes, ImageFormat format);

}  // namespace blnk::data
