// A blnk model file loaded for inference: probabilities for a batch of pixels, and
// the reading of an image file as `blnk predict` gives it (the digit, its
// probability, the likeliest digits and a verdict). One Model may be used from many
// threads at once: every call is const and takes its own scratch memory from a pool
// the Model keeps, so after the first calls nothing is allocated but the results.
#ifndef BLNK_MODEL_H
#define BLNK_MODEL_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "blnk/export.h"

namespace blnk {

// What a model file must be for the use it is loaded for; load() checks it.
enum class ModelKind {
  digit_reader,  // 28x28x1 images in, 10 scores out (one per digit): predict and read
  digit_gate,    // 28x28x1 images in, 2 scores out (one digit, not one digit): predict only
  any,           // any image shape and number of classes: predict only
};

struct LoadOptions {
  ModelKind kind = ModelKind::digit_reader;
  // A digit gate model file (blnk's is share/blnk/digit-gate.blnk) that read() asks
  // whether an image holds one digit, as `blnk predict` does; empty: no gate, and the
  // verdict comes from the digit scores alone (never not_a_digit for a drawn shape).
  std::string gate;
};

// A batch of images as it lies in memory: count images of height x width x channels
// values each, in that order (N, H, W, C), channels last and 1 for gray images.
struct BatchShape {
  std::size_t count = 0;
  int height = 28;
  int width = 28;
  int channels = 1;
};

// Whether a reading means anything.
enum class Verdict {
  digit,        // one digit, read with confidence
  uncertain,    // one digit, but the model hesitates between two or more
  not_a_digit,  // a letter, a symbol, several digits, a scribble, or nothing at all
  unjudged,     // no verdict could be given (blnk predict --preprocess seed); the library never reads that way
  number,       // two or more digits in one line, each read with confidence
};
// "digit", "uncertain", "not_a_digit", "unjudged", "number": the names blnk predict --json and the HTTP API use.
BLNK_API const char* verdict_name(Verdict verdict);

// One digit of a reading and where it is.
struct BLNK_API DigitInImage {
  int digit = -1;
  float probability = 0;
  std::vector<float> probabilities;  // one per digit
  Verdict verdict = Verdict::digit;  // digit, uncertain or not_a_digit
  int x = 0, y = 0, width = 0, height = 0;  // its box in the image's pixels
};

// The reading of one image: one digit, or a number of several in one line.
struct BLNK_API Reading {
  int digit = -1;                      // one digit: the best guess, whatever the verdict; -1: a number, or nothing found
  float probability = 0;               // its probability (a number: the lowest of its digits')
  std::vector<float> probabilities;    // one per digit, summing to 1 (empty for a number, or when nothing was found)
  std::string number;                  // the digits read, left to right ("2024"; one digit: "7"); empty
                                       // when not_a_digit
  std::vector<DigitInImage> digits;    // each digit found, left to right
  Verdict verdict = Verdict::digit;
  std::string reason;                  // a few words on why, for uncertain and not_a_digit
  float single_digit = -1;             // the digit gate's probability that this is one digit; -1: no gate
  std::vector<std::uint8_t> seen_png;  // the 28x28 image the network saw, a PNG file (ReadOptions::seen_png)
  double elapsed_ms = 0;               // decoding, preprocessing and inference

  // The k likeliest digits, most probable first (equal probabilities: the smaller digit first).
  std::vector<int> top(int k) const;
};

struct ReadOptions {
  bool seen_png = false;  // fill Reading::seen_png (a PNG encode: leave it off when unused)
};

class BLNK_API Model {
 public:
  // Reads a model file and checks that it is of the kind asked for (and the gate, when
  // one is given, a digit gate); throws Exception naming the file and what it holds.
  static Model load(const std::string& path, const LoadOptions& options = {});

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model();

  const std::string& path() const;
  ModelKind kind() const;
  int input_height() const;
  int input_width() const;
  int input_channels() const;
  int classes() const;           // scores per image: 10 for a digit reader
  std::string spec() const;      // the architecture, e.g. "conv32,pool,...,dense10"
  std::string summary() const;   // the layers, output shapes and parameter counts, as blnk summary prints them
  // A metadata entry of the model file (e.g. "test_accuracy"); "" when the file has none.
  std::string metadata(const std::string& key) const;

  // Class probabilities for a batch (shape.count rows of classes() floats). Pixels are
  // floats from 0 (background) to 1 (ink), or bytes from 0 to 255 (scaled by 1/255, as
  // training scales MNIST). threads: 1 to 256 (each takes chunks of the batch in turn).
  // Throws Exception when the shape is not the model's, a float is outside [0, 1] (or
  // not a number), or threads is out of range.
  std::vector<float> predict_proba(const float* pixels, const BatchShape& shape, int threads = 1) const;
  std::vector<float> predict_proba(const std::uint8_t* pixels, const BatchShape& shape, int threads = 1) const;
  // The same into the caller's buffer of shape.count * classes() floats: nothing is
  // allocated once the Model has run with as many threads before.
  void predict_proba(const float* pixels, const BatchShape& shape, float* probabilities, int threads = 1) const;
  void predict_proba(const std::uint8_t* pixels, const BatchShape& shape, float* probabilities,
                     int threads = 1) const;
  // The likeliest class of each image: the argmax of predict_proba.
  std::vector<int> predict(const float* pixels, const BatchShape& shape, int threads = 1) const;
  std::vector<int> predict(const std::uint8_t* pixels, const BatchShape& shape, int threads = 1) const;

  // Reads the digit in an image file (PNG, JPEG with its EXIF orientation, BMP, PGM/PPM)
  // as blnk predict does: decoding, blnk's preprocessing of photos and drawings, the
  // network and the gate, and the verdict. An image with nothing to read gives
  // verdict not_a_digit and digit -1; a file that cannot be read or decoded throws
  // Exception naming it. Only for a digit_reader.
  Reading read_file(const std::string& path, const ReadOptions& options = {}) const;
  // The same on the bytes of an image file; `name` starts the messages of errors.
  Reading read_bytes(const std::uint8_t* bytes, std::size_t size, const std::string& name = "image",
                     const ReadOptions& options = {}) const;

 private:
  struct Impl;
  explicit Model(std::unique_ptr<Impl> impl);
  const Impl& impl() const;  // throws Exception on a moved-from Model
  std::unique_ptr<Impl> impl_;
};

}  // namespace blnk

#endif  // BLNK_MODEL_H
