// IDX files (the MNIST format): reading image and label files, plain or gzip
// (detected from the content, not the name), validating every header field and
// the real size of the content against the header; loading an image/label pair;
// finding the four MNIST files in a directory; writing IDX files.
//
// Format: big-endian header. Images: magic 0x00000803 (two zero bytes, type
// 0x08 = unsigned byte, 3 dimensions), then count, rows, cols as uint32, then
// count*rows*cols pixels, row-major, 0 = background. Colour images: magic
// 0x00000804 (4 dimensions), count, rows, cols, channels (1 or 3), then the
// pixels as (count, rows, cols, channels). Labels: magic 0x00000801,
// count, then one byte per item.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace blnk::data {

inline constexpr std::uint32_t kIdxImagesMagic = 0x00000803;
inline constexpr std::uint32_t kIdxLabelsMagic = 0x00000801;
inline constexpr std::uint8_t kIdxTypeUnsignedByte = 0x08;
// Limits: the largest payload we allocate (1 GiB of pixels or labels), the
// largest image side, the largest file we read, and the largest class count.
inline constexpr std::uint64_t kMaxIdxPayloadBytes = 1ull << 30;
inline constexpr std::uint32_t kMaxIdxImageSide = 4096;
inline constexpr std::uint64_t kMaxIdxFileBytes = kMaxIdxPayloadBytes + 4096;
inline constexpr int kMaxIdxClasses = 256;
inline constexpr int kMnistClasses = 10;

// A class label in memory: IDX label files hold bytes (at most kMaxIdxClasses classes),
// a folder of classes up to data/class_folder.h's kMaxClasses (1,000), so labels are
// kept 16 bits wide from reading on.
using Label = std::uint16_t;

struct IdxImages {
  std::string path;                 // file (or name) it came from
  int count = 0, rows = 0, cols = 0;
  int file_count = 0;                // what the IDX header promises: more than count when read up to a limit
  int channels = 1;                  // 1 grey, 3 RGB
  std::vector<std::uint8_t> pixels;  // (count, rows, cols, channels), 0 = background (digits) or black

  int image_size() const { return rows * cols * channels; }
  const std::uint8_t* image(int i) const {
    return pixels.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(image_size());
  }
};

struct IdxLabels {
  std::string path;
  int count = 0;
  int file_count = 0;                // what the IDX header promises: more than count when read up to a limit
  int num_classes = kMnistClasses;   // every label is in [0, num_classes)
  std::vector<Label> labels;  // (count)
};

// Parse IDX bytes (plain or gzip). `name` is used in error messages.
// Throws blnk::Error naming `name` and the problem.
// limit > 0: only the first `limit` items are read (all, when the file holds no more):
// a gzip stream is inflated no further, and what lies after them (more items, trailing
// bytes, the gzip trailer) is not read or checked. `blnk train --limit 12800` of the
// 60,000 Fashion-MNIST images: 0.25 s of inflating and 37 MB of fresh pages less.
IdxImages parse_idx_images(std::span<const std::uint8_t> bytes, const std::string& name, int limit = 0);
IdxLabels parse_idx_labels(std::span<const std::uint8_t> bytes, const std::string& name,
                           int num_classes = kMnistClasses, int limit = 0);

// Read a file and parse it as above.
IdxImages read_idx_images(const std::string& path, int limit = 0);
IdxLabels read_idx_labels(const std::string& path, int num_classes = kMnistClasses, int limit = 0);

// An image file and its label file, checked to hold the same number of items
// (their headers', when read up to a limit).
struct Dataset {
  IdxImages images;
  IdxLabels labels;
  int size() const { return images.count; }
};
Dataset load_dataset(const std::string& images_path, const std::string& labels_path,
                     int num_classes = kMnistClasses, int limit = 0);

// The four standard MNIST files in a directory.
struct MnistFiles {
  std::string train_images, train_labels, test_images, test_labels;
};
// Accepts each of train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte with or without ".gz", and the
// dot spelling (train-images.idx3-ubyte). Throws listing every name it tried
// when a needed pair is missing; a pair not needed is left empty when absent.
MnistFiles find_mnist_files(const std::string& dir, bool need_train = true, bool need_test = true);

// Writing. The encode_* functions return the file's bytes.
enum class IdxCompression { plain, gzip };
std::vector<std::uint8_t> encode_idx_images(int count, int rows, int cols,
                                            std::span<const std::uint8_t> pixels,
                                            IdxCompression compression = IdxCompression::plain);
std::vector<std::uint8_t> encode_idx_labels(std::span<const std::uint8_t> labels,
                                            IdxCompression compression = IdxCompression::plain);
void write_idx_images(const std::string& path, int count, int rows, int cols,
                      std::span<const std::uint8_t> pixels,
                      IdxCompression compression = IdxCompression::plain);
void write_idx_labels(const std::string& path, std::span<const std::uint8_t> labels,
                      IdxCompression compression = IdxCompression::plain);
// The same from labels in memory; throws Error when one is above 255 (an IDX label is a byte).
std::vector<std::uint8_t> encode_idx_labels(std::span<const Label> labels,
                                            IdxCompression compression = IdxCompression::plain);
void write_idx_labels(const std::string& path, std::span<const Label> labels,
                      IdxCompression compression = IdxCompression::plain);

}  // namespace blnk::data
