// A class model and its Classifier (class_model.h).
#include "reader/class_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "base/error.h"
#include "data/class_folder.h"
#include "data/image_color.h"
#include "data/image_write.h"
#include "data/pixels.h"
#include "engine/model_metadata.h"
#include "reader/image_status.h"

namespace blnk::reader {

std::optional<ClassModelInfo> class_model_of(const ModelFile& file, const std::string& name) {
  const std::string* classes = file.find_metadata(metadata::kClasses);
  if (!classes) return std::nullopt;
  ClassModelInfo info;
  info.classes = data::split_class_names(*classes);
  data::check_class_names(info.classes, name + ": metadata " + metadata::kClasses);
  const std::string* fit = file.find_metadata(metadata::kInputFit);
  const std::optional<data::ImageFit> parsed = data::parse_fit(fit ? *fit : "pad");
  if (!parsed) throw Error(name + ": metadata " + metadata::kInputFit + " is '" + *fit + "'; expected pad or crop");
  info.input = {file.input.h, file.input.w, file.input.c, *parsed};
  if (info.input.channels != 1 && info.input.channels != 3)
    throw Error(name + ": a class model takes grey (1) or RGB (3) images; this one takes " + file.input.str());
  return info;
}

void set_class_model(ModelFile& file, const std::vector<std::string>& classes, data::ImageFit fit) {
  file.set_metadata(metadata::kClasses, data::join_class_names(classes));
  file.set_metadata(metadata::kInputFit, data::fit_name(fit));
}

std::string not_a_digit_model_message(const std::string& name, const ClassModelInfo& info) {
  std::string listed;
  for (std::size_t i = 0; i < info.classes.size() && i < 5; ++i) listed += (i ? ", " : "") + info.classes[i];
  if (info.classes.size() > 5) listed += ", ...";
  return name + ": a class model (" + std::to_string(info.classes.size()) + " classes: " + listed + "; " +
         std::to_string(info.input.height) + "x" + std::to_string(info.input.width) + "x" +
         std::to_string(info.input.channels) + " images), not a digit reader: digit preprocessing does not apply to it";
}

struct ClassModelClassifier::Slot {
  Slot(const Network& net, const data::ClassInput& input)
      : workspace(net, 1, Mode::inference), fitted(input.size()), pixels(input.size()), probabilities(net.num_classes()) {}
  Workspace workspace;
  std::vector<std::uint8_t> fitted;  // (h, w, c) bytes: what the network sees
  std::vector<float> pixels;         // the same in [0, 1]
  std::vector<float> probabilities;
};

namespace {

ClassModelInfo info_of(const ModelFile& file, const std::string& path) {
  std::optional<ClassModelInfo> info = class_model_of(file, path);
  if (!info)
    throw Error(path + ": not a class model (its file names no classes: a digit reader, or a model trained on IDX "
                       "files); train one on a folder of classes with blnk train --images DIR --image-size HxW");
  return std::move(*info);
}

}  // namespace

ClassModelClassifier::ClassModelClassifier(const std::string& model_path, const data::ImageLimits& limits)
    : ClassModelClassifier(read_model_file(model_path), model_path, limits) {}

ClassModelClassifier::ClassModelClassifier(const ModelFile& file, const std::string& model_path,
                                           const data::ImageLimits& limits)
    : info_(info_of(file, model_path)),
      net_(network_from(file, model_path)),
      accuracy_(std::nan("")),
      name_(std::filesystem::path(model_path).filename().string()),
      limits_(limits) {
  if (net_.num_classes() != int(info_.classes.size()))
    throw Error(model_path + ": names " + std::to_string(info_.classes.size()) + " classes but has " +
                std::to_string(net_.num_classes()) + " outputs");
  if (const std::string* stored = file.find_metadata(metadata::kTestAccuracy)) accuracy_ = std::atof(stored->c_str());
  release(std::make_unique<Slot>(net_, info_.input));
}

ClassModelClassifier::~ClassModelClassifier() = default;

std::unique_ptr<ClassModelClassifier::Slot> ClassModelClassifier::acquire() const {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      auto slot = std::move(pool_.back());
      pool_.pop_back();
      return slot;
    }
  }
  return std::make_unique<Slot>(net_, info_.input);
}

void ClassModelClassifier::release(std::unique_ptr<Slot> slot) const {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(slot));
}

bool ClassModelClassifier::classify(std::span<const std::uint8_t> bytes, const ClassifyOptions& options,
                                    Classification& result, ClassifyFailure& failure) const {
  const auto start = std::chrono::steady_clock::now();
  const std::string name = options.name.empty() ? "the image" : options.name;
  auto slot = acquire();
  try {
    data::fit_image(data::decode_image_color(bytes, name, limits_, data::ExifOrientation::as_shown), info_.input,
                    slot->fitted.data());
  } catch (const data::ImageError& e) {
    release(std::move(slot));
    failure = {status_for(e.kind()), e.what()};
    return false;
  }
  data::bytes_to_units(slot->fitted.data(), slot->fitted.size(), slot->pixels.data());
  slot->workspace.predict(slot->pixels.data(), 1, slot->probabilities.data());
  result.probabilities = slot->probabilities;
  result.digit = int(std::max_element(result.probabilities.begin(), result.probabilities.end()) -
                     result.probabilities.begin());
  result.probability = result.probabilities[std::size_t(result.digit)];
  result.verdict = Verdict::unjudged;
  result.reason.clear();
  result.single_digit = -1;
  if (options.seen_png)
    result.seen_png = data::encode_png(slot->fitted, info_.input.width, info_.input.height, info_.input.channels);
  release(std::move(slot));
  result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return true;
}

}  // namespace blnk::reader
