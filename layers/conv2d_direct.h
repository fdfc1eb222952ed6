// Conv2D with one input channel (the first layer, where an im2col GEMM with K = 9 is
// memory-bound): a direct convolution vectorised over the filters. For 3x3, stride 1
// and filters in whole AVX-512 vectors (the seed's first layer) the kernel stays in
// registers: forward with nine broadcasts per pixel, backward (when no input gradient
// is wanted) with the kernel gradient, the ReLU mask and the bias sums in one pass.
#pragma once

#include "base/shape.h"
#include "layers/window.h"

namespace blnk {

class DirectConv {
 public:
  DirectConv() = default;
  DirectConv(const Window& window, Shape out, bool relu) : win_(window), out_(out), relu_(relu) {}

  // x (n, H, W, 1) -> y (n, OH, OW, F): bias, the taps, the ReLU.
  void forward(const float* x, float* y, int n, const float* kernel, const float* bias) const;
  // The register path of backward: applies the ReLU's mask to dy itself and adds to
  // dkernel and dbias. Returns false (and does nothing) where it does not apply.
  bool backward_in_registers(const float* x, const float* y, const float* dy, int n, float* dkernel,
                             float* dbias) const;
  // dz: the gradient before the ReLU (n, OH, OW, F). Adds to dkernel; writes dx unless
  // null (adds to it when add_dx).
  void backward(const float* x, const float* dz, float* dx, int n, const float* kernel, float* dkernel,
                bool add_dx = false) const;

 private:
  template <int FIXED>
  void forward_rows(const float* x, float* y, int n, const float* kernel, const float* bias) const;
  bool in_registers() const;
  bool forward_in_registers(const float* x, float* y, int n, const float* kernel, const float* bias) const;

  Window win_;
  Shape out_;
  bool relu_ = true;
};

}  // namespace blnk
