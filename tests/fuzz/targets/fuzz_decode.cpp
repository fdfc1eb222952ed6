// Fuzz target: the one decode entry point (data/image_decode.h) through both of
// its callers, decode_image_gray (with a DecodeTarget, so the DCT-scaled JPEG
// path is reached) and decode_image_color. The first byte picks the target and
// the limits; the rest is the file. The pixel limit is small (2 MP, or 64 K
// pixels) so that a claimed huge image costs little and the JPEG over-the-limit
// path is reached often.
#include <cmath>
#include <span>

#include "base/error.h"
#include "data/image.h"
#include "data/image_color.h"
#include "fuzz_targets.h"

namespace blnk::fuzz {

namespace {

constexpr std::uint64_t kFuzzMaxPixels = 2'000'000, kFuzzSmallMaxPixels = 65'536;

bool is_scale(int s) { return s == 1 || s == 2 || s == 4 || s == 8; }

}  // namespace

int fuzz_decode(const std::uint8_t* data, std::size_t size) {
  if (data == nullptr || size < 1) return 0;
  const std::uint8_t selector = data[0];
  const std::span<const std::uint8_t> bytes(data + 1, size - 1);
  data::ImageLimits limits;
  limits.max_pixels = (selector & 0x80) ? kFuzzSmallMaxPixels : kFuzzMaxPixels;
  data::DecodeTarget target;
  target.min_short_side = (selector & 0x3F) * 4;
  if (selector & 0x40) target.max_pixels = 4096;
  try {
    const data::GrayImage g = data::decode_image_gray(bytes, "fuzz", limits, target);
    BLNK_FUZZ_CHECK(g.width > 0 && g.height > 0);
    BLNK_FUZZ_CHECK(g.pixels.size() == static_cast<std::size_t>(g.width) * g.height);
    BLNK_FUZZ_CHECK(g.pixels.size() <= limits.max_pixels);
    BLNK_FUZZ_CHECK(is_scale(g.scale));
    for (float v : g.pixels) BLNK_FUZZ_CHECK(std::isfinite(v) && v >= 0.0f && v <= 1.0f);
    const data::ColorImage c = data::decode_image_color(bytes, "fuzz", limits);
    BLNK_FUZZ_CHECK(c.channels >= 1 && c.channels <= 4);
    BLNK_FUZZ_CHECK(c.samples.size() == static_cast<std::size_t>(c.width) * c.height * c.channels);
    BLNK_FUZZ_CHECK(static_cast<std::uint64_t>(c.width) * c.height <= limits.max_pixels);
    BLNK_FUZZ_CHECK(is_scale(c.scale) && c.scale <= g.scale);
  } catch (const data::ImageError& e) {
    BLNK_FUZZ_CHECK(std::string(e.what()).rfind("fuzz", 0) == 0);  // names the file
  } catch (const Error&) {
    fuzz_fail("decoding threw an error that is not an ImageError");
  }
  return 0;
}

}  // namespace blnk::fuzz
