// JPEG decoding through libjpeg-turbo's TurboJPEG API (Debian libturbojpeg0-dev),
// behind the few calls data/ makes of it: the header, the choice of a DCT scale
// (1, 1/2, 1/4, 1/8: the inverse DCT itself makes the smaller image, so a 12 MP
// photo decoded at 1/8 costs little more than its entropy decoding), and the
// decode to 8-bit gray or RGB samples. Callers check the file first
// (image.h's probe_image: signature, limits, end-of-image marker).
//
// Memory: what is allocated is bounded by the decoded size, except where the
// decoder must hold every DCT coefficient of the full image (progressive or
// multi-scan files): Header::buffers_whole_image says so, and probe_image then
// holds such a file to the pixel limit at full size.
//
// Re-entrant: one TurboJPEG handle per thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/samples8.h"

namespace blnk::data::jpeg {

// The DCT scales libjpeg-turbo decodes at (as 1/denominator), in the order tried.
inline constexpr int kScaleDenominators[] = {1, 2, 4, 8};
inline constexpr int kMaxScaleDenominator = 8;

struct Header {
  int width = 0, height = 0;      // the file's full size
  int channels = 0;               // 1 gray, 3 colour (YCbCr or RGB), 4 CMYK/YCCK
  bool buffers_whole_image = false;  // progressive or multi-scan: coefficients of the full image are held
};

// The header as TurboJPEG reads it, plus our own walk of the markers for the
// scan layout. False, with `why`, when the header cannot be read.
bool read_header(std::span<const std::uint8_t> bytes, Header& header, std::string& why);

// A side decoded at 1/denominator (rounded up, as libjpeg-turbo does).
inline std::uint64_t scaled_side(std::uint64_t side, int denominator) {
  return (side + static_cast<std::uint64_t>(denominator) - 1) / static_cast<std::uint64_t>(denominator);
}

// Decodes at 1/denominator to 1 channel (gray) or 3 (RGB). `gray`: luma only (the Y plane of a YCbCr file,
// no colour conversion), else RGB. CMYK files become RGB as Adobe's inverted
// CMYK is shown (R = C*K/255, ...). Throws ImageError (undecodable) naming
// `name` and TurboJPEG's reason; a warning (corrupt data the decoder got past)
// is not an error.
void decode(std::span<const std::uint8_t> bytes, const std::string& name, const Header& header, int denominator,
            bool gray, Samples8& out);

}  // namespace blnk::data::jpeg
