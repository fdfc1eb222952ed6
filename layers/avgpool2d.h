// AvgPool2D: average pooling over NHWC batches, Keras's AveragePooling2D with valid
// padding (floors: 7 -> 3 for a 2x2 pool); every window lies inside the input, so
// each output is the mean of pool_h * pool_w values.
#pragma once

#include "layers/layer.h"
#include "layers/window.h"

namespace blnk {

class AvgPool2D : public Layer {
 public:
  AvgPool2D(Shape input, int pool_h, int pool_w, int stride_h, int stride_w);

  std::string kind() const override { return "AveragePooling2D"; }
  std::string spec() const override;
  double forward_flops() const override { return double(in_.size()); }
  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;

  const Window& window() const { return window_; }

 private:
  Window window_;
};

// GlobalAvgPool: (h, w, c) -> (1, 1, c), the mean of each channel over the image
// (Keras's GlobalAveragePooling2D); a Dense layer can follow it directly.
class GlobalAvgPool : public Layer {
 public:
  explicit GlobalAvgPool(Shape input) : Layer(input) { out_ = Shape{1, 1, input.c}; }

  std::string kind() const override { return "GlobalAveragePooling2D"; }
  std::string spec() const override { return "gap"; }
  double forward_flops() const override { return double(in_.size()); }
  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;
};

}  // namespace blnk
