// MaxPool2D over NHWC batches, Keras semantics: `valid` floors (7 -> 3 for a 2x2
// pool), `same` pads with -infinity. Backward sends each output's gradient to the
// first maximum of its window, which the training forward records (a byte per output).
#pragma once

#include <cstdint>

#include "layers/layer.h"
#include "layers/window.h"

namespace blnk {

struct MaxPool2DConfig {
  int pool_h = 2, pool_w = 2;
  int stride_h = 2, stride_w = 2;
  Padding padding = Padding::valid;
};

class MaxPool2D : public Layer {
 public:
  static constexpr int kMaxWindowPositions = 256;  // the winner is recorded in a byte

  MaxPool2D(Shape input, const MaxPool2DConfig& config);

  std::string kind() const override { return "MaxPooling2D"; }
  std::string spec() const override;
  std::size_t cache_bytes(int n) const override;
  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;

  const MaxPool2DConfig& config() const { return cfg_; }

 private:
  // The window of output (oy, ox): pointers to its taps' channel vectors in `image` (one
  // sample, NHWC) and their positions (ky * pool_w + kx), in window order, skipping taps
  // outside the image. Returns the count.
  template <typename T>
  int window_taps(T* image, int oy, int ox, T** taps, std::uint8_t* positions) const;

  MaxPool2DConfig cfg_;
  Window window_;
};

}  // namespace blnk
