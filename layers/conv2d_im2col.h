// Conv2D by im2col + one GEMM (Eigen) per batch slice, with bias and ReLU fused into
// one pass over the GEMM's output: the general path (any kernel, stride, padding and
// channel count that Winograd does not take).
#pragma once

#include <cstddef>

#include "base/shape.h"
#include "layers/window.h"

namespace blnk {

class Im2colConv {
 public:
  Im2colConv() = default;
  Im2colConv(const Window& window, Shape out) : win_(window), out_(out) {}

  int patch_size() const { return win_.taps() * win_.in.c; }  // K
  // The im2col matrix (n*OH*OW, K): kept from forward for the weight gradient, then
  // reused as the buffer of the column gradient.
  std::size_t cache_floats(int n) const { return std::size_t(n) * out_.h * out_.w * patch_size(); }

  void forward(const float* x, float* y, int n, const float* kernel, const float* bias, bool relu, float* col) const;
  // dz: the gradient before the ReLU (n, OH, OW, F). Adds to dkernel; writes dx unless null.
  void backward(const float* dz, float* dx, int n, const float* kernel, float* dkernel, float* col) const;

 private:
  void im2col(const float* x, float* col, int n) const;
  void col2im(const float* col, float* dx, int n) const;

  Window win_;
  Shape out_;
};

}  // namespace blnk
