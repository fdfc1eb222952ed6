// The model behind the Python module's blnk.Model: batch inference over many threads
// for arrays of images, and for image files the whole reader of a digit model
// (reader::ModelClassifier: decode, preprocessing, network) or of a class model
// (reader::ClassModelClassifier: decode, fit, network). Knows nothing of Python: the bindings
// (module.cpp) check the arrays and hand over raw pointers.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "engine/model_file.h"
#include "engine/network.h"
#include "reader/class_model.h"
#include "reader/model_classifier.h"

namespace blnk::python {

class Model {
 public:
  // Loads a model file and, unless gate_path is empty, the digit gate read() uses for
  // its verdict (reader/verdict.h; a class model has none); throws Error naming the
  // file. threads: for predict_proba (>= 1).
  Model(const std::string& path, int threads, const std::string& gate_path = "");

  // The model file; empty for a model blnk.train made in a temporary file it removed.
  const std::string& path() const { return path_; }
  void forget_path() { path_.clear(); }
  const Network& network() const { return digits_ ? digits_->network() : classes_->network(); }
  // A class model's names in output order; empty for a digit reader.
  const std::vector<std::string>& classes() const;
  const ModelFile& file() const { return file_; }
  int threads() const { return threads_; }

  // x (n, h, w, c) pixels as the network sees them (digits: 28x28, float32 0 = background,
  // 1 = ink; uint8: 0..255, scaled by 1/255 as training does) -> probs (n, classes).
  // Re-entrant: concurrent calls take turns.
  void predict_proba(const float* x, int n, float* probs) const;
  void predict_proba(const std::uint8_t* x, int n, float* probs) const;

  // The whole reader on an encoded image (PNG, JPEG, BMP, PNM); a class model's reading
  // has the class's index in `digit`. `name` starts error messages; throws Error when
  // the image cannot be read.
  reader::Classification read(std::span<const std::uint8_t> image_bytes, const std::string& name) const;

 private:
  template <typename Pixel>
  void run(const Pixel* x, int n, float* probs) const;

  std::string path_;
  ModelFile file_;
  std::unique_ptr<reader::ModelClassifier> digits_;       // a digit reader's, or
  std::unique_ptr<reader::ClassModelClassifier> classes_;  // a class model's
  int threads_;
  mutable std::mutex mutex_;                              // guards the buffers below
  mutable std::vector<std::unique_ptr<Workspace>> workspaces_;  // one per thread
  mutable std::vector<std::vector<float>> scaled_;        // per thread: a chunk of uint8 pixels as floats
};

}  // namespace blnk::python
