// JPEG decoding through TurboJPEG (see jpeg_decode.h).
#include "data/jpeg_decode.h"

#include <turbojpeg.h>

#include <cstring>
#include <memory>

#include "data/image.h"

namespace blnk::data::jpeg {

namespace {

struct HandleFree {
  void operator()(void* handle) const { tjDestroy(handle); }
};

// One decompressor per thread, made on first use (tjInitDecompress allocates).
tjhandle thread_decompressor() {
  thread_local std::unique_ptr<void, HandleFree> handle(tjInitDecompress());
  return handle.get();
}

// Markers without a length field: TEM, RST0-7, SOI, EOI.
bool marker_has_no_length(std::uint8_t m) { return m == 0x01 || (m >= 0xD0 && m <= 0xD9); }

// Whether the decoder will hold the whole image's coefficients: a progressive
// frame (SOF2, SOF6, SOF10, SOF14), a first scan with fewer components than
// the frame (libjpeg's "multiple scans"), or a second scan at all (to be sure).
// What cannot be followed counts as buffered: the caller then applies the
// full-size pixel limit, as it always has.
bool whole_image_buffered(std::span<const std::uint8_t> b) {
  constexpr std::uint8_t kSos = 0xDA, kEoi = 0xD9;
  int frame_components = -1, scans = 0;
  std::size_t i = 2;  // after SOI
  while (i + 3 < b.size()) {
    if (b[i] != 0xFF) return true;
    const std::uint8_t m = b[i + 1];
    if (m == 0xFF) { ++i; continue; }  // fill byte
    if (marker_has_no_length(m)) {
      if (m == kEoi) break;
      i += 2;
      continue;
    }
    const std::size_t length = (std::size_t{b[i + 2]} << 8) | b[i + 3];
    if (length < 2 || i + 2 + length > b.size()) return true;
    const bool is_sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (is_sof) {
      if (m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE) return true;
      if (length < 8) return true;
      frame_components = b[i + 9];
    }
    i += 2 + length;
    if (m == kSos) {
      ++scans;
      if (frame_components < 0 || scans > 1 || b[i - length + 2] < frame_components) return true;
      // Entropy-coded data: a 0xFF in it is followed by 0x00 or a restart
      // marker, so the next other marker ends the scan.
      // memchr: a phone's scan is megabytes long, and this runs on every upload.
      for (;;) {
        const void* ff = i < b.size() ? std::memchr(b.data() + i, 0xFF, b.size() - i) : nullptr;
        if (!ff) return true;  // no end-of-image: cannot follow
        i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(ff) - b.data());
        if (i + 1 >= b.size()) return true;
        const std::uint8_t next = b[i + 1];
        if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) break;
        i += 1;
      }
    }
  }
  return scans != 1;
}

[[noreturn]] void fail(const std::string& name, const std::string& why) {
  throw ImageError(ImageErrorKind::undecodable, name + ": corrupt JPEG: " + why);
}

}  // namespace

bool read_header(std::span<const std::uint8_t> bytes, Header& header, std::string& why) {
  tjhandle tj = thread_decompressor();
  if (!tj) {
    why = "cannot start the JPEG decoder";
    return false;
  }
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(tj, bytes.data(), static_cast<unsigned long>(bytes.size()), &width, &height, &subsampling,
                          &colorspace) != 0) {
    why = tjGetErrorStr2(tj);
    return false;
  }
  // Data that ends before the frame header (a file cut within its metadata) reads
  // as a success with no size: it is no header.
  if (width <= 0 || height <= 0) {
    why = "no frame size before the end of the data";
    return false;
  }
  header.width = width;
  header.height = height;
  header.channels = colorspace == TJCS_GRAY ? 1 : (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) ? 4 : 3;
  header.buffers_whole_image = whole_image_buffered(bytes);
  return true;
}

void decode(std::span<const std::uint8_t> bytes, const std::string& name, const Header& header, int denominator,
            bool gray, Samples8& out) {
  tjhandle tj = thread_decompressor();
  if (!tj) fail(name, "cannot start the JPEG decoder");
  const tjscalingfactor factor{1, denominator};
  out.width = TJSCALED(header.width, factor);
  out.height = TJSCALED(header.height, factor);
  const bool cmyk = header.channels == 4;
  // TurboJPEG cannot turn CMYK into gray or RGB: take CMYK and convert below.
  const int format = cmyk ? TJPF_CMYK : gray ? TJPF_GRAY : TJPF_RGB;
  const int decoded_channels = tjPixelSize[format];
  const std::size_t count = static_cast<std::size_t>(out.width) * out.height;
  out.data.resize(count * decoded_channels);
  // LIMITSCANS: a progressive file of thousands of tiny scans is refused (time).
  if (tjDecompress2(tj, bytes.data(), static_cast<unsigned long>(bytes.size()), out.data.data(), out.width, 0,
                    out.height, format, TJFLAG_LIMITSCANS) != 0 &&
      tjGetErrorCode(tj) != TJERR_WARNING) {
    fail(name, tjGetErrorStr2(tj));
  }
  out.channels = decoded_channels;
  if (!cmyk) return;
  // Adobe's CMYK is stored inverted: each of C, M, Y times K is R, G, B.
  std::uint8_t* p = out.data.data();
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned k = p[i * 4 + 3];
    for (int c = 0; c < 3; ++c) p[i * 3 + c] = static_cast<std::uint8_t>((p[i * 4 + c] * k + 127) / 255);
  }
  out.channels = 3;
  out.data.resize(count * 3);
  if (gray) {  // luma, as image.cpp takes it from RGB
    for (std::size_t i = 0; i < count; ++i)
      p[i] = static_cast<std::uint8_t>(0.299f * p[i * 3] + 0.587f * p[i * 3 + 1] + 0.114f * p[i * 3 + 2] + 0.5f);
    out.channels = 1;
    out.data.resize(count);
  }
}

}  // namespace blnk::data::jpeg
