// Dense: y = x W + b over a batch of flattened samples, W stored (in, out) as
// Keras stores it, with an optional fused ReLU.
#pragma once

#include "layers/layer.h"

namespace blnk {

class Dense : public Layer {
 public:
  Dense(Shape input, int units, bool relu);

  std::string kind() const override { return "Dense"; }
  std::string spec() const override;
  std::vector<ParamInfo> param_info() const override;
  void init_params(float* params, Rng& rng) const override;
  double forward_flops() const override { return 2.0 * double(in_.size()) * units_; }
  // Backward's transposes of dz (units, n) and dx (in, n).
  std::size_t cache_bytes(int n) const override { return std::size_t(n) * (units_ + in_.size()) * sizeof(float); }

  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;

  int units() const { return units_; }
  bool relu() const { return relu_; }

 private:
  int units_;
  bool relu_;
};

}  // namespace blnk
