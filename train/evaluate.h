// Evaluation of a network on a labelled set: accuracy, mean loss, per-class
// precision and recall, and the confusion matrix. Runs in parallel over the set
// with one Workspace per thread; the result does not depend on the thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/network.h"

namespace blnk::train {

// A view of labelled uint8 images (count, h, w, c), pixel value v is fed as v/255.
struct LabelledImages {
  const std::uint8_t* pixels = nullptr;
  const std::uint8_t* labels = nullptr;
  int count = 0;
};

struct Evaluation {
  int count = 0;
  int correct = 0;
  double mean_loss = 0;
  int classes = 0;
  std::vector<std::int64_t> confusion;  // (classes, classes): row = true label, column = predicted
  double accuracy() const { return count ? double(correct) / count : 0.0; }
  double precision(int k) const;
  double recall(int k) const;
  std::string to_json() const;
  std::string to_text() const;  // a table for people
};

Evaluation evaluate(const Network& net, const LabelledImages& set, int threads);

}  // namespace blnk::train
