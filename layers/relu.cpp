// ReLU forward and backward (see relu.h).
#include "layers/relu.h"

#include <algorithm>

namespace blnk {

void ReLU::forward(const float* x, float* y, int n, const LayerContext&) const {
  const std::size_t total = std::size_t(n) * in_.size();
  for (std::size_t i = 0; i < total; ++i) y[i] = std::max(x[i], 0.0f);
}

void ReLU::backward(const float*, const float* y, float* dy, float* dx, int n,
                    const LayerContext&) const {
  if (!dx) return;
  const std::size_t total = std::size_t(n) * in_.size();
  for (std::size_t i = 0; i < total; ++i) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

}  // namespace blnk
