// EXIF orientation: phones store a JPEG's pixels as the sensor read them and
// say in the EXIF Orientation tag (1..8) how to turn them for display; every
// viewer (and the page's "your image" preview) honours it, so the decoder
// does too, for the CLI and the server alike.
//
// The EXIF segment comes from whoever sent the file: the parser trusts no
// length, offset or count in it, reads only inside the bytes it is given, and
// answers 1 (as stored) for anything it cannot follow.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "data/image.h"

namespace blnk::data {

inline constexpr int kOrientationAsStored = 1;

// The Orientation tag (1..8) of a JPEG file's first EXIF (APP1) segment; 1
// when the file is no JPEG, has no EXIF or no such tag, or the tag is invalid.
int jpeg_exif_orientation(std::span<const std::uint8_t> bytes);

// Where pixel (x, y) of an image shown for `orientation` is in the stored w x h one.
inline void stored_position(int orientation, int w, int h, int x, int y, int& sx, int& sy) {
  switch (orientation) {
    case 2: sx = w - 1 - x, sy = y; break;
    case 3: sx = w - 1 - x, sy = h - 1 - y; break;
    case 4: sx = x, sy = h - 1 - y; break;
    case 5: sx = y, sy = x; break;
    case 6: sx = y, sy = h - 1 - x; break;
    case 7: sx = w - 1 - y, sy = h - 1 - x; break;
    case 8: sx = w - 1 - y, sy = x; break;
    default: sx = x, sy = y; break;
  }
}

// Turns a decoded image as a viewer shows it for that orientation:
// 2 mirrored, 3 turned 180 degrees, 4 flipped, 5 transposed, 6 turned 90
// degrees clockwise, 7 transverse, 8 turned 90 degrees counter-clockwise.
// Orientations 5-8 swap width and height. `scratch` holds the old pixels.
void apply_orientation(GrayImage& image, int orientation, std::vector<float>& scratch);

}  // namespace blnk::data
