// Flatten and ReLU: the two layers without parameters or cache.
#include "layers/flatten.h"

#include <algorithm>
#include <cstring>

namespace blnk {

void Flatten::forward(const float* x, float* y, int n, const LayerContext&) const {
  std::memcpy(y, x, sizeof(float) * std::size_t(n) * in_.size());
}

void Flatten::backward(const float*, const float*, float* dy, float* dx, int n,
                       const LayerContext&) const {
  if (dx) std::memcpy(dx, dy, sizeof(float) * std::size_t(n) * in_.size());
}

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
