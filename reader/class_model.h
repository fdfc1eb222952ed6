// A class model: a network trained on a folder of image classes (data/class_folder.h),
// whose file names its classes and how images are fitted to its input. It is not a
// digit reader: none of the digit pipeline (preprocessing, gate, verdict) applies;
// an image is decoded, fitted (data/image_fit.h) and classified, and the answer
// names the class (reader/class_answer.h).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/image_fit.h"
#include "engine/model_file.h"
#include "engine/network.h"
#include "reader/classifier.h"

namespace blnk::reader {

// What a class model's file says of its classes and input.
struct ClassModelInfo {
  std::vector<std::string> classes;  // in output order
  data::ClassInput input;            // its size and channels are the network's input
};

// nullopt when the file names no classes (not a class model). Throws Error naming
// `name` when its class names or fit are malformed or do not match the network
// (one name per output, a grey or RGB input).
std::optional<ClassModelInfo> class_model_of(const ModelFile& file, const std::string& name);

// Writes what class_model_of reads: the class names (in output order) and the fit.
void set_class_model(ModelFile& file, const std::vector<std::string>& classes, data::ImageFit fit);

// The message a digit reader gives when handed a class model (`name` is the file).
std::string not_a_digit_model_message(const std::string& name, const ClassModelInfo& info);

// The Classifier of a class model: bytes -> decoded in colour -> fitted -> the
// network. Re-entrant: each call borrows a planned workspace from a pool. The
// Classification's `digit` is the index of the class, `verdict` unjudged.
class ClassModelClassifier : public Classifier {
 public:
  // Throws Error naming the file when it is not a class model.
  explicit ClassModelClassifier(const std::string& model_path, const data::ImageLimits& limits = {});
  ~ClassModelClassifier() override;

  bool classify(std::span<const std::uint8_t> image_bytes, const ClassifyOptions& options,
                Classification& result, ClassifyFailure& failure) const override;
  std::string model_name() const override { return name_; }
  double model_accuracy() const override { return accuracy_; }
  std::vector<std::string> class_names() const override { return info_.classes; }

  const ClassModelInfo& info() const { return info_; }
  const Network& network() const { return net_; }

 private:
  ClassModelClassifier(const ModelFile& file, const std::string& model_path, const data::ImageLimits& limits);
  struct Slot;
  std::unique_ptr<Slot> acquire() const;
  void release(std::unique_ptr<Slot> slot) const;

  ClassModelInfo info_;
  Network net_;
  double accuracy_;
  std::string name_;
  data::ImageLimits limits_;
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Slot>> pool_;
};

}  // namespace blnk::reader
