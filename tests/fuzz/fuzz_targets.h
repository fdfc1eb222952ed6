// The fuzz targets: one function per input class, each taking arbitrary bytes
// and returning 0. A target traps (a crash libFuzzer reports) when the code under
// test breaks one of its own invariants; the sanitizers catch the rest. The same
// functions run under libFuzzer (fuzz_main.cpp, one executable per target) and in
// the doctest suite, which replays every corpus file (regressions/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace blnk::fuzz {

// data::parse_idx_images / parse_idx_labels, plain and gzip.
int fuzz_idx(const std::uint8_t* data, std::size_t size);
// decode_model_file, then network_from and one inference when it loads.
int fuzz_model(const std::uint8_t* data, std::size_t size);
// An HTTP request: head parser, chunked decoder, multipart parser, routes.
int fuzz_http(const std::uint8_t* data, std::size_t size);
// reader::ModelClassifier::classify with the bundled model: limits, decode,
// preprocessing, inference.
int fuzz_image(const std::uint8_t* data, std::size_t size);
// keras::plan_keras_model on a model_config, then match_weights on its planned shapes.
int fuzz_keras(const std::uint8_t* data, std::size_t size);

// data::decode_image_gray (with a DecodeTarget) and decode_image_color: the one
// decode entry point over every format, a selector byte first (target, limits).
int fuzz_decode(const std::uint8_t* data, std::size_t size);

// data::jpeg_exif_orientation on the bytes after a JPEG start marker, then
// data::apply_orientation with what it found.
int fuzz_exif(const std::uint8_t* data, std::size_t size);

// The model fuzz_image uses: $BLNK_FUZZ_MODEL, else the bundled models/mnist.blnk.
std::string fuzz_model_path();

// Stops the run with a message when an invariant does not hold.
[[noreturn]] void fuzz_fail(const char* what);
#define BLNK_FUZZ_CHECK(cond) \
  do {                        \
    if (!(cond)) ::blnk::fuzz::fuzz_fail("invariant failed: " #cond); \
  } while (0)

}  // namespace blnk::fuzz
