// Fuzz target: the whole image path of `blnk serve` and `blnk predict`:
// serve::ModelClassifier::classify with the bundled model (limits checked from
// the header, stb decode, MNIST-style preprocessing, inference, the seen PNG).
// The model is loaded once, on the first call.
#include <cmath>
#include <algorithm>
#include <memory>
#include <span>

#include "fuzz_targets.h"
#include "engine/error.h"
#include "data/image.h"
#include "data/preprocess.h"
#include "serve/model_classifier.h"

namespace blnk::fuzz {

namespace {

// Finding F2 (docs/hardening.md): stb_image's PNM header reader overflows a
// signed int (undefined behaviour) on a number of ten digits or more. Whether
// the bytes are a binary PNM whose header has such a number.
bool pnm_with_long_number(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || data[0] != 'P' || (data[1] != '5' && data[1] != '6')) return false;
  int digits = 0;
  for (std::size_t i = 2; i < size && i < 4096; ++i) {
    digits = (data[i] >= '0' && data[i] <= '9') ? digits + 1 : 0;
    if (digits >= 10) return true;
  }
  return false;
}

// Finding F4 (docs/hardening.md): stb_image 2.27 writes past a Huffman table
// when a JPEG DHT segment's counts add up to more than 256. The same check as the
// proposed fix in data/image.cpp: false when a table has more than 256 codes.
bool jpeg_huffman_tables_ok(std::span<const std::uint8_t> b) {
  constexpr std::uint8_t kDht = 0xC4, kEoi = 0xD9;
  constexpr std::size_t kMaxHuffmanCodes = 256;
  std::size_t i = 2;  // after SOI
  while (i + 1 < b.size()) {
    const std::uint8_t m = b[i + 1];
    if (b[i] != 0xFF || m == 0xFF) {  // entropy-coded data, or a fill byte
      ++i;
      continue;
    }
    if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {  // stuffed 0xFF, TEM, RSTn, SOI: no length
      i += 2;
      continue;
    }
    if (m == kEoi || i + 3 >= b.size()) return true;
    const std::size_t length = (std::size_t{b[i + 2]} << 8) | b[i + 3];
    if (m == kDht) {
      // As stb reads it: per table, a class/id byte, 16 counts, then that many values.
      std::size_t p = i + 4, left = length >= 2 ? length - 2 : 0;
      while (left > 0 && p < b.size()) {
        std::size_t codes = 0;  // stb reads zeros past the end of the file
        for (std::size_t k = 1; k <= 16 && p + k < b.size(); ++k) codes += b[p + k];
        if (codes > kMaxHuffmanCodes) return false;
        if (17 + codes > left) break;
        p += 17 + codes;
        left -= 17 + codes;
      }
    }
    i += 2 + std::max<std::size_t>(length, 2);
  }
  return true;
}

// Finding F6 (docs/hardening.md): stb_image grows its IDAT buffer to a chunk's
// declared length before reading it, so an 88-byte PNG allocates 512 MB. Whether
// a PNG has a chunk whose declared length runs past the end of the file.
bool png_chunk_past_end(const std::uint8_t* data, std::size_t size) {
  if (size < 8 || data[0] != 0x89 || data[1] != 'P') return false;
  for (std::size_t p = 8; p + 8 <= size;) {
    const std::uint64_t length = std::uint64_t(data[p]) << 24 | std::uint64_t(data[p + 1]) << 16 |
                                 std::uint64_t(data[p + 2]) << 8 | data[p + 3];
    if (p + 12 + length > size) return true;
    p += 12 + length;
  }
  return false;
}

// Finding F7 (docs/hardening.md): preprocess_digit shrinks a large image by an
// integer factor first; a side shorter than the factor became 0 and an empty
// plane crashed remove_banding (SIGSEGV). Whether the image is that thin.
bool thinner_than_shrink_factor(std::span<const std::uint8_t> bytes) {
  try {
    data::GrayImage image;
    data::decode_image_gray(bytes, "probe", image);
    const int side = data::PreprocessOptions{}.working_side;
    if (side <= 0) return false;
    const int factor = std::max(1, (std::max(image.width, image.height) + side / 2) / side);
    return image.width < factor || image.height < factor;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

int fuzz_image(const std::uint8_t* data, std::size_t size) {
  static const auto classifier = std::make_unique<serve::ModelClassifier>(fuzz_model_path());
  if (data == nullptr) return 0;
  if (skip_open_findings() && (pnm_with_long_number(data, size) || png_chunk_past_end(data, size) ||
                               (size >= 2 && data[0] == 0xFF && data[1] == 0xD8 &&
                                !jpeg_huffman_tables_ok(std::span<const std::uint8_t>(data, size))) ||
                               thinner_than_shrink_factor(std::span<const std::uint8_t>(data, size))))
    return 0;
  serve::Classification result;
  serve::ClassifyFailure failure;
  const serve::ClassifyOptions options;  // with the seen PNG, as ?seen=1 and the page ask
  bool ok = false;
  try {
    ok = classifier->classify(std::span<const std::uint8_t>(data, size), options, result, failure);
  } catch (const Error&) {
    // Finding F5 (docs/hardening.md): preprocess_digit throws on an image with a
    // side over 32768, and classify let that escape instead of returning false.
    if (!skip_open_findings()) throw;
    return 0;
  }
  if (ok) {
    BLNK_FUZZ_CHECK(result.digit >= 0 && result.digit < 10);
    BLNK_FUZZ_CHECK(result.probabilities.size() == 10);
    float sum = 0;
    for (float p : result.probabilities) {
      BLNK_FUZZ_CHECK(std::isfinite(p) && p >= 0.0f && p <= 1.0f);
      sum += p;
    }
    BLNK_FUZZ_CHECK(std::fabs(sum - 1.0f) < 1e-3f);
    BLNK_FUZZ_CHECK(!result.seen_png.empty());
  } else {
    BLNK_FUZZ_CHECK(failure.http_status == 413 || failure.http_status == 415 || failure.http_status == 422);
    BLNK_FUZZ_CHECK(!failure.message.empty());
  }
  return 0;
}

}  // namespace blnk::fuzz
