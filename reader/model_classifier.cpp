// ModelClassifier: decode, preprocess, infer (see model_classifier.h).
#include "reader/model_classifier.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "data/image_write.h"
#include "data/seed_preprocess.h"
#include "engine/model_metadata.h"
#include "reader/class_model.h"
#include "reader/image_status.h"
#include "base/error.h"

namespace blnk::reader {

struct ModelClassifier::Slot {
  Slot(const Network& net, const Network* gate)
      : workspace(net, 1, Mode::inference), probabilities(net.num_classes()) {
    if (gate) gate_workspace = std::make_unique<Workspace>(*gate, 1, Mode::inference);
  }
  Workspace workspace;
  std::unique_ptr<Workspace> gate_workspace;
  float gate_probabilities[kGateClasses] = {};
  data::PreprocessWorkspace preprocess;
  data::GrayImage image;
  std::vector<float> probabilities;
};

namespace {

// After "no digit found: <why>", what to do about it, in plain words.
constexpr const char* kNoDigitAdvice = "; draw or photograph one digit, bigger and darker";

Network load_gate(const std::string& path) {
  Network gate = network_from(read_model_file(path), path);
  if (gate.input_shape() != kMnistShape || gate.num_classes() != kGateClasses)
    throw Error(path + ": a digit gate takes 28x28x1 inputs and has 2 outputs (one digit, not one digit); this model has " +
                gate.input_shape().str() + " inputs and " + std::to_string(gate.num_classes()) + " outputs");
  return gate;
}

Network load_network(const std::string& path, double& accuracy) {
  const ModelFile file = read_model_file(path);
  // A model of image classes is read by reader/class_model.h, never through the digit pipeline.
  if (const std::optional<ClassModelInfo> classes = class_model_of(file, path))
    throw Error(not_a_digit_model_message(path, *classes) + " (blnk predict, eval and serve answer with its class names)");
  const std::string* stored = file.find_metadata(metadata::kTestAccuracy);
  accuracy = stored ? std::atof(stored->c_str()) : std::nan("");
  Network net = network_from(file, path);
  if (net.input_shape() != kMnistShape)
    throw Error(path + ": the model takes " + net.input_shape().str() + " inputs; digit reading needs 28x28x1");
  // A gate (2 outputs) taken for the reader would answer "0 (100%)" for anything.
  if (net.num_classes() != kDigitClasses)
    throw Error(path + ": a digit reader has " + std::to_string(kDigitClasses) +
                " outputs (one score per digit); this model has " + std::to_string(net.num_classes()) +
                (net.num_classes() == kGateClasses ? " (is it a digit gate? a gate goes to --gate, or gate= in Python)" : ""));
  return net;
}

// With the seed's own preprocessing the model's confidence says nothing: judged as
// blnk's readings are, 64 of the 180 photo-digits were "digit", 12 of them right. Only the gate's
// "not one digit" (on blnk's own view) is evidence; anything else gets no verdict.
void judge_seed_reading(Classification& result, bool gate, const data::Preprocessed& gate_view) {
  if (result.verdict == Verdict::not_a_digit) {
    if (!gate_view.found) result.reason = "blnk's own preprocessing sees no digit here (" + gate_view.reason + ")";
    return;
  }
  result.verdict = Verdict::unjudged;
  result.reason = std::string("no verdict with the seed's preprocessing: its confidence is no evidence") +
                  (gate ? " (the digit gate sees one digit)" : "");
}

}  // namespace

ModelClassifier::ModelClassifier(const std::string& model_path, const data::ImageLimits& limits,
                                 const std::string& gate_path, bool seed_preprocessing)
    : accuracy_(std::nan("")),
      net_(load_network(model_path, accuracy_)),
      gate_(gate_path.empty() ? nullptr : std::make_unique<Network>(load_gate(gate_path))),
      name_(std::filesystem::path(model_path).filename().string()),
      limits_(limits),
      seed_preprocessing_(seed_preprocessing) {
  release(std::make_unique<Slot>(net_, gate_.get()));  // one slot ready, so the first call is not slower
}

ModelClassifier::~ModelClassifier() = default;

std::unique_ptr<ModelClassifier::Slot> ModelClassifier::acquire() const {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      auto slot = std::move(pool_.back());
      pool_.pop_back();
      return slot;
    }
  }
  return std::make_unique<Slot>(net_, gate_.get());
}

// A slot keeps its image buffer for the next photo of a usual size, not the largest
// it ever decoded: one 50-megapixel upload (even a refused one) would otherwise hold
// 200 MB for the server's lifetime, per slot (found by the hostile soak).
constexpr std::size_t kRetainedImagePixels = std::size_t(1) << 18;  // 1 MB of floats: a 512 x 512 photo

void ModelClassifier::release(std::unique_ptr<Slot> slot) const {
  if (slot->image.pixels.capacity() > kRetainedImagePixels) std::vector<float>().swap(slot->image.pixels);
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(slot));
}

std::size_t ModelClassifier::idle_image_bytes() const {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  std::size_t bytes = 0;
  for (const auto& slot : pool_) bytes += slot->image.pixels.capacity() * sizeof(float);
  return bytes;
}

void ModelClassifier::read_digit(Slot& slot, const data::Preprocessed& digit, const data::Preprocessed& gate_view,
                                 Classification& result) const {
  slot.workspace.predict(digit.pixels.data(), 1, slot.probabilities.data());
  result.probabilities = slot.probabilities;
  result.digit = int(std::max_element(result.probabilities.begin(), result.probabilities.end()) -
                     result.probabilities.begin());
  result.probability = result.probabilities[result.digit];
  result.single_digit = -1;
  if (slot.gate_workspace) {
    if (gate_view.found) {
      slot.gate_workspace->predict(gate_view.pixels.data(), 1, slot.gate_probabilities);
      result.single_digit = slot.gate_probabilities[kGateSingleDigit];
    } else {
      result.single_digit = 0;  // blnk's own preprocessing finds no digit at all
    }
  }
}

void ModelClassifier::classify_pixels(const float* pixels, std::vector<float>& probabilities) const {
  auto slot = acquire();
  probabilities.resize(net_.num_classes());
  slot->workspace.predict(pixels, 1, probabilities.data());
  release(std::move(slot));
}

data::Preprocessed ModelClassifier::blnk_view(std::span<const std::uint8_t> bytes, const std::string& name,
                                              Slot& slot) const {
  data::decode_image_gray(bytes, name, slot.image, limits_, data::preprocess_decode_target());
  try {
    return data::preprocess_digit(slot.image, slot.preprocess);
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
}

bool ModelClassifier::classify(std::span<const std::uint8_t> bytes, const ClassifyOptions& options,
                               Classification& result, ClassifyFailure& failure) const {
  return classify_named(bytes, options.name.empty() ? "the image" : options.name, options, result, failure);
}

// A reading whose best probability times the gate's "one digit" reaches this is
// not read the other way round (see classify_named).
constexpr float kDecisiveScore = 0.999f;

bool ModelClassifier::classify_named(std::span<const std::uint8_t> bytes, const std::string& name,
                                     const ClassifyOptions& options, Classification& result,
                                     ClassifyFailure& failure) const {
  const auto start = std::chrono::steady_clock::now();
  auto slot = acquire();
  struct Return {  // gives the slot back on every path
    const ModelClassifier& self;
    std::unique_ptr<Slot>& slot;
    ~Return() { self.release(std::move(slot)); }
  } give_back{*this, slot};
  // Either pipeline gives the 28x28 digit; any error is this image's failure,
  // never the server's. preprocess_digit refuses images with a side over 32768
  // (within the pixel limit: a 12 x 2,490,380 BMP is 30 MP) by throwing
  // (docs/hardening.md, F5).
  data::Preprocessed digit;      // what the network reads
  data::Preprocessed seed_gate_view;  // with the seed's pipeline: what the gate judges
  try {
    if (seed_preprocessing_) {
      digit = data::seed_preprocess_image(bytes, name, limits_);
      // The gate was trained on blnk's view of an image, and the seed's view makes
      // a letter look like a digit to it (an A read "1, digit"): the gate judges
      // blnk's own view of the same image, whatever the network reads.
      if (gate_) seed_gate_view = blnk_view(bytes, name, *slot);
    } else {
      digit = blnk_view(bytes, name, *slot);
    }
  } catch (const data::ImageError& e) {
    failure = {status_for(e.kind()), e.what()};
    return false;
  } catch (const Error& e) {
    failure = {422, e.what()};
    return false;
  }
  if (!digit.found) {
    failure = {422, name + ": " + digit.reason + kNoDigitAdvice, true};
    return false;
  }
  read_digit(*slot, digit, seed_preprocessing_ ? seed_gate_view : digit, result);
  // A thick digit filling the frame can be read either way round (is the
  // paper the light part or the dark?): read it both ways, keep the reading
  // that looks more like one digit. A first reading already decisive needs no
  // second: the other way round could only win by being more so, and reading
  // it doubled the time of such photos (issue 21).
  auto score = [](const Classification& c) { return c.probability * (c.single_digit >= 0 ? c.single_digit : 1.0f); };
  if (!seed_preprocessing_ && !digit.polarity_sure && score(result) < kDecisiveScore) {
    data::PreprocessOptions flipped;
    flipped.polarity = digit.inverted ? data::InkPolarity::light : data::InkPolarity::dark;
    const data::Preprocessed other = data::preprocess_digit(slot->image, slot->preprocess, flipped);
    if (other.found) {
      Classification other_result;
      read_digit(*slot, other, other, other_result);
      if (score(other_result) > score(result)) {
        result = std::move(other_result);
        digit = other;
      }
    }
  }
  judge(result);
  if (seed_preprocessing_) judge_seed_reading(result, gate_ != nullptr, seed_gate_view);
  if (options.seen_png) result.seen_png = data::encode_png(digit.to_u8(), data::kDigitSide, data::kDigitSide, 1);
  result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return true;
}

}  // namespace blnk::reader
