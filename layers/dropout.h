// Dropout: inverted dropout in training (kept units scaled by 1/(1-rate)), the
// identity in inference. The mask is drawn from a counter-based hash of
// (step key, sample index in the whole batch, unit), so it does not depend on
// how the batch was split over threads; it is cached as one byte per unit.
#pragma once

#include "layers/layer.h"

namespace blnk {

class Dropout : public Layer {
 public:
  Dropout(Shape input, float rate);

  std::string kind() const override { return "Dropout"; }
  std::string spec() const override;
  std::size_t cache_bytes(int n) const override { return std::size_t(n) * in_.size(); }
  bool is_identity(Mode mode) const override { return mode == Mode::inference || drop_below_ == 0; }
  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;

  float rate() const { return rate_; }

 private:
  float rate_;
  std::uint32_t drop_below_;  // a unit is dropped when its 16-bit draw is below this
};

}  // namespace blnk
