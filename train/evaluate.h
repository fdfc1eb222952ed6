// Evaluation of a network on a labelled set: accuracy, mean loss, per-class
// precision and recall, and the confusion matrix. Runs in parallel over the set
// with one Workspace per thread; the result does not depend on the thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/idx.h"
#include "engine/network.h"

namespace blnk::train {

// A view of labelled uint8 images, pixel value v fed as v/255 (data/pixels.h).
struct LabelledImages {
  const std::uint8_t* pixels = nullptr;  // (count, shape.h, shape.w, shape.c)
  const data::Label* labels = nullptr;   // (count)
  int count = 0;
  Shape shape = kMnistShape;             // of one image
  std::size_t image_size() const { return shape.size(); }
};

// A loaded data set's view: its images are (rows, cols, channels).
LabelledImages view_of(const data::Dataset& set);

// The one check of a set against a network, made wherever a set meets one (the
// trainer, evaluate): every image has the network's input shape, the network ends
// in class scores, every label is one of its classes. Throws Error naming `what`
// ("the training set") and the first problem.
void check_fits(const LabelledImages& set, const Network& net, const std::string& what);

struct Evaluation {
  int count = 0;
  int correct = 0;
  double mean_loss = 0;
  int classes = 0;
  std::vector<std::int64_t> confusion;  // (classes, classes): row = true label, column = predicted
  double accuracy() const { return count ? double(correct) / count : 0.0; }
  // NaN where nothing was measured (no image predicted as k, no image of k): the text
  // shows "n/a", the JSON null, never a 0.00% that reads as a failure.
  double precision(int k) const;
  double recall(int k) const;
  // `names`: the classes' names (a class model's), labelling the table and added to the JSON
  // as "classes"; empty: classes are their numbers.
  std::string to_json(const std::vector<std::string>& names = {}) const;
  std::string to_text(const std::vector<std::string>& names = {}) const;  // a table for people
};

Evaluation evaluate(const Network& net, const LabelledImages& set, int threads);

}  // namespace blnk::train
