// Fuzz target: the EXIF orientation parser (data/exif.h) on arbitrary bytes
// behind a JPEG start marker, then turning a small image by what it found.
#include <vector>

#include "data/exif.h"
#include "fuzz_targets.h"

namespace blnk::fuzz {

int fuzz_exif(const std::uint8_t* data, std::size_t size) {
  // The parser only looks past a JPEG's start marker: give every input one.
  std::vector<std::uint8_t> jpeg = {0xFF, 0xD8};
  jpeg.insert(jpeg.end(), data, data + size);
  const int orientation = data::jpeg_exif_orientation(jpeg);
  BLNK_FUZZ_CHECK(orientation >= 1 && orientation <= 8);
  BLNK_FUZZ_CHECK(data::jpeg_exif_orientation(std::span(data, size)) >= 1);
  data::GrayImage image;
  image.width = 3, image.height = 2;
  image.pixels = {0, 1, 2, 3, 4, 5};
  std::vector<float> scratch;
  data::apply_orientation(image, orientation, scratch);
  BLNK_FUZZ_CHECK(image.width * image.height == 6 && image.pixels.size() == 6);
  return 0;
}

}  // namespace blnk::fuzz
