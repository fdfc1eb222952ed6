// IDX reading, validation and writing (see idx.h).
#include "data/idx.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "base/buffer.h"
#include "base/file_io.h"
#include "data/gzip.h"
#include "base/error.h"

namespace blnk::data {

namespace {

constexpr std::size_t kIdxImagesHeaderBytes = 16;  // magic, count, rows, cols
constexpr std::size_t kIdxLabelsHeaderBytes = 8;   // magic, count
constexpr int kIdxImagesDims = 3;
constexpr int kIdxColourImagesDims = 4;  // (count, rows, cols, channels)
constexpr std::size_t kIdxChannelsBytes = 4;  // the fourth dimension, after the 16-byte header
constexpr int kIdxLabelsDims = 1;
// How far we look for trailing bytes in a gzip stream before we stop counting.
constexpr std::size_t kMaxTrailingScanBytes = 1 << 20;
constexpr std::size_t kScratchBytes = 4096;

// Where the IDX bytes come from: the plain span, or a gzip stream inflating it.
class IdxSource {
 public:
  IdxSource(std::span<const std::uint8_t> bytes, const std::string& name) : bytes_(bytes) {
    if (is_gzip(bytes)) gzip_.emplace(bytes, name);
  }
  bool compressed() const { return gzip_.has_value(); }
  // The most content the source can hold: deflate expands at most 1032:1.
  std::uint64_t max_content() const { return compressed() ? std::uint64_t(bytes_.size()) * 1032 : bytes_.size(); }

  // Reads up to out.size() bytes; fewer only at the end of the content.
  std::size_t read(std::span<std::uint8_t> out) {
    if (gzip_) return gzip_->read(out);
    const std::size_t n = std::min(out.size(), bytes_.size() - pos_);
    std::copy_n(bytes_.data() + pos_, n, out.data());
    pos_ += n;
    return n;
  }

  // How many bytes remain (counting stops past kMaxTrailingScanBytes for gzip).
  std::size_t count_rest() {
    if (!gzip_) return bytes_.size() - pos_;
    std::array<std::uint8_t, kScratchBytes> scratch{};
    std::size_t total = 0;
    while (total <= kMaxTrailingScanBytes) {
      const std::size_t n = gzip_->read(scratch);
      total += n;
      if (n < scratch.size()) break;
    }
    return total;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::optional<GzipReader> gzip_;
};

std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

void store_be32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

const char* idx_type_name(std::uint8_t type) {
  switch (type) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return nullptr;
  }
}

// Reads and checks the header: magic, type byte and dimension count.
// Fills `header` (header_bytes long) or throws.
void read_header(IdxSource& src, const std::string& name, std::span<std::uint8_t> header,
                 int want_dims) {
  const char* what = want_dims == kIdxImagesDims ? "images" : "labels";
  const std::uint32_t want_magic = want_dims == kIdxImagesDims ? kIdxImagesMagic : kIdxLabelsMagic;
  const std::size_t got = src.read(header);
  if (got == 0) throw Error(name + ": empty file (expected IDX " + what + ")");
  if (got < 4 || header[0] != 0 || header[1] != 0 || !idx_type_name(header[2])) {
    std::string start;
    for (std::size_t i = 0; i < std::min<std::size_t>(got, 4); ++i) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%02x ", header[i]);
      start += buf;
    }
    if (got < 4) throw Error(name + ": truncated: " + std::to_string(got) + " bytes, too short for an IDX header");
    throw Error(name + ": not an IDX file (starts with " + start + "; expected magic " +
                hex32(want_magic) + " for " + what + ")");
  }
  const std::uint32_t magic = load_be32(header.data());
  if (header[2] != kIdxTypeUnsignedByte) {
    throw Error(name + ": IDX data type " + std::string(idx_type_name(header[2])) + " (magic " +
                hex32(magic) + ") is not supported, expected unsigned byte (magic " +
                hex32(want_magic) + ")");
  }
  const int dims = header[3];
  const bool colour_images = want_dims == kIdxImagesDims && dims == kIdxColourImagesDims;
  if (dims != want_dims && !colour_images) {
    std::string hint;
    if (dims == kIdxLabelsDims) hint = " (this is a label file)";
    if (dims == kIdxImagesDims || dims == kIdxColourImagesDims) hint = " (this is an image file)";
    throw Error(name + ": IDX file has " + std::to_string(dims) + " dimensions" + hint +
                ", expected " + (want_dims == kIdxImagesDims ? "3 or 4" : std::to_string(want_dims)) + " for " +
                what + " (magic " + hex32(want_magic) + (want_dims == kIdxImagesDims ? ", or 0x00000804" : "") + ")");
  }
  if (got < header.size()) {
    throw Error(name + ": truncated: the IDX header needs " + std::to_string(header.size()) +
                " bytes, the file holds " + std::to_string(got));
  }
}

// Reads `want` bytes into `out`. A gzip stream's real length is unknown until it
// is inflated, so its buffer grows as the content arrives (doubling from 1 MiB):
// a small file that promises a huge payload costs only what it holds. A plain
// file's size was checked against the promise already: one allocation.
// The buffer's address space is reserved first for as much of the promise as the
// source can hold (no page is touched before the content comes), so growing never
// copies, and advised into huge pages: 60,000 images in 4 KiB pages cost ~0.3 s of
// page faults and copies, as long as inflating them.
constexpr std::size_t kFirstGrowBytes = std::size_t(1) << 20;
std::size_t read_payload(IdxSource& src, std::vector<std::uint8_t>& out, std::uint64_t want) {
  const std::size_t reserve = static_cast<std::size_t>(std::min(want, src.max_content()));
  out.clear();
  out.reserve(reserve);
  advise_huge_pages(out.data(), reserve);
  if (!src.compressed()) {
    out.resize(want);
    return src.read(out);
  }
  std::size_t have = 0;
  while (have < want) {
    const std::size_t next = static_cast<std::size_t>(std::min<std::uint64_t>(want, std::max(kFirstGrowBytes, 2 * have)));
    out.resize(next);
    const std::size_t n = src.read(std::span<std::uint8_t>(out).subspan(have, next - have));
    have += n;
    if (have < next) break;  // the stream ended early
  }
  out.resize(have);
  return have;
}

void check_no_trailing(IdxSource& src, const std::string& name, const std::string& promise) {
  const std::size_t rest = src.count_rest();
  if (rest == 0) return;
  const std::string amount = rest > kMaxTrailingScanBytes ? "more than " + std::to_string(kMaxTrailingScanBytes)
                                                          : std::to_string(rest);
  throw Error(name + ": " + amount + " trailing bytes after the " + promise +
              " the header promises (wrong header or garbage appended)");
}

std::vector<std::uint8_t> maybe_compress(std::vector<std::uint8_t> bytes, IdxCompression compression) {
  return compression == IdxCompression::gzip ? gzip_compress(bytes) : bytes;
}

}  // namespace

// The items to read of `count`: all, or the first `limit` (limit > 0).
std::uint32_t items_to_read(std::uint32_t count, int limit) {
  return limit > 0 && std::uint32_t(limit) < count ? std::uint32_t(limit) : count;
}

IdxImages parse_idx_images(std::span<const std::uint8_t> bytes, const std::string& name, int limit) {
  IdxSource src(bytes, name);
  std::array<std::uint8_t, kIdxImagesHeaderBytes> header{};
  read_header(src, name, header, kIdxImagesDims);
  const std::uint32_t count = load_be32(&header[4]);
  const std::uint32_t rows = load_be32(&header[8]);
  const std::uint32_t cols = load_be32(&header[12]);
  std::uint32_t channels = 1;
  if (header[3] == kIdxColourImagesDims) {  // (count, rows, cols, channels)
    std::array<std::uint8_t, kIdxChannelsBytes> fourth{};
    if (src.read(fourth) < fourth.size()) throw Error(name + ": truncated: the IDX header of 4 dimensions needs 20 bytes");
    channels = load_be32(fourth.data());
    if (channels != 1 && channels != 3)
      throw Error(name + ": images of " + std::to_string(channels) + " channels; blnk trains on 1 (grey) or 3 (RGB)");
  }
  if (count == 0) throw Error(name + ": header promises 0 images");
  if (rows == 0 || cols == 0 || rows > kMaxIdxImageSide || cols > kMaxIdxImageSide) {
    throw Error(name + ": image size " + std::to_string(rows) + "x" + std::to_string(cols) +
                " is out of range (each side must be 1.." + std::to_string(kMaxIdxImageSide) + ")");
  }
  // rows*cols <= 2^24 and count < 2^32: the product fits in 64 bits.
  const std::uint64_t image_bytes = std::uint64_t{rows} * cols * channels;
  const std::uint64_t payload = image_bytes * count;
  if (payload > kMaxIdxPayloadBytes) {
    throw Error(name + ": header promises " + std::to_string(count) + " images of " +
                std::to_string(rows) + "x" + std::to_string(cols) + " = " + std::to_string(payload) +
                " bytes, more than the limit of " + std::to_string(kMaxIdxPayloadBytes));
  }
  // Plain files: check the real size before allocating.
  std::string promise = std::to_string(count) + " images of " + std::to_string(rows) + "x" + std::to_string(cols);
  if (channels > 1) promise += "x3";
  auto truncated = [&](std::uint64_t held) {
    return Error(name + ": truncated: header promises " + promise + ", file holds " +
                 std::to_string(held / image_bytes) +
                 (held % image_bytes ? " (and " + std::to_string(held % image_bytes) + " bytes of another)" : ""));
  };
  const std::size_t header_bytes = kIdxImagesHeaderBytes + (header[3] == kIdxColourImagesDims ? kIdxChannelsBytes : 0);
  if (!src.compressed() && bytes.size() - header_bytes < payload) {
    throw truncated(bytes.size() - header_bytes);
  }
  IdxImages out;
  out.path = name;
  const std::uint32_t wanted = items_to_read(count, limit);
  out.count = static_cast<int>(wanted);
  out.file_count = static_cast<int>(count);
  out.rows = static_cast<int>(rows);
  out.cols = static_cast<int>(cols);
  out.channels = static_cast<int>(channels);
  const std::uint64_t wanted_bytes = image_bytes * wanted;
  const std::size_t got = read_payload(src, out.pixels, wanted_bytes);
  if (got < wanted_bytes) throw truncated(got);
  if (wanted == count) check_no_trailing(src, name, promise);
  return out;
}

IdxLabels parse_idx_labels(std::span<const std::uint8_t> bytes, const std::string& name,
                           int num_classes, int limit) {
  if (num_classes < 1 || num_classes > kMaxIdxClasses) {
    throw Error(name + ": number of classes " + std::to_string(num_classes) + " is out of range 1.." +
                std::to_string(kMaxIdxClasses));
  }
  IdxSource src(bytes, name);
  std::array<std::uint8_t, kIdxLabelsHeaderBytes> header{};
  read_header(src, name, header, kIdxLabelsDims);
  const std::uint32_t count = load_be32(&header[4]);
  if (count == 0) throw Error(name + ": header promises 0 labels");
  if (count > kMaxIdxPayloadBytes) {
    throw Error(name + ": header promises " + std::to_string(count) + " labels, more than the limit of " +
                std::to_string(kMaxIdxPayloadBytes));
  }
  const std::string promise = std::to_string(count) + " labels";
  auto truncated = [&](std::uint64_t held) {
    return Error(name + ": truncated: header promises " + promise + ", file holds " + std::to_string(held));
  };
  if (!src.compressed() && bytes.size() - kIdxLabelsHeaderBytes < count) {
    throw truncated(bytes.size() - kIdxLabelsHeaderBytes);
  }
  IdxLabels out;
  out.path = name;
  const std::uint32_t wanted = items_to_read(count, limit);
  out.count = static_cast<int>(wanted);
  out.file_count = static_cast<int>(count);
  out.num_classes = num_classes;
  std::vector<std::uint8_t> bytes_read;
  const std::size_t got = read_payload(src, bytes_read, wanted);
  out.labels.assign(bytes_read.begin(), bytes_read.end());
  if (got < wanted) throw truncated(got);
  if (wanted == count) check_no_trailing(src, name, promise);
  for (std::uint32_t i = 0; i < wanted; ++i) {
    if (out.labels[i] >= num_classes) {
      throw Error(name + ": label " + std::to_string(out.labels[i]) + " of item " + std::to_string(i) +
                  " is outside [0, " + std::to_string(num_classes) + ")");
    }
  }
  return out;
}

IdxImages read_idx_images(const std::string& path, int limit) {
  const std::vector<std::uint8_t> bytes = read_file_bytes(path, kMaxIdxFileBytes);
  return parse_idx_images(bytes, path, limit);
}

IdxLabels read_idx_labels(const std::string& path, int num_classes, int limit) {
  const std::vector<std::uint8_t> bytes = read_file_bytes(path, kMaxIdxFileBytes);
  return parse_idx_labels(bytes, path, num_classes, limit);
}

Dataset load_dataset(const std::string& images_path, const std::string& labels_path, int num_classes, int limit) {
  Dataset d;
  d.images = read_idx_images(images_path, limit);
  d.labels = read_idx_labels(labels_path, num_classes, limit);
  if (d.images.file_count != d.labels.file_count) {
    throw Error(images_path + " holds " + std::to_string(d.images.file_count) + " images but " + labels_path +
                " holds " + std::to_string(d.labels.file_count) + " labels: they must hold the same number");
  }
  return d;
}

MnistFiles find_mnist_files(const std::string& dir, bool need_train, bool need_test) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a directory (looking for the MNIST files)");
  std::vector<std::string> tried;
  std::vector<std::string> missing;
  auto find = [&](const std::string& set, const std::string& kind, const std::string& idx, bool needed) {
    // e.g. set "train", kind "images", idx "idx3"
    const std::array<std::string, 2> stems = {set + "-" + kind + "-" + idx + "-ubyte",
                                              set + "-" + kind + "." + idx + "-ubyte"};
    std::vector<std::string> names;
    for (const std::string& stem : stems) {
      for (const std::string& name : {stem, stem + ".gz"}) {
        const fs::path p = fs::path(dir) / name;
        if (fs::is_regular_file(p, ec)) return p.string();
        names.push_back(name);
      }
    }
    if (needed) {  // the names tried for a file nobody asked for would only confuse
      missing.push_back(stems[0]);
      tried.insert(tried.end(), names.begin(), names.end());
    }
    return std::string();
  };
  MnistFiles f;
  f.train_images = find("train", "images", "idx3", need_train);
  f.train_labels = find("train", "labels", "idx1", need_train);
  f.test_images = find("t10k", "images", "idx3", need_test);
  f.test_labels = find("t10k", "labels", "idx1", need_test);
  if (!missing.empty()) {
    std::string msg = dir + ": MNIST files not found:";
    for (const std::string& m : missing) msg += " " + m;
    msg += " (looked for each with and without .gz, and with '.' before idx; tried:";
    for (const std::string& t : tried) msg += " " + t;
    throw Error(msg + ")");
  }
  return f;
}

std::vector<std::uint8_t> encode_idx_images(int count, int rows, int cols,
                                            std::span<const std::uint8_t> pixels,
                                            IdxCompression compression) {
  if (count < 0 || rows < 0 || cols < 0 ||
      pixels.size() != static_cast<std::size_t>(count) * static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols)) {
    throw Error("encode_idx_images: " + std::to_string(pixels.size()) + " pixels do not make " +
                std::to_string(count) + " images of " + std::to_string(rows) + "x" + std::to_string(cols));
  }
  std::vector<std::uint8_t> out(kIdxImagesHeaderBytes + pixels.size());
  store_be32(&out[0], kIdxImagesMagic);
  store_be32(&out[4], static_cast<std::uint32_t>(count));
  store_be32(&out[8], static_cast<std::uint32_t>(rows));
  store_be32(&out[12], static_cast<std::uint32_t>(cols));
  std::copy(pixels.begin(), pixels.end(), out.begin() + kIdxImagesHeaderBytes);
  return maybe_compress(std::move(out), compression);
}

std::vector<std::uint8_t> encode_idx_labels(std::span<const std::uint8_t> labels, IdxCompression compression) {
  std::vector<std::uint8_t> out(kIdxLabelsHeaderBytes + labels.size());
  store_be32(&out[0], kIdxLabelsMagic);
  store_be32(&out[4], static_cast<std::uint32_t>(labels.size()));
  std::copy(labels.begin(), labels.end(), out.begin() + kIdxLabelsHeaderBytes);
  return maybe_compress(std::move(out), compression);
}

void write_idx_images(const std::string& path, int count, int rows, int cols,
                      std::span<const std::uint8_t> pixels, IdxCompression compression) {
  write_file_atomically(path, encode_idx_images(count, rows, cols, pixels, compression));
}

void write_idx_labels(const std::string& path, std::span<const std::uint8_t> labels,
                      IdxCompression compression) {
  write_file_atomically(path, encode_idx_labels(labels, compression));
}

std::vector<std::uint8_t> encode_idx_labels(std::span<const Label> labels, IdxCompression compression) {
  std::vector<std::uint8_t> bytes(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] > 0xff)
      throw Error("encode_idx_labels: label " + std::to_string(labels[i]) + " of item " + std::to_string(i) +
                  " does not fit an IDX label (a byte)");
    bytes[i] = std::uint8_t(labels[i]);
  }
  return encode_idx_labels(std::span<const std::uint8_t>(bytes), compression);
}

void write_idx_labels(const std::string& path, std::span<const Label> labels, IdxCompression compression) {
  write_file_atomically(path, encode_idx_labels(labels, compression));
}

}  // namespace blnk::data
