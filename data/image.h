// Decoding uploaded or on-disk images (PNG, JPEG, GIF, WebP, BMP, PGM/PPM) into
// a float grayscale plane, with limits checked from the header before any
// decoding, and every failure sorted into a category the server can map to an
// HTTP status. One entry point decodes every format (data/image_decode.h):
// JPEG through libjpeg-turbo, WebP through libwebp, the rest through stb_image.
//
// Size: a JPEG can be decoded straight to a reduced size (1/2, 1/4, 1/8, in
// the DCT) when the caller asks for less (DecodeTarget), and one over the pixel
// limit is decoded at the reduction that fits it rather than refused; the
// GrayImage records the scale, so coordinates map back to the file's pixels.
// Other formats over the limit are refused.
//
// Output convention: 0 = black, 1 = white, Rec.601 luma of the stored
// (gamma-encoded) values: Y = 0.299 R + 0.587 G + 0.114 B (a JPEG's own Y
// plane, which its encoder made with these weights); 16-bit samples are scaled
// by 1/65535, 8-bit by 1/255. A GIF or an animated WebP gives its first frame.
//
// Alpha: transparent pixels must read as background. We composite over the
// opposite of the visible ink: the alpha-weighted mean luma of the image
// decides; if what is drawn is dark (mean < 0.5) the backdrop is white, else
// black. So black strokes on a transparent canvas become black on white, white
// strokes on transparent become white on black, and a fully opaque image is
// unchanged. (If every pixel has the same colour the information is in alpha
// alone, and this rule still turns alpha into ink coverage.)
//
// Thread safety: decoding is re-entrant; we never touch stb's global settings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/image_format.h"
#include "base/error.h"

namespace blnk::data {

// Room for what the pixel limit lets in: a 12 MP PNG of a phone photo is 20-36 MB, a
// 50 MP 8-bit RGBA BMP 200 MB. (The server's uploads have their own, --max-body.)
inline constexpr std::uint64_t kDefaultMaxImageFileBytes = 256ull << 20;  // 256 MiB
inline constexpr std::uint64_t kDefaultMaxImagePixels = 50'000'000;       // 50 megapixels

struct ImageLimits {
  std::uint64_t max_file_bytes = kDefaultMaxImageFileBytes;
  std::uint64_t max_pixels = kDefaultMaxImagePixels;
};

// Why an image could not be decoded. Suggested HTTP statuses in brackets.
enum class ImageErrorKind {
  empty,               // zero bytes                                        [400/422]
  not_an_image,        // no known image signature                          [415]
  unsupported_format,  // a known format we do not decode (TIFF, HEIC, ...)  [415]
  undecodable,         // a supported format, but corrupt or truncated      [422]
  too_large,           // file bytes or pixel count above the limits        [413]
};
const char* image_error_kind_name(ImageErrorKind kind);

class ImageError : public Error {
 public:
  ImageError(ImageErrorKind kind, const std::string& message) : Error(message), kind_(kind) {}
  ImageErrorKind kind() const { return kind_; }

 private:
  ImageErrorKind kind_;
};


struct ImageInfo {
  ImageFormat format = ImageFormat::unknown;
  int width = 0, height = 0;  // the file's own size
  int channels = 0;       // as stored: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (a CMYK JPEG: 4)
  bool is_16_bit = false;
  bool is_animated = false;  // an animated WebP (its first frame is decoded); a GIF always gives its first
  // The least reduction (1, 2, 4, 8) a decode needs to stay within the pixel
  // limit: above 1 only for a JPEG over the limit.
  int min_scale = 1;
};

// Reads the header only and checks the limits. Throws ImageError. A JPEG over
// limits.max_pixels passes when a DCT reduction of at most 1/8 brings it
// within (min_scale says which), unless its decoder would hold the full
// image's coefficients (progressive or multi-scan): that is too_large.
ImageInfo probe_image(std::span<const std::uint8_t> bytes, const std::string& name,
                      const ImageLimits& limits = {});

// What size the caller wants (a JPEG is then decoded in the DCT at the most
// reduced of 1, 1/2, 1/4, 1/8 that meets it); other formats decode at their
// own size. Both 0: the file's size (or what the pixel limit allows).
struct DecodeTarget {
  int min_short_side = 0;        // the shorter side stays at least this long
  std::uint64_t max_pixels = 0;  // reduce further until at most this many pixels (down to 1/8)
};

struct GrayImage {
  int width = 0, height = 0;
  std::vector<float> pixels;  // (height, width), 0 = black, 1 = white
  bool had_alpha = false;
  // Decoded at 1/scale of the file's size: pixel (x, y) here covers the
  // file's pixels from (x * scale, y * scale) on (after EXIF orientation).
  int scale = 1;
  float at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

// What the gray level is made of. luma: as documented above. colour_contrast:
// the colours' projection on the axis they vary most along (their first
// principal component), its 1st percentile at 0 (and compressed when its 99th
// would pass 1; never stretched: one colour's noise stays as faint as it is):
// a digit that differs from its ground in colour more than in brightness (red
// paint on a blue sign) stands out. Gray images are luma.
enum class GrayFrom { luma, colour_contrast };

// Decodes to grayscale as documented above. Throws ImageError naming `name`.
// The second form reuses `out`'s storage.
GrayImage decode_image_gray(std::span<const std::uint8_t> bytes, const std::string& name,
                            const ImageLimits& limits = {}, const DecodeTarget& target = {});
void decode_image_gray(std::span<const std::uint8_t> bytes, const std::string& name, GrayImage& out,
                       const ImageLimits& limits = {}, const DecodeTarget& target = {},
                       GrayFrom from = GrayFrom::luma);
GrayImage read_image_gray(const std::string& path, const ImageLimits& limits = {}, const DecodeTarget& target = {});
// The bytes of an image file: an empty file or one over limits.max_file_bytes is an
// ImageError (empty, too_large) naming the path, checked before reading.
std::vector<std::uint8_t> read_image_file(const std::string& path, const ImageLimits& limits = {});

// A grayscale plane from 8-bit samples (0 = black), for callers that already
// hold pixels (e.g. an MNIST image) and for tests.
GrayImage gray_from_u8(const std::uint8_t* pixels, int width, int height);

}  // namespace blnk::data
