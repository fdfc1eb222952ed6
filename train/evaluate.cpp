// Parallel evaluation over a labelled set.
#include "train/evaluate.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "base/error.h"
#include "base/text_encode.h"
#include "data/pixels.h"
#include "train/loss.h"

namespace blnk::train {

double Evaluation::precision(int k) const {
  std::int64_t predicted = 0;
  for (int t = 0; t < classes; ++t) predicted += confusion[std::size_t(t) * classes + k];
  return predicted ? double(confusion[std::size_t(k) * classes + k]) / double(predicted) : std::nan("");
}

double Evaluation::recall(int k) const {
  std::int64_t actual = 0;
  for (int p = 0; p < classes; ++p) actual += confusion[std::size_t(k) * classes + p];
  return actual ? double(confusion[std::size_t(k) * classes + k]) / double(actual) : std::nan("");
}

std::string Evaluation::to_json(const std::vector<std::string>& names) const {
  char buf[128];
  std::string s = "{";
  std::snprintf(buf, sizeof buf, "\"count\":%d,\"correct\":%d,\"accuracy\":%.6f,\"mean_loss\":%.6f,", count,
                correct, accuracy(), mean_loss);
  s += buf;
  if (!names.empty()) {
    s += "\"classes\":[";
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (k) s += ",";
      append_json_string(s, names[k]);
    }
    s += "],";
  }
  std::string precision_list, recall_list, matrix;
  for (int k = 0; k < classes; ++k) {
    if (k) precision_list += ',', recall_list += ',';
    append_fixed(precision_list, precision(k), 6);  // null where nothing was measured
    append_fixed(recall_list, recall(k), 6);
    matrix += k ? ",[" : "[";
    for (int p = 0; p < classes; ++p) {
      if (p) matrix += ',';
      matrix += std::to_string(confusion[std::size_t(k) * classes + p]);
    }
    matrix += "]";
  }
  s += "\"precision\":[" + precision_list + "],\"recall\":[" + recall_list + "],\"confusion\":[" + matrix + "]}";
  return s;
}

std::string Evaluation::to_text(const std::vector<std::string>& names) const {
  // Each class's label: its name, or its number; columns as wide as the longest.
  auto label = [&](int k) { return std::size_t(k) < names.size() ? names[std::size_t(k)] : std::to_string(k); };
  int width = 5;
  for (int k = 0; k < classes; ++k) width = std::max(width, text_columns(label(k)));
  auto cell = [](const std::string& text, int w) {
    return std::string(std::size_t(std::max(0, w - text_columns(text))), ' ') + text;
  };
  char buf[160];
  std::string s;
  std::snprintf(buf, sizeof buf, "accuracy %.2f%% (%d of %d), mean loss %.4f\n\n", 100 * accuracy(), correct,
                count, mean_loss);
  s += buf;
  s += cell("class", width) + "  precision  recall\n";
  for (int k = 0; k < classes; ++k) {
    auto percent = [](double v, int w) {
      if (std::isnan(v)) return std::string(std::size_t(w - 3), ' ') + "n/a";
      char text[32];
      std::snprintf(text, sizeof text, "%*.2f%%", w - 1, 100 * v);
      return std::string(text);
    };
    s += cell(label(k), width) + "  " + percent(precision(k), 9) + "  " + percent(recall(k), 6) + "\n";
  }
  s += "\nconfusion matrix (rows: true class, columns: predicted)\n" + cell("", width + 1);
  for (int p = 0; p < classes; ++p) s += cell(label(p), width + 1);
  s += "\n";
  for (int t = 0; t < classes; ++t) {
    s += cell(label(t), width + 1);
    for (int p = 0; p < classes; ++p) s += cell(std::to_string(confusion[std::size_t(t) * classes + p]), width + 1);
    s += "\n";
  }
  return s;
}

LabelledImages view_of(const data::Dataset& set) {
  return {set.images.pixels.data(), set.labels.labels.data(), set.size(),
          Shape{set.images.rows, set.images.cols, set.images.channels}};
}

void check_fits(const LabelledImages& set, const Network& net, const std::string& what) {
  if (set.shape != net.input_shape())
    throw Error(what + ": its images are " + set.shape.str() + ", the model takes " + net.input_shape().str());
  if (net.layers().back()->kind() != "Dense" || net.num_classes() > kMaxLossClasses)
    throw Error("the model " + net.spec() + " ends in " + net.output_shape().str() +
                " values, not in class scores: a classifier ends with a dense layer of one unit per class "
                "(e.g. ...,flatten,dense10)");
  const int classes = net.num_classes();
  for (int i = 0; i < set.count; ++i)
    if (set.labels[i] >= classes)
      throw Error(what + ": label " + std::to_string(set.labels[i]) + " of image " + std::to_string(i) +
                  " is outside the model's " + std::to_string(classes) + " classes");
}

Evaluation evaluate(const Network& net, const LabelledImages& set, int threads) {
  const int batch = kInferenceChunk;  // what an inference workspace takes at once
  const int classes = net.num_classes();
  const std::size_t image_size = net.input_shape().size();
  // Everything the parallel region below could throw for is checked here: an
  // exception may not leave an OpenMP region (it would terminate the program).
  if (threads < 1) throw Error("evaluate: the thread count must be at least 1, not " + std::to_string(threads));
  check_fits(set, net, "the evaluated set");
  Evaluation ev;
  ev.classes = classes;
  ev.count = set.count;
  ev.confusion.assign(std::size_t(classes) * classes, 0);
  const int chunks = (set.count + batch - 1) / batch;
  std::vector<double> loss_per_chunk(chunks, 0.0);
  std::vector<std::vector<std::int64_t>> confusion(threads, ev.confusion);
  // Everything that may throw (allocation) happens here: an exception must not
  // escape the parallel region.
  std::vector<std::unique_ptr<Workspace>> workspaces;
  std::vector<std::vector<float>> inputs;
  for (int t = 0; t < threads; ++t) {
    workspaces.push_back(std::make_unique<Workspace>(net, batch, Mode::inference));
    inputs.emplace_back(std::size_t(batch) * image_size);
  }
#pragma omp parallel num_threads(threads)
  {
    Workspace& ws = *workspaces[omp_get_thread_num()];
    std::vector<float>& x = inputs[omp_get_thread_num()];
    auto& my_confusion = confusion[omp_get_thread_num()];
#pragma omp for schedule(static)
    for (int chunk = 0; chunk < chunks; ++chunk) {
      const int first = chunk * batch;
      const int n = std::min(batch, set.count - first);
      const std::uint8_t* src = set.pixels + std::size_t(first) * image_size;
      data::bytes_to_units(src, std::size_t(n) * image_size, x.data());
      const float* logits = ws.forward(x.data(), n, Mode::inference);
      const auto r = softmax_cross_entropy(logits, set.labels + first, n, classes, n, nullptr);
      loss_per_chunk[chunk] = r.loss_sum;
      for (int s = 0; s < n; ++s) {
        const float* z = logits + std::size_t(s) * classes;
        int best = 0;
        for (int k = 1; k < classes; ++k)
          if (z[k] > z[best]) best = k;
        ++my_confusion[std::size_t(set.labels[first + s]) * classes + best];
      }
    }
  }
  double loss = 0;
  for (double l : loss_per_chunk) loss += l;  // in chunk order: independent of the thread count
  for (const auto& c : confusion)
    for (std::size_t i = 0; i < c.size(); ++i) ev.confusion[i] += c[i];
  for (int k = 0; k < classes; ++k) ev.correct += int(ev.confusion[std::size_t(k) * classes + k]);
  ev.mean_loss = set.count ? loss / set.count : 0.0;
  return ev;
}

}  // namespace blnk::train
