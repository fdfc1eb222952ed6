// Decoding to 8-bit samples with their stored channels (image_color.h). The checks
// before a decoder sees a file are image.cpp's own, through probe_image and
// find_truncation; the decoding is the one entry point, data/image_decode.h.
#include "data/image_color.h"

#include <algorithm>

#include "data/exif.h"
#include "data/image_decode.h"

namespace blnk::data {

ColorImage decode_image_color(std::span<const std::uint8_t> bytes, const std::string& name,
                              const ImageLimits& limits, ExifOrientation orientation) {
  const ImageInfo info = probe_image(bytes, name, limits);  // limits, hostile headers, JPEG tables
  const std::string cut = find_truncation(bytes, info.format);
  if (!cut.empty()) throw ImageError(ImageErrorKind::undecodable, name + ": " + cut);
  // 8-bit samples for 16-bit files too (their high bytes); the file's own size
  // unless it is a JPEG over the pixel limit.
  const DecodedSamples px = decode_samples(bytes, name, info, DecodeTarget{}, /*gray_is_enough=*/false, false);
  ColorImage out;
  out.width = px.width;
  out.height = px.height;
  out.channels = px.channels;
  out.scale = px.scale;
  const auto* samples = static_cast<const std::uint8_t*>(px.data());
  const int turn = orientation == ExifOrientation::as_shown && info.format == ImageFormat::jpeg
                       ? jpeg_exif_orientation(bytes)
                       : kOrientationAsStored;
  if (turn == kOrientationAsStored) {
    out.samples.assign(samples, samples + static_cast<std::size_t>(px.width) * px.height * px.channels);
    return out;
  }
  if (turn >= 5) std::swap(out.width, out.height);
  out.samples.resize(static_cast<std::size_t>(px.width) * px.height * px.channels);
  const int c = px.channels;
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      int sx = 0, sy = 0;
      stored_position(turn, px.width, px.height, x, y, sx, sy);
      const std::uint8_t* from = samples + (static_cast<std::size_t>(sy) * px.width + sx) * c;
      std::copy(from, from + c, out.samples.begin() + static_cast<std::ptrdiff_t>((static_cast<std::size_t>(y) * out.width + x) * c));
    }
  return out;
}

ColorImage read_image_color(const std::string& path, const ImageLimits& limits, ExifOrientation orientation) {
  return decode_image_color(read_image_file(path, limits), path, limits, orientation);
}

}  // namespace blnk::data
