// The Classifier backed by a blnk model: image bytes -> stb decode (with limits
// checked from the header first) -> MNIST-style preprocessing -> the network.
// Used by `blnk serve` and `blnk predict`. Re-entrant: each call borrows a
// planned workspace from a pool, so after warm-up nothing is allocated per call
// but the result itself.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "data/find_digits.h"
#include "data/image.h"
#include "data/preprocess.h"
#include "engine/model_file.h"
#include "engine/network.h"
#include "reader/classifier.h"
#include "reader/verdict.h"

namespace blnk::reader {

// The outputs of a digit reader's model: one score per digit.
inline constexpr int kDigitClasses = 10;

// The bundled digit gate, in a folder of models: the float gate, and its int8 copy
// (`blnk quantize`), which reads a photo's gate in 0.02 ms instead of 0.05 where the
// CPU has AVX-512 VNNI, and more slowly than the float gate where it has not.
inline constexpr const char* kGateFile = "digit-gate.blnk";
inline constexpr const char* kGateInt8File = "digit-gate-int8.blnk";
// The one of the two that this CPU runs faster.
const char* bundled_gate_file();

class ModelClassifier : public Classifier {
 public:
  // Loads a model file (a 28x28x1 model with ten outputs, one per digit) and,
  // unless gate_path is empty, the digit gate (a 28x28x1 model with two outputs:
  // one digit, not one digit; see reader/verdict.h); throws Error naming the file
  // and what it holds when either is unusable or of the other kind.
  // seed_preprocessing: the seed's own pipeline (data/seed_preprocess.h)
  // instead of blnk's, so a model from `blnk import-keras` gives the seed's
  // own answers; the gate still judges blnk's own view of the image.
  explicit ModelClassifier(const std::string& model_path, const data::ImageLimits& limits = {},
                           const std::string& gate_path = "", bool seed_preprocessing = false);
  ~ModelClassifier() override;

  bool classify(std::span<const std::uint8_t> image_bytes, const ClassifyOptions& options,
                Classification& result, ClassifyFailure& failure) const override;
  // The same, with the name (e.g. the file's path) that error messages start with.
  bool classify_named(std::span<const std::uint8_t> image_bytes, const std::string& name,
                      const ClassifyOptions& options, Classification& result, ClassifyFailure& failure) const;
  std::string model_name() const override { return name_; }
  double model_accuracy() const override { return accuracy_; }

  // The same on an already preprocessed 28x28 image (0 = background, 1 = ink).
  void classify_pixels(const float* pixels, std::vector<float>& probabilities) const;
  const Network& network() const { return net_; }
  // Bytes of image buffers (the decoded picture's, the stable regions') the idle slots keep for the next request.
  std::size_t idle_image_bytes() const;

 private:
  struct Slot;
  std::unique_ptr<Slot> acquire() const;
  void release(std::unique_ptr<Slot> slot) const;

  // Decode and blnk's preprocessing (data/preprocess.h) of the whole picture into the slot's buffers.
  data::Preprocessed blnk_view(std::span<const std::uint8_t> bytes, const std::string& name, Slot& slot) const;
  // blnk's preprocessing of the whole decoded picture in the slot.
  data::Preprocessed whole_picture_view(const std::string& name, Slot& slot) const;
  // One digit read from the picture as a whole (both polarities when unsure).
  void read_whole_picture(Slot& slot, data::Preprocessed digit, Classification& result) const;
  // The whole picture's reading, kept as the answer and not decisive, read once more
  // with its strokes kept whole (data::PreprocessOptions::streaks_only).
  void read_whole_strokes_kept(Slot& slot, Classification& result) const;
  // The whole picture preprocessed with `options`, kept when it looks more like one digit,
  // reads at least `min_score` and its ink covers under `border_ink_under` of the
  // picture's border (data::Preprocessed::border_ink).
  void read_whole_again(Slot& slot, const data::PreprocessOptions& options, Classification& result,
                        float min_score = 0, float border_ink_under = 2) const;
  // Digit i of `boxes` (in the searched page's pixels) cut out of the search's ink and read; false when it holds no digit.
  // From `from` instead of the search's ink when given.
  bool read_found_digit(Slot& slot, const std::vector<data::PixelBox>& boxes, std::size_t i, int factor,
                        DigitReading& reading, data::Preprocessed& seen, const data::Plane* from = nullptr) const;
  // Each digit found cut out and read (touching ones split); false when one of them holds no digit.
  bool read_found_digits(Slot& slot, const data::FoundDigits& found, int factor, Classification& result) const;
  // A line of pieces (a segment display's bars, a stencil's parts, strips of tape): each
  // run of neighbouring pieces that could be one digit is read from its own ink, and the
  // grouping of the line that reads best is the reading; false when none reads.
  bool read_pieces(Slot& slot, const data::FoundDigits& found, int factor, Classification& result) const;
  // The pieces [first, first + count) of `pieces` cut out of the search's ink, without the
  // ink of any other mark, and read.
  bool read_piece_group(Slot& slot, const std::vector<data::Mark>& pieces, std::size_t first, std::size_t count,
                        int factor, DigitReading& reading, data::Preprocessed& seen) const;
  // The one word of two or more marks on the found line's row that reads as digits
  // (at min_score), the other words and lone marks read as none: a number among words;
  // false otherwise.
  bool read_number_among_words(Slot& slot, const data::FoundDigits& found, int factor, float min_score,
                               Classification& result) const;
  // Whether a digit-sized mark off the found line reads as a digit: a second line of
  // digits (refused: blnk reads one line), or words beside a number (the line is read).
  bool off_line_reads_as_digit(Slot& slot, const data::FoundDigits& found, int factor) const;
  // Every digit-sized mark the search found (on the line and off it) read alone: those
  // that read as digits (at kFoundMinScore) are the line when they share one row and
  // every other mark reads as none and stands apart from them (a digit among doodles
  // or shapes); false otherwise.
  bool read_line_among_shapes(Slot& slot, const data::FoundDigits& found, int factor, Classification& result) const;
  // Where the search's reading is no digit: the picture's stable regions
  // (data/find_regions.h), each read alone from its own pixels; the longest line of
  // them that all read decisively, when no rule of docs/predict.md ("Digits as
  // regions") says it is not the number, is the answer; false (result untouched)
  // otherwise.
  // Where no line of them reads, read_holders.
  bool read_regions(Slot& slot, const std::string& name, const ClassifyOptions& options, Classification& result) const;
  // What each holder the regions found (a sign's plate, a shirt, a drawn box's inside:
  // data/find_regions.h, step 4) holds, as a picture of its own read as any picture is
  // (read_picture, without regions or holders within it); the first that reads as a
  // digit or a number is the answer. `page` is what the regions were found in, `factor`
  // of the image's pixels each; false (result untouched) when none reads.
  bool read_holders(Slot& slot, const std::string& name, const ClassifyOptions& options, const data::GrayImage& page,
                    int factor, Classification& result) const;
  // Find, then read, in the decoded picture of the slot; false with failure.no_digit when nothing reads.
  // Without regions_when_none, the regions are not read when nothing was found (the
  // caller reads the picture's colours next, and their regions then).
  bool read_picture(Slot& slot, const std::string& name, const ClassifyOptions& options, Classification& result,
                    ClassifyFailure& failure, bool regions_when_none = true) const;
  bool read_with_seed_pipeline(std::span<const std::uint8_t> bytes, const std::string& name, Slot& slot,
                               Classification& result, ClassifyFailure& failure) const;
  DigitReading digit_reading(Slot& slot, const data::Preprocessed& digit, int scale) const;
  static std::vector<std::uint8_t> seen_png(const std::vector<data::Preprocessed>& seen);
  static std::vector<std::uint8_t> found_png(const data::GrayImage& image, const std::vector<DigitReading>& digits);
  // The reading of one preprocessed digit: probabilities and best guess from
  // `digit`, the gate's judgement from `gate_view` (blnk's view of the image).
  void read_digit(Slot& slot, const data::Preprocessed& digit, const data::Preprocessed& gate_view,
                  Classification& result) const;

  double accuracy_;  // before net_: loading the network fills it in
  Network net_;
  std::unique_ptr<Network> gate_;  // null: no gate
  std::string name_;
  data::ImageLimits limits_;
  bool seed_preprocessing_ = false;
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Slot>> pool_;
};

}  // namespace blnk::reader
