// Recognising image formats by their first bytes, and the cheap structural
// checks we do before any decoder (is a BMP/PNM file as long as its header
// says, does a PNG end with IEND, a JPEG with EOI, is a GIF's first frame all
// there). No decoding.
#include "data/image_format.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace blnk::data {

namespace {

bool starts_with(std::span<const std::uint8_t> b, std::initializer_list<std::uint8_t> sig, std::size_t at = 0) {
  if (b.size() < at + sig.size()) return false;
  return std::equal(sig.begin(), sig.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
}

bool starts_with_text(std::span<const std::uint8_t> b, const char* text, std::size_t at = 0) {
  const std::size_t n = std::strlen(text);
  return b.size() >= at + n && std::memcmp(b.data() + at, text, n) == 0;
}

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}
std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

constexpr std::size_t kPngIhdrEnd = 24;        // signature 8 + length 4 + "IHDR" 4 + w 4 + h 4
constexpr std::size_t kPngIendChunkBytes = 12;  // length 4 + "IEND" 4 + CRC 4
constexpr std::size_t kBmpHeaderBytes = 34;     // up to biCompression
constexpr std::uint32_t kBmpUncompressed = 0, kBmpBitfields = 3;
// A JPEG's end-of-image marker may be followed by a little padding or metadata.
constexpr std::size_t kJpegEoiSearchBytes = 64 * 1024;
constexpr std::size_t kGifScreenEnd = 13;     // "GIF89a" 6 + screen w 2, h 2, flags, background, aspect
constexpr int kPnmMaxHeaderTokens = 4;  // magic, width, height, maxval
constexpr std::uint64_t kPnmMaxHeaderValue = 1u << 30;

// PNM header: "P5"/"P6", whitespace/comments, width, height, maxval, one
// whitespace byte, then the samples. Returns false when malformed.
bool parse_pnm_header(std::span<const std::uint8_t> b, std::uint64_t tokens[kPnmMaxHeaderTokens],
                      std::size_t& data_start) {
  std::size_t i = 2;
  for (int t = 1; t < kPnmMaxHeaderTokens; ++t) {
    while (i < b.size() && (std::isspace(b[i]) || b[i] == '#')) {
      if (b[i] == '#') {
        while (i < b.size() && b[i] != '\n' && b[i] != '\r') ++i;
      } else {
        ++i;
      }
    }
    if (i >= b.size() || !std::isdigit(b[i])) return false;
    std::uint64_t v = 0;
    while (i < b.size() && std::isdigit(b[i])) {
      v = v * 10 + (b[i] - '0');
      if (v > kPnmMaxHeaderValue) return false;
      ++i;
    }
    tokens[t] = v;
  }
  if (i >= b.size() || !std::isspace(b[i])) return false;
  data_start = i + 1;
  return true;
}

// A colour table follows a block whose flags byte has bit 7 set: 3 * 2^(n+1) bytes.
std::size_t gif_color_table_bytes(std::uint8_t flags) {
  return (flags & 0x80) ? 3u * (2u << (flags & 0x07)) : 0;
}

// Skips a GIF's data sub-blocks (a length byte, that many bytes, until a 0
// length) from `p`; false when they run past the end.
bool skip_gif_sub_blocks(std::span<const std::uint8_t> b, std::size_t& p) {
  while (p < b.size()) {
    const std::size_t n = b[p++];
    if (n == 0) return true;
    p += n;
  }
  return false;
}

// Why a GIF's first frame cannot be whole (empty: it is): its blocks, from the
// screen descriptor to the end of the first image's data, must all be in the
// file (stb reads zeros past the end, so a cut GIF would decode as half black).
std::string gif_first_frame_truncation(std::span<const std::uint8_t> b) {
  const std::string cut = "truncated (the GIF's first frame runs past the end of the file)";
  if (b.size() < kGifScreenEnd) return cut;
  std::size_t p = kGifScreenEnd + gif_color_table_bytes(b[10]);
  constexpr std::uint8_t kExtension = 0x21, kImage = 0x2C, kTrailer = 0x3B;
  constexpr std::size_t kImageDescriptorBytes = 10;
  while (p < b.size()) {
    const std::uint8_t block = b[p];
    if (block == kExtension) {
      p += 2;  // introducer, label
      if (!skip_gif_sub_blocks(b, p)) return cut;
    } else if (block == kImage) {
      if (p + kImageDescriptorBytes > b.size()) return cut;
      p += kImageDescriptorBytes + gif_color_table_bytes(b[p + 9]);
      p += 1;  // LZW minimum code size
      return p <= b.size() && skip_gif_sub_blocks(b, p) ? std::string() : cut;
    } else if (block == kTrailer) {
      return "the GIF holds no image (its trailer comes before any frame)";
    } else {
      char what[64];
      std::snprintf(what, sizeof what, "malformed GIF (an unknown block 0x%02x before the first frame)", block);
      return what;
    }
  }
  return cut;
}

}  // namespace

ImageFormat sniff_image_format(std::span<const std::uint8_t> b) {
  if (starts_with(b, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFormat::png;
  if (starts_with(b, {0xFF, 0xD8, 0xFF})) return ImageFormat::jpeg;
  if (starts_with_text(b, "BM")) return ImageFormat::bmp;
  if (b.size() >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6')) return ImageFormat::pnm;
  if (b.size() >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '4' && std::isspace(b[2])) return ImageFormat::pnm_ascii;
  if (starts_with_text(b, "GIF87a") || starts_with_text(b, "GIF89a")) return ImageFormat::gif;
  if (starts_with(b, {'I', 'I', 0x2A, 0x00}) || starts_with(b, {'M', 'M', 0x00, 0x2A})) return ImageFormat::tiff;
  if (starts_with_text(b, "RIFF") && starts_with_text(b, "WEBP", 8)) return ImageFormat::webp;
  if (starts_with_text(b, "ftyp", 4)) {
    if (starts_with_text(b, "avif", 8) || starts_with_text(b, "avis", 8)) return ImageFormat::avif;
    for (const char* brand : {"heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"}) {
      if (starts_with_text(b, brand, 8)) return ImageFormat::heif;
    }
  }
  if (starts_with(b, {0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' '}) || starts_with(b, {0xFF, 0x4F, 0xFF, 0x51})) {
    return ImageFormat::jpeg2000;
  }
  if (starts_with(b, {0xFF, 0x0A}) || starts_with(b, {0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' '})) {
    return ImageFormat::jpeg_xl;
  }
  if (starts_with_text(b, "8BPS")) return ImageFormat::psd;
  if (starts_with(b, {0x00, 0x00, 0x01, 0x00})) return ImageFormat::ico;
  if (starts_with_text(b, "#?RADIANCE") || starts_with_text(b, "#?RGBE")) return ImageFormat::hdr;
  if (starts_with_text(b, "%PDF")) return ImageFormat::pdf;
  if (starts_with_text(b, "<svg") || starts_with_text(b, "<?xml")) return ImageFormat::svg;
  return ImageFormat::unknown;
}

const char* image_format_name(ImageFormat f) {
  switch (f) {
    case ImageFormat::unknown: return "unknown";
    case ImageFormat::png: return "PNG";
    case ImageFormat::jpeg: return "JPEG";
    case ImageFormat::bmp: return "BMP";
    case ImageFormat::pnm: return "PGM/PPM";
    case ImageFormat::pnm_ascii: return "ASCII or 1-bit PNM (P1-P4)";
    case ImageFormat::gif: return "GIF";
    case ImageFormat::tiff: return "TIFF";
    case ImageFormat::webp: return "WebP";
    case ImageFormat::heif: return "HEIF/HEIC";
    case ImageFormat::avif: return "AVIF";
    case ImageFormat::jpeg2000: return "JPEG 2000";
    case ImageFormat::jpeg_xl: return "JPEG XL";
    case ImageFormat::psd: return "PSD";
    case ImageFormat::ico: return "ICO";
    case ImageFormat::hdr: return "Radiance HDR";
    case ImageFormat::pdf: return "PDF";
    case ImageFormat::svg: return "SVG/XML";
  }
  return "unknown";
}

bool is_supported_format(ImageFormat f) {
  return f == ImageFormat::png || f == ImageFormat::jpeg || f == ImageFormat::gif || f == ImageFormat::webp ||
         f == ImageFormat::bmp || f == ImageFormat::pnm;
}

bool read_header_size(std::span<const std::uint8_t> b, ImageFormat f, std::uint64_t& width,
                      std::uint64_t& height) {
  if (f == ImageFormat::png && b.size() >= kPngIhdrEnd && starts_with_text(b, "IHDR", 12)) {
    width = load_be32(&b[16]);
    height = load_be32(&b[20]);
    return true;
  }
  if (f == ImageFormat::gif && b.size() >= kGifScreenEnd) {  // the logical screen
    width = std::uint64_t{b[6]} | (std::uint64_t{b[7]} << 8);
    height = std::uint64_t{b[8]} | (std::uint64_t{b[9]} << 8);
    return true;
  }
  if (f == ImageFormat::bmp && b.size() >= kBmpHeaderBytes) {
    width = static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(load_le32(&b[18])))));
    height = static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(load_le32(&b[22])))));
    return true;
  }
  if (f == ImageFormat::pnm) {
    std::uint64_t tok[kPnmMaxHeaderTokens] = {};
    std::size_t start = 0;
    if (!parse_pnm_header(b, tok, start)) return false;
    width = tok[1];
    height = tok[2];
    return true;
  }
  return false;
}

std::string find_truncation(std::span<const std::uint8_t> b, ImageFormat f) {
  if (f == ImageFormat::png) {
    if (b.size() < kPngIendChunkBytes || !starts_with_text(b, "IEND", b.size() - 8)) {
      return "truncated (the PNG does not end with an IEND chunk)";
    }
    // Every chunk must fit in the file: stb_image grows its IDAT buffer to a
    // chunk's declared length before reading it, so an 88-byte PNG declaring a
    // 512 MB IDAT made it allocate 512 MB (docs/hardening.md, F6).
    constexpr std::size_t kPngSignatureBytes = 8, kPngChunkOverhead = 12;  // length, type, CRC
    bool image_data = false;  // a non-empty IDAT seen
    for (std::size_t p = kPngSignatureBytes; p + kPngChunkOverhead <= b.size();) {
      const std::uint64_t length = load_be32(&b[p]);
      if (length > b.size() - p - kPngChunkOverhead) {
        return "truncated (a PNG chunk promises " + std::to_string(length) + " bytes, the file holds " +
               std::to_string(b.size() - p - kPngChunkOverhead) + " more)";
      }
      // An empty IDAT before any image data makes stb_image copy zero bytes into
      // its still unallocated buffer (memcpy to null: undefined behaviour, found by
      // the decode fuzz target); no encoder writes one.
      if (starts_with_text(b, "IDAT", p + 4)) {
        if (length == 0 && !image_data) return "corrupt PNG (an empty IDAT chunk before the image data)";
        image_data = true;
      }
      p += kPngChunkOverhead + static_cast<std::size_t>(length);
    }
  } else if (f == ImageFormat::gif) {
    return gif_first_frame_truncation(b);
  } else if (f == ImageFormat::jpeg) {
    const std::size_t from = b.size() > kJpegEoiSearchBytes ? b.size() - kJpegEoiSearchBytes : 2;
    bool eoi = false;
    for (std::size_t i = b.size(); i-- > from + 1;) {
      if (b[i - 1] == 0xFF && b[i] == 0xD9) { eoi = true; break; }
    }
    if (!eoi) return "truncated (the JPEG has no end-of-image marker)";
  } else if (f == ImageFormat::bmp) {
    if (b.size() < kBmpHeaderBytes) return "truncated (the BMP header is incomplete)";
    const std::uint32_t compression = load_le32(&b[30]);
    // Other compressions: RLE (1, 2) stb refuses itself; any other value stb
    // decodes as if uncompressed, reading zeros past the end of the file, so 163
    // bytes became a 30-megapixel image (docs/hardening.md, F5).
    if (compression == 1 || compression == 2) return {};
    if (compression != kBmpUncompressed && compression != kBmpBitfields)
      return "unsupported BMP compression " + std::to_string(compression);
    std::uint64_t w = 0, h = 0;
    read_header_size(b, f, w, h);
    const std::uint64_t bits = b[28] | (b[29] << 8);
    const std::uint64_t stride = (w * bits + 31) / 32 * 4;
    const std::uint64_t need = std::uint64_t{load_le32(&b[10])} + stride * h;
    if (b.size() < need) {
      return "truncated (the BMP header promises " + std::to_string(need) + " bytes, the file holds " +
             std::to_string(b.size()) + ")";
    }
  } else if (f == ImageFormat::pnm) {
    std::uint64_t tok[kPnmMaxHeaderTokens] = {};
    std::size_t start = 0;
    if (!parse_pnm_header(b, tok, start)) return "malformed PGM/PPM header";
    const std::uint64_t channels = b[1] == '6' ? 3 : 1;
    const std::uint64_t bytes_per_sample = tok[3] > 255 ? 2 : 1;
    const std::uint64_t need = start + tok[1] * tok[2] * channels * bytes_per_sample;
    if (b.size() < need) {
      return "truncated (the PGM/PPM header promises " + std::to_string(need) + " bytes, the file holds " +
             std::to_string(b.size()) + ")";
    }
  }
  return {};
}

}  // namespace blnk::data
