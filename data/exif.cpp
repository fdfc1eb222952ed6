// EXIF orientation (see exif.h).
#include "data/exif.h"

#include <cstddef>

namespace blnk::data {

namespace {

constexpr std::uint16_t kOrientationTag = 0x0112;
constexpr std::uint16_t kTypeShort = 3;
constexpr std::size_t kIfdEntryBytes = 12;
constexpr std::uint8_t kMarkerStart = 0xFF;
constexpr std::uint8_t kStartOfImage = 0xD8;
constexpr std::uint8_t kApp1 = 0xE1;
constexpr std::uint8_t kStartOfScan = 0xDA;
constexpr std::uint8_t kEndOfImage = 0xD9;
constexpr std::uint8_t kExifHeader[6] = {'E', 'x', 'i', 'f', 0, 0};

// Bounds-checked big- or little-endian reads from a span.
struct Reader {
  std::span<const std::uint8_t> bytes;
  bool big_endian = true;
  bool has(std::size_t at, std::size_t n) const { return at <= bytes.size() && n <= bytes.size() - at; }
  std::uint16_t u16(std::size_t at) const {
    return big_endian ? std::uint16_t(bytes[at] << 8 | bytes[at + 1]) : std::uint16_t(bytes[at + 1] << 8 | bytes[at]);
  }
  std::uint32_t u32(std::size_t at) const {
    return big_endian ? std::uint32_t(u16(at)) << 16 | u16(at + 2) : std::uint32_t(u16(at + 2)) << 16 | u16(at);
  }
};

// The orientation in a TIFF structure (the EXIF payload after "Exif\0\0").
int tiff_orientation(std::span<const std::uint8_t> tiff) {
  Reader r{tiff};
  if (!r.has(0, 8)) return kOrientationAsStored;
  if (tiff[0] == 'I' && tiff[1] == 'I') {
    r.big_endian = false;
  } else if (!(tiff[0] == 'M' && tiff[1] == 'M')) {
    return kOrientationAsStored;
  }
  if (r.u16(2) != 42) return kOrientationAsStored;
  const std::size_t ifd = r.u32(4);
  if (!r.has(ifd, 2)) return kOrientationAsStored;
  const std::size_t entries = r.u16(ifd);
  for (std::size_t k = 0; k < entries; ++k) {
    const std::size_t at = ifd + 2 + k * kIfdEntryBytes;
    if (!r.has(at, kIfdEntryBytes)) break;  // a count larger than the segment: read what is there
    if (r.u16(at) != kOrientationTag) continue;
    if (r.u16(at + 2) != kTypeShort || r.u32(at + 4) != 1) return kOrientationAsStored;
    const int value = r.u16(at + 8);  // a SHORT sits in the first two bytes of the value field
    return value >= 1 && value <= 8 ? value : kOrientationAsStored;
  }
  return kOrientationAsStored;
}

}  // namespace

int jpeg_exif_orientation(std::span<const std::uint8_t> bytes) {
  Reader r{bytes};
  if (!r.has(0, 2) || bytes[0] != kMarkerStart || bytes[1] != kStartOfImage) return kOrientationAsStored;
  std::size_t at = 2;
  // Marker segments until the image data: FF, marker, 2-byte length (which counts itself).
  while (r.has(at, 4)) {
    if (bytes[at] != kMarkerStart) return kOrientationAsStored;
    const std::uint8_t marker = bytes[at + 1];
    if (marker == kMarkerStart) {  // fill byte
      ++at;
      continue;
    }
    if (marker == kStartOfScan || marker == kEndOfImage) break;
    const std::size_t length = r.u16(at + 2);
    if (length < 2 || !r.has(at + 2, length)) return kOrientationAsStored;
    const std::size_t body = at + 4, body_size = length - 2;
    if (marker == kApp1 && body_size >= sizeof(kExifHeader) &&
        std::equal(kExifHeader, kExifHeader + sizeof(kExifHeader), bytes.begin() + static_cast<std::ptrdiff_t>(body))) {
      return tiff_orientation(bytes.subspan(body + sizeof(kExifHeader), body_size - sizeof(kExifHeader)));
    }
    at += 2 + length;
  }
  return kOrientationAsStored;
}

void apply_orientation(GrayImage& image, int orientation, std::vector<float>& scratch) {
  if (orientation <= kOrientationAsStored || orientation > 8) return;
  const int w = image.width, h = image.height;
  scratch.assign(image.pixels.begin(), image.pixels.end());
  const bool swaps = orientation >= 5;
  const int out_w = swaps ? h : w, out_h = swaps ? w : h;
  for (int y = 0; y < out_h; ++y) {
    float* row = image.pixels.data() + static_cast<std::size_t>(y) * out_w;
    for (int x = 0; x < out_w; ++x) {
      int sx = 0, sy = 0;
      stored_position(orientation, w, h, x, y, sx, sy);
      row[x] = scratch[static_cast<std::size_t>(sy) * w + sx];
    }
  }
  image.width = out_w;
  image.height = out_h;
}

}  // namespace blnk::data
