// Fuzz target: the IDX reader (data/idx.h) on bytes in memory.
// The first byte picks the path: bit 0 set gzips the rest first, so the
// decompressed content is fuzzed through the gzip reader as well as the plain one
// (a fuzzer cannot forge gzip CRCs by itself); bit 1 picks images or labels;
// the labels' class count comes from the second byte.
#include <span>

#include "data/gzip.h"
#include "data/idx.h"
#include "base/error.h"
#include "fuzz_targets.h"

namespace blnk::fuzz {

namespace {

void check_images(std::span<const std::uint8_t> bytes) {
  try {
    const data::IdxImages im = data::parse_idx_images(bytes, "fuzz-images");
    BLNK_FUZZ_CHECK(im.count >= 0 && im.rows >= 1 && im.cols >= 1);
    BLNK_FUZZ_CHECK(std::uint32_t(im.rows) <= data::kMaxIdxImageSide && std::uint32_t(im.cols) <= data::kMaxIdxImageSide);
    BLNK_FUZZ_CHECK(im.pixels.size() == std::size_t(im.count) * std::size_t(im.rows) * std::size_t(im.cols));
    // Round trip: what was read encodes back to a file that reads the same.
    const auto again = data::parse_idx_images(data::encode_idx_images(im.count, im.rows, im.cols, im.pixels), "again");
    BLNK_FUZZ_CHECK(again.pixels == im.pixels);
  } catch (const Error&) {
  }
}

void check_labels(std::span<const std::uint8_t> bytes, int num_classes) {
  try {
    const data::IdxLabels lb = data::parse_idx_labels(bytes, "fuzz-labels", num_classes);
    BLNK_FUZZ_CHECK(lb.count >= 0 && lb.labels.size() == std::size_t(lb.count));
    for (std::uint8_t label : lb.labels) BLNK_FUZZ_CHECK(label < num_classes);
  } catch (const Error&) {
  }
}

}  // namespace

int fuzz_idx(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0];
  const int num_classes = 1 + data[1] % data::kMaxIdxClasses;
  std::span<const std::uint8_t> rest(data + 2, size - 2);
  std::vector<std::uint8_t> gz;
  if (mode & 1) {
    gz = data::gzip_compress(rest);
    rest = gz;
  }
  if (mode & 2)
    check_labels(rest, num_classes);
  else
    check_images(rest);
  return 0;
}

}  // namespace blnk::fuzz
