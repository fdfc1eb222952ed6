// ReLU as a layer of its own, for specs that want it separate from Conv2D/Dense
// (which fuse it into their own pass).
#pragma once

#include "layers/layer.h"

namespace blnk {

class ReLU : public Layer {
 public:
  explicit ReLU(Shape input) : Layer(input) {}

  std::string kind() const override { return "ReLU"; }
  std::string spec() const override { return "relu"; }
  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;
};

}  // namespace blnk
