// Flatten: (h, w, c) -> (1, 1, h*w*c) in height, width, channel order, as Keras
// flattens channels-last tensors. The data does not move; it is copied only
// because every layer writes its own output buffer.
#pragma once

#include "layers/layer.h"

namespace blnk {

class Flatten : public Layer {
 public:
  explicit Flatten(Shape input) : Layer(input) { out_ = Shape{1, 1, int(input.size())}; }

  std::string kind() const override { return "Flatten"; }
  std::string spec() const override { return "flatten"; }
  bool is_identity(Mode) const override { return true; }
  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;
};

}  // namespace blnk
