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
  uncertain,    // one digit, but the model hesitates between two or more
  not_a_digit,  // a letter, a symbol, several digits, a scribble, nothing at all
  unjudged,     // no verdict: the reading's confidence says nothing (the seed's own preprocessing)
};
const char* verdict_name(Verdict v);  // "digit", "uncertain", "not_a_digit", "unjudged"

struct Classification {
  int digit = -1;                      // argmax class: the best guess, whatever the verdict
  float probability = 0;               // its probability
  std::vector<float> probabilities;    // one per class, sums to 1
  std::vector<std::uint8_t> seen_png;  // the 28x28 image the network saw, as a PNG file
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
