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
  std::size_t bf16_scratch_bytes(int n) const override;  // layers/dense_bf16.cpp

  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;

  int units() const { return units_; }
  bool relu() const { return relu_; }

 private:
  // The products in bfloat16 (dense_bf16.cpp): y = x W; and, from dz (ReLU's mask
  // applied), dW += x^T dz, the bias gradient and dx = dz W^T.
  void forward_bf16(const float* x, float* y, int n, const LayerContext& ctx) const;
  void backward_bf16(const float* x, const float* dz, float* dx, int n, const LayerContext& ctx) const;

  int units_;
  bool relu_;
};

}  // namespace blnk
