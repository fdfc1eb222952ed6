// Softmax cross-entropy: loss and gradient in one pass over the logits.
#include "train/loss.h"

#include <cmath>

#include "base/error.h"
#include "base/softmax.h"

namespace blnk::train {

LossResult softmax_cross_entropy(const float* logits, const data::Label* labels, int n,
                                 int classes, int batch_total, float* dlogits) {
  constexpr int kMaxClasses = kMaxLossClasses;
  if (classes < 1 || classes > kMaxClasses) throw Error("loss: unsupported class count");
  LossResult r;
  float probs[kMaxClasses];
  const float scale = 1.0f / float(batch_total);
  for (int s = 0; s < n; ++s) {
    const float* z = logits + std::size_t(s) * classes;
    const int label = labels[s];
    if (label >= classes)
      throw Error("loss: label " + std::to_string(label) + " outside [0, " +
                  std::to_string(classes) + ")");
    const double log_partition = softmax_row(z, probs, classes);
    r.loss_sum += log_partition - double(z[label]);
    int best = 0;
    for (int k = 1; k < classes; ++k)
      if (z[k] > z[best]) best = k;
    r.correct += best == label;
    if (dlogits) {
      float* d = dlogits + std::size_t(s) * classes;
      for (int k = 0; k < classes; ++k) d[k] = (probs[k] - (k == label ? 1.0f : 0.0f)) * scale;
    }
  }
  return r;
}

}  // namespace blnk::train
