// What the server asks of a model: turn the bytes of an uploaded image into a
// prediction. The server knows nothing of tensors or decoding; the CLI hands it
// a Classifier backed by the engine (reader/model_classifier.h), tests hand it fakes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace blnk::reader {

// Whether an answer means anything (reader/verdict.h decides).
enum class Verdict {
  digit,        // one digit, read with confidence
  uncertain,    // one digit (or a digit of a number), but the model hesitates between two or more
  not_a_digit,  // a letter, a symbol, a shape, a scribble, nothing at all, several lines
  unjudged,     // no verdict: the reading's confidence says nothing (the seed's own preprocessing)
  number,       // a number of two or more digits in one line, each read with confidence
};
const char* verdict_name(Verdict v);  // "digit", "uncertain", "not_a_digit", "unjudged", "number"

// One digit of a reading, where it is in the picture and how it was read.
struct DigitReading {
  int digit = -1;
  float probability = 0;
  std::vector<float> probabilities;  // one per class
  Verdict verdict = Verdict::digit;  // digit, uncertain or not_a_digit
  std::string reason;
  float single_digit = -1;           // the gate's "one digit"; -1: no gate
  int box_x = 0, box_y = 0, box_w = 0, box_h = 0;  // in the original image's pixels
};

struct Classification {
  // For one digit: the best guess, whatever the verdict, its probability and
  // every class's. For a number: digit is -1 (so that no client takes one
  // digit of a number for the answer), probability the lowest of its digits',
  // probabilities empty.
  int digit = -1;
  float probability = 0;
  std::vector<float> probabilities;
  std::string number;                  // the digits left to right ("2024"; one digit: "7"); empty when not_a_digit
  std::vector<DigitReading> digits;    // each digit found, left to right
  std::vector<std::uint8_t> seen_png;  // the 28x28 images the network saw side by side, as a PNG file
  std::vector<std::uint8_t> found_png; // the picture (as searched) with each digit's box drawn, as a PNG file
  double elapsed_ms = 0;               // decode + preprocess + inference
  Verdict verdict = Verdict::digit;
  std::string reason;                  // a few words on why, for uncertain and not_a_digit
  float single_digit = -1;             // the digit gate's probability that this is one digit; -1: no gate
};

// A failed classification carries the HTTP status that fits it:
// 415 unsupported or undecodable format, 422 decodable but unusable (too many
// pixels, no digit found), 500 anything else.
struct ClassifyFailure {
  int http_status = 500;
  std::string message;
  bool no_digit = false;  // a readable image with nothing drawn on it: verdict not_a_digit
};

// What a caller wants beyond the prediction.
struct ClassifyOptions {
  bool seen_png = true;  // fill Classification::seen_png (an encode: skip it when unused)
  std::string name;      // what the image is, for messages: its file's name, "drawing"; empty: "the image"
  bool found_png = false;  // fill Classification::found_png (blnk predict --save-preprocessed)
  // false: the whole picture is read as one digit, with no search for digits in it
  // (blnk predict --find off: the view the digit gate judges, for making its training set).
  bool find = true;
};

class Classifier {
 public:
  virtual ~Classifier() = default;
  // Must be safe to call from many threads at once.
  // Returns false and fills `failure` when the image cannot be classified.
  virtual bool classify(std::span<const std::uint8_t> image_bytes, const ClassifyOptions& options,
                        Classification& result, ClassifyFailure& failure) const = 0;
  virtual std::string model_name() const = 0;   // for /metrics and the page
  virtual double model_accuracy() const = 0;    // test accuracy recorded in the model file, or NaN
  // A class model's class names in output order (Classification::digit indexes them;
  // reader/class_model.h); empty: a digit reader.
  virtual std::vector<std::string> class_names() const { return {}; }
};

}  // namespace blnk::reader
