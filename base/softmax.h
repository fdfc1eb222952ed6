// Numerically stable softmax of one row of logits (log-sum-exp shift by the max).
#pragma once

#include <algorithm>
#include <cmath>

namespace blnk {

// probs may alias logits. Returns log(sum(exp(logits - max))) + max, the row's log-partition.
inline double softmax_row(const float* logits, float* probs, int classes) {
  const float max = *std::max_element(logits, logits + classes);
  double sum = 0;
  for (int k = 0; k < classes; ++k) sum += std::exp(double(logits[k]) - max);
  const double log_sum = std::log(sum);
  for (int k = 0; k < classes; ++k) probs[k] = float(std::exp(double(logits[k]) - max - log_sum));
  return log_sum + max;
}

}  // namespace blnk
