// Regression tests for what the fuzzers found (docs/hardening.md, "Findings").
// Each reproduces one finding with the smallest input, called the way blnk calls
// the code, and states the behaviour the fix must give.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "data/gzip.h"
#include "data/idx.h"
#include "data/image.h"
#include "data/image_write.h"
#include "data/preprocess.h"
#include "base/error.h"
#include "engine/model_file.h"
#include "fuzz_targets.h"
#include "reader/model_classifier.h"

// The largest single operator-new request since the last reset: this test binary
// replaces the global operator new (plain and array forms) to watch allocations.
namespace {
std::atomic<std::size_t> g_largest_allocation{0};
void note_allocation(std::size_t n) {
  std::size_t seen = g_largest_allocation.load(std::memory_order_relaxed);
  while (n > seen && !g_largest_allocation.compare_exchange_weak(seen, n)) {
  }
}
}  // namespace

void* operator new(std::size_t n) {
  note_allocation(n);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kMiB = 1 << 20;

}  // namespace

// F1 (fuzz target idx): a gzip IDX file of a few dozen bytes whose header
// promises 873 million labels made parse_idx_labels allocate (and zero) 873 MB
// before inflating a single label: plain files are checked against their size
// first, gzip ones were not. Fixed when the reader grows its buffer as the
// content arrives: the allocation stays proportional to what the file holds.
TEST_CASE("fuzz finding F1: a small gzip IDX file promising a huge payload is refused without allocating it") {
  const Bytes labels_header = {0x00, 0x00, 0x08, 0x01, 0x34, 0x0b, 0x00, 0x95, 0x09};  // 873,136,277 labels
  const Bytes gz = blnk::data::gzip_compress(labels_header);
  CHECK(gz.size() < 64);
  g_largest_allocation = 0;
  CHECK_THROWS_WITH_AS(blnk::data::parse_idx_labels(gz, "promise.gz"), doctest::Contains("truncated"), blnk::Error);
  CHECK(g_largest_allocation.load() < 16 * kMiB);

  Bytes images_header = {0x00, 0x00, 0x08, 0x03, 0x00, 0x01, 0x00, 0x00, 0, 0, 0x10, 0x00, 0, 0, 0x10, 0x00};
  const Bytes gz_images = blnk::data::gzip_compress(images_header);  // 65536 images of 4096x4096: over the limit
  CHECK_THROWS_AS(blnk::data::parse_idx_images(gz_images, "big.gz"), blnk::Error);
  images_header[5] = 0x00;
  images_header[6] = 0x00;
  images_header[7] = 0x30;  // 48 images of 4096x4096 = 805 MB promised, 0 held
  const Bytes gz_images2 = blnk::data::gzip_compress(images_header);
  g_largest_allocation = 0;
  CHECK_THROWS_WITH_AS(blnk::data::parse_idx_images(gz_images2, "promise-images.gz"), doctest::Contains("truncated"),
                       blnk::Error);
  CHECK(g_largest_allocation.load() < 16 * kMiB);
}

// F2 (fuzz target image): a binary PGM whose width has eleven digits made
// stb_image's PNM header reader overflow a signed int (undefined behaviour,
// reported by UBSan at stb_image.h:7487 in stbi__pnm_getinteger). Our own PNM
// header reader already refuses numbers over 2^30; the fix is to refuse a PNM
// file that it cannot read before stb sees it. Fails only where UBSan is on
// (scripts/sanitize.sh asan, the fuzz build); elsewhere the overflow is silent.
TEST_CASE("fuzz finding F2: a PNM header number of 10+ digits is refused before stb parses it") {
  for (const std::string text : {"P5\n60000000000\n255\n", "P5\n6 99999999999\n255\n\0", "P6 1 1 2147483648\n\0\0\0",
                                 "P5\n#c\n12345678901234567890 1\n255\n"}) {
    const Bytes bytes(text.begin(), text.end());
    INFO("input: " << text);
    try {
      blnk::data::probe_image(bytes, "big.pgm");
      FAIL("probe_image accepted it");
    } catch (const blnk::data::ImageError& e) {
      CHECK((e.kind() == blnk::data::ImageErrorKind::undecodable || e.kind() == blnk::data::ImageErrorKind::too_large));
    }
  }
}

// F3 (fuzz target model): a well-formed model file of 90 bytes whose spec needs
// 240 million parameters (flatten,dense15000,dense15000 on a 1x1x1024 input; under
// the 2^28 bound) and that holds no tensor made network_from allocate and zero
// 960 MB before finding the first tensor missing. Fixed when network_from checks
// the parameter count the spec needs against the floats the file holds first.
TEST_CASE("fuzz finding F3: a model file whose spec needs far more parameters than it holds allocates nothing") {
  blnk::ModelFile file;
  file.spec = "flatten,dense15000,dense15000";
  file.input = blnk::Shape{1, 1, 1024};
  const Bytes bytes = blnk::encode_model_file(file);
  CHECK(bytes.size() < 128);
  const blnk::ModelFile decoded = blnk::decode_model_file(bytes, "hostile.blnk");
  g_largest_allocation = 0;
  CHECK_THROWS_AS(blnk::network_from(decoded, "hostile.blnk"), blnk::Error);
  CHECK(g_largest_allocation.load() < 16 * kMiB);
}

// F8 (fuzz target model, found by CI's 30-second run): a model file whose input is
// 65,535 x 32,775 x 2 with a 3x3 convolution first. network_from builds the layers
// (sides up to 65,536) before Network refuses the input; the Winograd convolution's
// constructor multiplied 134 million tiles by 36 elements in an int (UBSan: signed
// overflow in winograd.cpp). Fixed with 64-bit arithmetic; the file is refused.
TEST_CASE("fuzz finding F8: a huge input shape under a 3x3 convolution is refused, no overflow") {
  blnk::ModelFile file;
  file.spec = "conv2,pool,flatten,dense3:act=linear";
  file.input = blnk::Shape{65535, 32775, 2};
  const Bytes bytes = blnk::encode_model_file(file);
  const blnk::ModelFile decoded = blnk::decode_model_file(bytes, "huge.blnk");
  CHECK_THROWS_AS(blnk::network_from(decoded, "huge.blnk"), blnk::Error);
}

// F4 (fuzz target image): a JPEG whose DHT segment lists more than 256 Huffman
// codes (sixteen counts of 255) made stb_image 2.27's stbi__build_huffman write
// past its 257-byte size table (UBSan: stb_image.h:1990, index 257 out of bounds;
// up to ~3,800 bytes written over the decoder state), already in the header probe
// that every upload goes through. Fixed when probe_image checks every DHT table
// before stb sees the file. Fails only where UBSan is on (the overrun stays inside
// stb's heap object, where ASan does not see it).
TEST_CASE("fuzz finding F4: a JPEG Huffman table of more than 256 codes is refused before stb builds it") {
  Bytes jpeg = {0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x13, 0x00};  // SOI, DHT of 17 bytes: class 0, id 0
  for (int i = 0; i < 16; ++i) jpeg.push_back(0xFF);         // 16 x 255 = 4080 codes
  // The counts cut by the end of the file: stb reads zeros past it, so 255 + 217.
  const Bytes cut = {0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x13, 0x03, 0xFF, 0xD9};
  for (const Bytes& bytes : {jpeg, cut}) {
    try {
      blnk::data::probe_image(bytes, "dht.jpg");
      FAIL("probe_image accepted it");
    } catch (const blnk::data::ImageError& e) {
      CHECK(e.kind() == blnk::data::ImageErrorKind::undecodable);
    }
  }
}

// F5 (fuzz target image): a 163-byte BMP whose header says 12 x 2,490,380 pixels
// (30 MP, under the 50 MP limit) with an unknown compression value 0xFF000000.
// Our truncation check skipped BMPs of other compressions, and stb decoded it as
// uncompressed, reading zeros past the end: ~200 MB of buffers from 163 bytes.
// Then preprocess_digit refused the 2,490,380-row image by throwing blnk::Error,
// which escaped ModelClassifier::classify (its contract: return false with a
// status); the server turned it into a 500, libFuzzer into a crash. Fixed when
// classify maps that error to 422 and such BMPs are refused before decoding.
TEST_CASE("fuzz finding F5: a BMP of unknown compression is refused, and classify never throws on a tall image") {
  Bytes bmp = {'B', 'M', 0xE6, 0x01, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0,  // file header, pixels at 54
               40, 0, 0, 0, 12, 0, 0, 0, 0x0C, 0x00, 0x26, 0x00,  // info header: 12 x 2,490,380
               1, 0, 24, 0, 0x00, 0x00, 0x00, 0xFF};             // 1 plane, 24 bits, compression 0xFF000000
  bmp.resize(163, 0x00);
  try {
    blnk::data::GrayImage image;
    blnk::data::decode_image_gray(bmp, "tall.bmp", image);
    FAIL("decoded a 163-byte BMP into " << image.width << "x" << image.height << " pixels");
  } catch (const blnk::data::ImageError& e) {
    CHECK(e.kind() == blnk::data::ImageErrorKind::undecodable);
  }
  const blnk::reader::ModelClassifier classifier(blnk::fuzz::fuzz_model_path());
  blnk::reader::Classification result;
  blnk::reader::ClassifyFailure failure;
  bool ok = true;
  CHECK_NOTHROW(ok = classifier.classify(bmp, blnk::reader::ClassifyOptions{}, result, failure));
  CHECK_FALSE(ok);
  CHECK(failure.http_status == 422);
}

// Found by the hostile soak (scripts/serve-hostile-soak.sh): a classifier slot kept
// the pixel buffer of the largest image it ever decoded, so one 7000 x 7000 upload
// (refused: no digit) took the server from 7 MB to 199 MB for good. Slots now give
// back image buffers over 1 MB, and the stable regions' buffers (read when a picture
// reads as no digit, as this one) over a 128 x 128 page's: this page's were 5.9 MB.
TEST_CASE("hostile soak finding: a large image's pixels are not kept once it is classified") {
  const int side = 1500;  // 2.25 MP: 9 MB of floats
  const std::vector<std::uint8_t> white(std::size_t(side) * side, 255);
  const std::vector<std::uint8_t> png = blnk::data::encode_png(white, side, side, 1);
  const blnk::reader::ModelClassifier classifier(blnk::fuzz::fuzz_model_path());
  blnk::reader::Classification result;
  blnk::reader::ClassifyFailure failure;
  CHECK_FALSE(classifier.classify(png, blnk::reader::ClassifyOptions{}, result, failure));  // no digit
  CHECK(failure.http_status == 422);
  CHECK(classifier.idle_image_bytes() <= 1 * kMiB);
}

// The same for what a holder holds (docs/predict.md): a refused picture whose regions
// hold something makes up to three pictures of a holder's size from the decoded image;
// a slot gives them back on the image's rule (here a 1000 x 1000 plate: 4 MB of floats).
TEST_CASE("hostile soak finding: the pictures of what a large picture's holders hold are not kept either") {
  const int side = 1500;
  std::vector<std::uint8_t> sign(std::size_t(side) * side, 230);
  const auto fill = [&](int x0, int y0, int x1, int y1, std::uint8_t v) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) sign[std::size_t(y) * side + std::size_t(x)] = v;
  };
  fill(250, 250, 1250, 1250, 40);   // a dark plate...
  fill(650, 730, 850, 770, 235);    // ... holding a light cross, no digit
  fill(730, 650, 770, 850, 235);
  const std::vector<std::uint8_t> png = blnk::data::encode_png(sign, side, side, 1);
  // (With the bundled gate, as blnk serve reads: without one the whole picture is a digit.)
  const std::string model = blnk::fuzz::fuzz_model_path();
  const std::string gate = model.substr(0, model.rfind('/') + 1) + blnk::reader::bundled_gate_file();
  const blnk::reader::ModelClassifier classifier(model, {}, gate);
  blnk::reader::Classification result;
  blnk::reader::ClassifyFailure failure;
  REQUIRE(classifier.classify(png, blnk::reader::ClassifyOptions{}, result, failure));
  CHECK(result.verdict == blnk::reader::Verdict::not_a_digit);
  CHECK(classifier.idle_image_bytes() <= 1 * kMiB);
}

// F6 (fuzz target image): an 88-byte PNG whose IDAT chunk declares 536,870,981
// bytes. stb_image grows its IDAT buffer to the declared length before reading
// the chunk, so one upload allocated 512 MB (any length up to 2^31 works: with 4
// classifications at once, 8 GB). Fixed when our truncation check, which runs
// before stb decodes, refuses a chunk longer than what is left of the file.
TEST_CASE("fuzz finding F6: a PNG chunk longer than the file is refused before stb allocates it") {
  std::ifstream in(std::string(BLNK_FUZZ_CORPUS_DIR) + "/image/finding-f6-png-idat-length-512mb.png", std::ios::binary);
  const Bytes png{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  REQUIRE(png.size() == 88);
  try {
    blnk::data::GrayImage image;
    blnk::data::decode_image_gray(png, "idat.png", image);
    FAIL("decoded it");
  } catch (const blnk::data::ImageError& e) {
    CHECK(e.kind() == blnk::data::ImageErrorKind::undecodable);
    // stb allocates with realloc, which the operator-new counter does not see: that
    // our own check refused it (before stb) is what its message tells.
    CHECK(std::string(e.what()).find("chunk promises") != std::string::npos);
  }
}

// F7 (fuzz target image): a 301-byte binary PGM of 1 x 212 pixels crashed the
// process (SIGSEGV in `blnk predict`; in `blnk serve`, the server): preprocess_digit
// shrinks an image larger than its working size by an integer factor (here 2),
// the 1-pixel side became 0, and remove_banding took a percentile of an empty
// vector (UBSan: null pointer arithmetic in preprocess.cpp, then a null read).
// Fixed when an image thinner than the shrink factor is "no digit found" (422).
TEST_CASE("fuzz finding F7: an image thinner than the shrink factor is no digit, not a crash") {
  blnk::data::GrayImage thin;
  thin.width = 1;
  thin.height = 212;
  thin.pixels.assign(212, 1.0f);
  thin.pixels[100] = 0.0f;
  const blnk::data::Preprocessed p = blnk::data::preprocess_digit(thin);
  CHECK_FALSE(p.found);
  std::string pgm = "P5 1\n212\n255\n";
  pgm.append(212, '\xff');
  const Bytes bytes(pgm.begin(), pgm.end());
  const blnk::reader::ModelClassifier classifier(blnk::fuzz::fuzz_model_path());
  blnk::reader::Classification result;
  blnk::reader::ClassifyFailure failure;
  CHECK_FALSE(classifier.classify(bytes, blnk::reader::ClassifyOptions{}, result, failure));
  CHECK(failure.http_status == 422);
}

// F9 (fuzz target decode, 2026-12-05): a 127-byte PNG whose first IDAT chunk is
// empty. stb_image copies a chunk's bytes into its IDAT buffer, which is still
// null before any data: memcpy(nullptr, ..., 0), undefined behaviour that UBSan
// stops on (stb_image.h:1663), harmless with glibc. Fixed when our PNG chunk
// walk, which runs before stb decodes, refuses an empty IDAT before the data.
TEST_CASE("fuzz finding F9: a PNG whose first IDAT chunk is empty is refused before stb copies it") {
  std::ifstream in(std::string(BLNK_FUZZ_CORPUS_DIR) + "/image/finding-f9-png-empty-idat.png", std::ios::binary);
  const Bytes png{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  REQUIRE(png.size() == 126);
  try {
    blnk::data::GrayImage image;
    blnk::data::decode_image_gray(png, "empty-idat.png", image);
    FAIL("decoded it");
  } catch (const blnk::data::ImageError& e) {
    CHECK(e.kind() == blnk::data::ImageErrorKind::undecodable);
    CHECK(std::string(e.what()).find("an empty IDAT chunk before the image data") != std::string::npos);
  }
}

