// IDX reading and writing: round trips plain and gzip, every validation error,
// the pair loader, finding the MNIST files, and the real MNIST files if present.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_data.h"
#include "data/gzip.h"
#include "data/idx.h"
#include "data_test_util.h"
#include "base/error.h"

using namespace blnk::data;
using blnk::data::test::TempDir;

namespace {

std::vector<std::uint8_t> make_pixels(int count, int rows, int cols) {
  std::vector<std::uint8_t> p(static_cast<std::size_t>(count) * rows * cols);
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<std::uint8_t>(i * 37 + 11);
  return p;
}

// The message of the blnk::Error thrown by f, or "" when it does not throw.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const blnk::Error& e) {
    return e.what();
  }
  return "";
}

void write_raw(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("idx: images round trip, plain and gzip, from memory and from files") {
  TempDir dir("idx-rt");
  const auto pixels = make_pixels(3, 4, 5);
  for (IdxCompression c : {IdxCompression::plain, IdxCompression::gzip}) {
    const std::string path = dir.file(c == IdxCompression::gzip ? "a.gz" : "a");
    write_idx_images(path, 3, 4, 5, pixels, c);
    const IdxImages im = read_idx_images(path);
    CHECK(im.count == 3);
    CHECK(im.rows == 4);
    CHECK(im.cols == 5);
    CHECK(im.pixels == pixels);
    CHECK(im.image(2)[0] == pixels[40]);
    CHECK(im.path == path);
  }
  // Detection is by content: a gzip file without .gz and a plain file named .gz.
  write_raw(dir.file("gz-no-suffix"), encode_idx_images(3, 4, 5, pixels, IdxCompression::gzip));
  write_raw(dir.file("plain.gz"), encode_idx_images(3, 4, 5, pixels, IdxCompression::plain));
  CHECK(read_idx_images(dir.file("gz-no-suffix")).pixels == pixels);
  CHECK(read_idx_images(dir.file("plain.gz")).pixels == pixels);
}

TEST_CASE("idx: labels round trip and the class range") {
  const std::vector<std::uint8_t> labels = {0, 9, 3, 3, 7};
  for (IdxCompression c : {IdxCompression::plain, IdxCompression::gzip}) {
    const IdxLabels l = parse_idx_labels(encode_idx_labels(labels, c), "labels");
    CHECK(l.count == 5);
    CHECK(l.labels == std::vector<Label>(labels.begin(), labels.end()));
  }
  const std::string msg = error_of([&] { parse_idx_labels(encode_idx_labels(labels), "lab.idx", 5); });
  CHECK(msg.find("lab.idx") != std::string::npos);
  CHECK(msg.find("label 9 of item 1 is outside [0, 5)") != std::string::npos);
  CHECK(parse_idx_labels(encode_idx_labels(labels), "x", 10).count == 5);
  CHECK(error_of([&] { parse_idx_labels(encode_idx_labels(labels), "x", 0); }).find("classes") != std::string::npos);
}

TEST_CASE("idx: truncated images name the file and count the whole images held") {
  auto bytes = encode_idx_images(10, 28, 28, make_pixels(10, 28, 28));
  bytes.resize(bytes.size() - 784 - 100);  // 8 full images and 684 bytes of the ninth
  const std::string want = "t10k-images-idx3-ubyte.gz: truncated: header promises 10 images of 28x28, file holds 8";
  CHECK(error_of([&] { parse_idx_images(bytes, "t10k-images-idx3-ubyte.gz"); }).find(want) == 0);
  // The same inside a gzip stream (the stream itself complete).
  const auto gz = gzip_compress(bytes);
  CHECK(error_of([&] { parse_idx_images(gz, "t10k-images-idx3-ubyte.gz"); }).find(want) == 0);
  // Truncated header.
  CHECK(error_of([&] { parse_idx_images(std::span(bytes).first(10), "h"); }).find("h: truncated: the IDX header needs 16 bytes") == 0);
  CHECK(error_of([&] { parse_idx_images(std::span(bytes).first(2), "h"); }).find("truncated") != std::string::npos);
  // Truncated labels.
  auto lab = encode_idx_labels(std::vector<std::uint8_t>(50, 1));
  lab.resize(lab.size() - 1);
  CHECK(error_of([&] { parse_idx_labels(lab, "l"); }).find("l: truncated: header promises 50 labels, file holds 49") == 0);
}

TEST_CASE("idx: a cut gzip stream and corrupt gzip data are clear errors") {
  const auto gz = encode_idx_images(4, 8, 8, make_pixels(4, 8, 8), IdxCompression::gzip);
  const std::string cut = error_of([&] { parse_idx_images(std::span(gz).first(gz.size() / 2), "cut.gz"); });
  CHECK(cut.find("cut.gz") == 0);
  CHECK(cut.find("truncated") != std::string::npos);
  auto bad = gz;
  for (std::size_t i = 12; i < bad.size() - 8; ++i) bad[i] ^= 0x5A;  // scramble the deflate data
  const std::string corrupt = error_of([&] { parse_idx_images(bad, "bad.gz"); });
  CHECK(corrupt.find("bad.gz") == 0);
  CHECK(!corrupt.empty());
  // Header only (10 bytes of gzip header, nothing more).
  CHECK(error_of([&] { parse_idx_images(std::span(gz).first(10), "hdr.gz"); }).find("hdr.gz") == 0);
}

TEST_CASE("idx: trailing bytes, plain and gzip") {
  auto bytes = encode_idx_images(2, 3, 3, make_pixels(2, 3, 3));
  bytes.push_back(0);
  bytes.push_back(0);
  const std::string plain = error_of([&] { parse_idx_images(bytes, "t"); });
  CHECK(plain.find("t: 2 trailing bytes after the 2 images of 3x3") == 0);
  CHECK(error_of([&] { parse_idx_images(gzip_compress(bytes), "t.gz"); }).find("2 trailing bytes") != std::string::npos);
  // Garbage after the gzip stream itself.
  auto gz = encode_idx_images(2, 3, 3, make_pixels(2, 3, 3), IdxCompression::gzip);
  gz.push_back('x');
  CHECK(error_of([&] { parse_idx_images(gz, "g.gz"); }).find("trailing bytes after the end of the gzip stream") != std::string::npos);
  // Labels too.
  auto lab = encode_idx_labels(std::vector<std::uint8_t>{1, 2});
  lab.push_back(3);
  CHECK(error_of([&] { parse_idx_labels(lab, "l"); }).find("1 trailing bytes after the 2 labels") != std::string::npos);
}

TEST_CASE("idx: concatenated gzip members read as one stream") {
  const auto plain = encode_idx_images(2, 3, 3, make_pixels(2, 3, 3));
  auto joined = gzip_compress(std::span(plain).first(20));
  const auto second = gzip_compress(std::span(plain).subspan(20));
  joined.insert(joined.end(), second.begin(), second.end());
  CHECK(parse_idx_images(joined, "m.gz").pixels == make_pixels(2, 3, 3));
}

TEST_CASE("idx: header validation: magic, type, dimensions, sizes") {
  const auto good = encode_idx_images(2, 3, 3, make_pixels(2, 3, 3));
  auto with = [&](std::size_t at, std::uint8_t v) {
    auto b = good;
    b[at] = v;
    return b;
  };
  CHECK(error_of([&] { parse_idx_images({}, "e"); }) == "e: empty file (expected IDX images)");
  CHECK(error_of([&] { parse_idx_images(with(0, 0x50), "m"); }).find("m: not an IDX file") == 0);
  CHECK(error_of([&] { parse_idx_images(with(2, 0x0D), "f"); }).find("f: IDX data type float32") == 0);
  CHECK(error_of([&] { parse_idx_images(with(2, 0x07), "u"); }).find("not an IDX file") != std::string::npos);
  CHECK(error_of([&] { parse_idx_images(with(3, 2), "d"); }).find("d: IDX file has 2 dimensions, expected 3") == 0);
  // A label file given as images, and images given as labels.
  const auto labels = encode_idx_labels(std::vector<std::uint8_t>{1, 2, 3});
  CHECK(error_of([&] { parse_idx_images(labels, "l"); }).find("this is a label file") != std::string::npos);
  CHECK(error_of([&] { parse_idx_labels(good, "i"); }).find("this is an image file") != std::string::npos);
  // Zero and oversized dimensions; a count whose product would overflow 32 bits.
  CHECK(error_of([&] { parse_idx_images(with(7, 0), "z"); }).find("z: header promises 0 images") == 0);
  CHECK(error_of([&] { parse_idx_images(with(11, 0), "r"); }).find("image size 0x3 is out of range") != std::string::npos);
  auto huge = good;
  huge[4] = 0xFF, huge[5] = 0xFF, huge[6] = 0xFF, huge[7] = 0xFF;      // 4294967295 images
  huge[8] = 0, huge[9] = 0, huge[10] = 0x10, huge[11] = 0;             // 4096 rows
  huge[12] = 0, huge[13] = 0, huge[14] = 0x10, huge[15] = 0;           // 4096 cols
  const std::string big = error_of([&] { parse_idx_images(huge, "big"); });
  CHECK(big.find("big: header promises 4294967295 images of 4096x4096") == 0);
  CHECK(big.find("more than the limit") != std::string::npos);
  auto side = good;
  side[8] = 0, side[9] = 0x01, side[10] = 0, side[11] = 0;  // 65536 rows
  CHECK(error_of([&] { parse_idx_images(side, "s"); }).find("out of range") != std::string::npos);
  // The same oversized header inside gzip: refused before inflating anything.
  CHECK(error_of([&] { parse_idx_images(gzip_compress(huge), "big.gz"); }).find("more than the limit") != std::string::npos);
}

TEST_CASE("idx: load_dataset checks the counts agree") {
  TempDir dir("idx-pair");
  write_idx_images(dir.file("im"), 3, 2, 2, make_pixels(3, 2, 2), IdxCompression::gzip);
  write_idx_labels(dir.file("lab3"), std::vector<std::uint8_t>{0, 1, 2});
  write_idx_labels(dir.file("lab4"), std::vector<std::uint8_t>{0, 1, 2, 3});
  const Dataset d = load_dataset(dir.file("im"), dir.file("lab3"));
  CHECK(d.size() == 3);
  CHECK(d.labels.labels[2] == 2);
  const std::string msg = error_of([&] { load_dataset(dir.file("im"), dir.file("lab4")); });
  CHECK(msg.find("holds 3 images but") != std::string::npos);
  CHECK(msg.find("holds 4 labels") != std::string::npos);
  CHECK(error_of([&] { read_idx_images(dir.file("missing")); }).find("no such file") != std::string::npos);
}

TEST_CASE("idx: a limit reads the first images and labels only, and no further into the stream") {
  const auto pixels = make_pixels(5, 3, 4);
  for (IdxCompression c : {IdxCompression::plain, IdxCompression::gzip}) {
    const IdxImages im = parse_idx_images(encode_idx_images(5, 3, 4, pixels, c), "im", 2);
    CHECK(im.count == 2);
    CHECK(im.file_count == 5);
    CHECK(im.pixels == std::vector<std::uint8_t>(pixels.begin(), pixels.begin() + 2 * 12));
    const IdxLabels l = parse_idx_labels(encode_idx_labels(std::vector<std::uint8_t>{4, 3, 2, 1, 0}, c), "l", 10, 3);
    CHECK(l.count == 3);
    CHECK(l.file_count == 5);
    CHECK(l.labels == std::vector<Label>{4, 3, 2});
  }
  // A limit of the count or more reads everything, with every check.
  CHECK(parse_idx_images(encode_idx_images(5, 3, 4, pixels), "im", 9).count == 5);
  auto trailing = encode_idx_images(5, 3, 4, pixels);
  trailing.push_back(0);
  CHECK(error_of([&] { parse_idx_images(trailing, "t", 5); }).find("1 trailing bytes") != std::string::npos);
  // The stream is not read past the limit: a gzip stream cut after the second image
  // reads up to the limit and is a truncated file past it.
  const auto plain = encode_idx_images(5, 3, 4, pixels);
  const auto cut = gzip_compress(std::span(plain).first(16 + 2 * 12));
  CHECK(parse_idx_images(cut, "cut.gz", 2).count == 2);
  CHECK(error_of([&] { parse_idx_images(cut, "cut.gz", 3); }).find("cut.gz: truncated: header promises 5 images") == 0);
  // A label outside the classes after the limit is not read either.
  CHECK(parse_idx_labels(encode_idx_labels(std::vector<std::uint8_t>{1, 2, 200}), "l", 10, 2).count == 2);
}

TEST_CASE("idx: load_dataset with a limit compares the counts the headers promise") {
  TempDir dir("idx-limit");
  write_idx_images(dir.file("im"), 3, 2, 2, make_pixels(3, 2, 2), IdxCompression::gzip);
  write_idx_labels(dir.file("lab3"), std::vector<std::uint8_t>{0, 1, 2});
  write_idx_labels(dir.file("lab4"), std::vector<std::uint8_t>{0, 1, 2, 3});
  const Dataset d = load_dataset(dir.file("im"), dir.file("lab3"), kMnistClasses, 2);
  CHECK(d.size() == 2);
  CHECK(d.labels.count == 2);
  const std::string msg = error_of([&] { load_dataset(dir.file("im"), dir.file("lab4"), kMnistClasses, 2); });
  CHECK(msg.find("holds 3 images but") != std::string::npos);
  CHECK(msg.find("holds 4 labels") != std::string::npos);
}

TEST_CASE("idx: find_mnist_files accepts .gz, plain and the dot spelling, and lists what it tried") {
  TempDir dir("idx-find");
  const std::string missing = error_of([&] { find_mnist_files(dir.file("")); });
  CHECK(missing.find("train-images-idx3-ubyte") != std::string::npos);
  CHECK(missing.find("t10k-labels-idx1-ubyte.gz") != std::string::npos);
  CHECK(missing.find("train-images.idx3-ubyte") != std::string::npos);
  write_raw(dir.file("train-images.idx3-ubyte"), {1});
  write_raw(dir.file("train-labels-idx1-ubyte.gz"), {1});
  write_raw(dir.file("t10k-images-idx3-ubyte"), {1});
  const std::string one = error_of([&] { find_mnist_files(dir.file("")); });
  CHECK(one.find("not found: t10k-labels-idx1-ubyte (") != std::string::npos);
  write_raw(dir.file("t10k-labels.idx1-ubyte.gz"), {1});
  const MnistFiles f = find_mnist_files(dir.file(""));
  CHECK(std::filesystem::path(f.train_images).filename() == "train-images.idx3-ubyte");
  CHECK(std::filesystem::path(f.train_labels).filename() == "train-labels-idx1-ubyte.gz");
  CHECK(std::filesystem::path(f.test_images).filename() == "t10k-images-idx3-ubyte");
  CHECK(std::filesystem::path(f.test_labels).filename() == "t10k-labels.idx1-ubyte.gz");
  CHECK(error_of([&] { find_mnist_files(dir.file("nope")); }).find("not a directory") != std::string::npos);
}

TEST_CASE("idx: the real MNIST files, when present") {
  const std::string dir = blnk::testing::mnist_dir();
  if (!blnk::testing::have_data(dir, "set BLNK_DATA_DIR")) return;
  const MnistFiles f = find_mnist_files(dir);
  const Dataset test = load_dataset(f.test_images, f.test_labels);
  CHECK(test.size() == 10000);
  CHECK(test.images.rows == 28);
  CHECK(test.images.cols == 28);
  CHECK(test.labels.labels[0] == 7);  // the first t10k digit is a 7
  const IdxLabels train = read_idx_labels(f.train_labels);
  CHECK(train.count == 60000);
  CHECK(train.labels[0] == 5);  // the first training digit is a 5
}
