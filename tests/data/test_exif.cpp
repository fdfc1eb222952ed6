// EXIF orientation: the tag read from hand-built EXIF segments (both byte
// orders, every value, broken segments), and real JPEGs decoded as a viewer
// shows them. The expected pictures are written out corner by corner here,
// not computed by apply_orientation.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "data/exif.h"
#include "data/image.h"
#include "data/image_color.h"
#include "data/image_write.h"

using namespace blnk::data;

namespace {

void put16(std::vector<std::uint8_t>& v, unsigned x, bool big) {
  if (big) v.insert(v.end(), {std::uint8_t(x >> 8), std::uint8_t(x)});
  else v.insert(v.end(), {std::uint8_t(x), std::uint8_t(x >> 8)});
}
void put32(std::vector<std::uint8_t>& v, unsigned x, bool big) {
  put16(v, big ? x >> 16 : x & 0xFFFF, big);
  put16(v, big ? x & 0xFFFF : x >> 16, big);
}

// An APP1 segment: "Exif\0\0", a TIFF header, IFD0 with a Make tag and then
// the Orientation tag (type SHORT unless told otherwise).
std::vector<std::uint8_t> exif_segment(unsigned orientation, bool big, unsigned type = 3, unsigned entries = 2) {
  std::vector<std::uint8_t> tiff = big ? std::vector<std::uint8_t>{'M', 'M'} : std::vector<std::uint8_t>{'I', 'I'};
  put16(tiff, 42, big);
  put32(tiff, 8, big);
  put16(tiff, entries, big);
  put16(tiff, 0x010F, big), put16(tiff, 2, big), put32(tiff, 4, big);
  tiff.insert(tiff.end(), {'b', 'l', 'n', 'k'});
  put16(tiff, 0x0112, big), put16(tiff, type, big), put32(tiff, 1, big), put16(tiff, orientation, big), put16(tiff, 0, big);
  put32(tiff, 0, big);
  std::vector<std::uint8_t> seg = {0xFF, 0xE1};
  put16(seg, unsigned(tiff.size() + 8), true);
  seg.insert(seg.end(), {'E', 'x', 'i', 'f', 0, 0});
  seg.insert(seg.end(), tiff.begin(), tiff.end());
  return seg;
}

// A JPEG with the segment right after its start marker.
std::vector<std::uint8_t> with_segment(const std::vector<std::uint8_t>& jpeg, const std::vector<std::uint8_t>& seg) {
  std::vector<std::uint8_t> out;
  out.reserve(jpeg.size() + seg.size());
  out.push_back(jpeg[0]);
  out.push_back(jpeg[1]);
  out.insert(out.end(), seg.begin(), seg.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

}  // namespace

TEST_CASE("exif: the orientation tag is read in both byte orders, every value") {
  const std::vector<std::uint8_t> bare = {0xFF, 0xD8, 0xFF, 0xD9};
  CHECK(jpeg_exif_orientation(bare) == 1);
  for (bool big : {true, false}) {
    for (unsigned o = 1; o <= 8; ++o) {
      CAPTURE(big);
      CAPTURE(o);
      CHECK(jpeg_exif_orientation(with_segment(bare, exif_segment(o, big))) == int(o));
    }
  }
}

TEST_CASE("exif: broken or hostile segments read as 'as stored', never past the bytes") {
  const std::vector<std::uint8_t> bare = {0xFF, 0xD8, 0xFF, 0xD9};
  CHECK(jpeg_exif_orientation(with_segment(bare, exif_segment(0, true))) == 1);    // out of range
  CHECK(jpeg_exif_orientation(with_segment(bare, exif_segment(9, false))) == 1);
  CHECK(jpeg_exif_orientation(with_segment(bare, exif_segment(6, true, 4))) == 1); // LONG, not SHORT
  // An entry count far past the segment: the entries that are there still count.
  CHECK(jpeg_exif_orientation(with_segment(bare, exif_segment(6, false, 3, 65535))) == 6);
  // Cut anywhere: never a crash, never a value out of range.
  const auto whole = with_segment(bare, exif_segment(6, true));
  for (std::size_t n = 0; n <= whole.size(); ++n) {
    const int o = jpeg_exif_orientation(std::span(whole.data(), n));
    CHECK((o == 1 || (o == 6 && n >= whole.size() - 2)));
  }
  // A segment length that runs past the file, and an IFD offset far outside.
  auto bad_length = whole;
  bad_length[4] = 0xFF;
  CHECK(jpeg_exif_orientation(bad_length) == 1);
  auto bad_offset = whole;
  bad_offset[2 + 4 + 6 + 4] = 0x7F;  // the IFD offset's high byte (big-endian)
  CHECK(jpeg_exif_orientation(bad_offset) == 1);
  // Not a JPEG at all.
  const std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  CHECK(jpeg_exif_orientation(png) == 1);
}

TEST_CASE("exif: a JPEG is decoded turned as a viewer shows it, for all 8 orientations") {
  // A 48x32 picture (as stored) with one dark 16x16 block in its top-left
  // corner: where the block lands says how the picture was turned.
  const int w = 48, h = 32;
  std::vector<std::uint8_t> stored(w * h, 230);
  for (int y = 0; y < 16; ++y) {
    for (int x = 0; x < 16; ++x) stored[y * w + x] = 20;
  }
  const auto jpeg = encode_jpeg(stored, w, h, 1, 95);
  // Expected (display width, height, corner of the block): 0 top-left,
  // 1 top-right, 2 bottom-right, 3 bottom-left.
  struct Expect { int width, height, corner; };
  const Expect expect[9] = {{}, {48, 32, 0}, {48, 32, 1}, {48, 32, 2}, {48, 32, 3},
                            {32, 48, 0}, {32, 48, 1}, {32, 48, 2}, {32, 48, 3}};
  for (int o = 1; o <= 8; ++o) {
    CAPTURE(o);
    const GrayImage g = decode_image_gray(with_segment(jpeg, exif_segment(unsigned(o), o % 2 == 0)), "turned.jpg");
    REQUIRE(g.width == expect[o].width);
    REQUIRE(g.height == expect[o].height);
    const int corner = expect[o].corner;
    const int bx = (corner == 1 || corner == 2) ? g.width - 8 : 8;
    const int by = (corner >= 2) ? g.height - 8 : 8;
    CHECK(g.at(bx, by) < 0.2f);                           // the block
    CHECK(g.at(g.width - 1 - bx, g.height - 1 - by) > 0.8f);  // the opposite corner is paper
    CHECK(g.at(g.width - 1 - bx, by) > 0.8f);
    CHECK(g.at(bx, g.height - 1 - by) > 0.8f);
  }
}

// A class model's images are read in colour (image_color.h): turned as shown there
// too, and as stored for the seed's pipeline (PIL does not turn them).
TEST_CASE("exif: a colour JPEG is decoded turned as shown, or as stored when asked") {
  const int w = 48, h = 32;
  std::vector<std::uint8_t> stored(std::size_t(w) * h * 3, 230);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) stored[(std::size_t(y) * w + x) * 3] = 20, stored[(std::size_t(y) * w + x) * 3 + 1] = 20;
  const auto jpeg = with_segment(encode_jpeg(stored, w, h, 3, 95), exif_segment(6, false));
  const ColorImage as_stored = decode_image_color(jpeg, "turned.jpg");
  CHECK(as_stored.width == 48);
  CHECK(as_stored.height == 32);
  CHECK(as_stored.at(8, 8, 0) < 60);
  // 6: turned 90 degrees clockwise, the block from the top-left to the top-right.
  const ColorImage shown = decode_image_color(jpeg, "turned.jpg", {}, ExifOrientation::as_shown);
  REQUIRE(shown.width == 32);
  REQUIRE(shown.height == 48);
  REQUIRE(shown.channels == 3);
  CHECK(shown.at(shown.width - 8, 8, 0) < 60);   // the block, red and green dark
  CHECK(shown.at(shown.width - 8, 8, 2) > 170);  // blue kept: channels stay in order
  CHECK(shown.at(8, 8, 0) > 170);
  CHECK(shown.at(8, shown.height - 8, 0) > 170);
}
