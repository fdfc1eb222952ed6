// What Conv2D and Dense share around their products: the bias-and-ReLU epilogue,
// the ReLU's mask in backward, and Glorot-uniform initialisation.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "base/rng.h"

namespace blnk {

// y (rows, cols) += bias per column, then max(., 0) when relu: one pass over the output.
inline void add_bias_relu(float* y, std::ptrdiff_t rows, int cols, const float* bias, bool relu) {
  for (std::ptrdiff_t r = 0; r < rows; ++r) {
    float* row = y + r * cols;
    if (relu)
      for (int c = 0; c < cols; ++c) row[c] = std::max(row[c] + bias[c], 0.0f);
    else
      for (int c = 0; c < cols; ++c) row[c] += bias[c];
  }
}

// dy becomes the gradient before the ReLU, in place: zero where the output y was not positive.
inline void relu_mask(float* dy, const float* y, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

// Keras's defaults: a kernel of `weights` values uniform in +-sqrt(6 / (fan_in + fan_out)),
// then `biases` zeros after it.
inline void glorot_uniform_init(float* params, std::size_t weights, std::size_t biases, int fan_in, int fan_out,
                                Rng& rng) {
  const float limit = std::sqrt(6.0f / float(fan_in + fan_out));
  for (std::size_t i = 0; i < weights; ++i) params[i] = rng.uniform(-limit, limit);
  std::fill(params + weights, params + weights + biases, 0.0f);
}

}  // namespace blnk
