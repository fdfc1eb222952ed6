// Softmax fused with sparse categorical cross-entropy, numerically stable
// (log-sum-exp), as the mean over the whole batch.
#pragma once

#include <cstdint>

#include "data/idx.h"

namespace blnk::train {

inline constexpr int kMaxLossClasses = 1024;

struct LossResult {
  double loss_sum = 0;  // sum over the given samples of -log p(label)
  int correct = 0;      // samples whose argmax is the label
};

// logits: (n, classes); labels: n values in [0, classes). Writes
// dlogits = (softmax - onehot) / batch_total, so that the gradients of slices of
// one batch, summed, are the gradient of the batch mean. dlogits may be null.
LossResult softmax_cross_entropy(const float* logits, const data::Label* labels, int n,
                                 int classes, int batch_total, float* dlogits);

}  // namespace blnk::train
