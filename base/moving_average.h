// The momentum of an exponential moving average that warms up, as TensorFlow's
// ExponentialMovingAverage with num_updates: after `updates` updates it is at most
// (1 + updates) / (10 + updates), so early on the average follows its values closely
// instead of staying near its starting point for hundreds of steps. Used by the
// trainer's average of the weights (--ema) and BatchNorm's running statistics.
#pragma once

#include <algorithm>
#include <cstdint>

namespace blnk {

inline float warmed_up_momentum(float momentum, std::int64_t updates) {
  const double u = double(updates);
  return float(std::min(double(momentum), (1.0 + u) / (10.0 + u)));
}

}  // namespace blnk
