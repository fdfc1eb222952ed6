// Conv2D by im2col + one GEMM per batch slice, with bias and ReLU fused into one
// pass over the GEMM's output: the general path (any kernel, stride, padding and
// channel count that Winograd does not take; in the residual network the stride-2
// 3x3 and the 1x1 shortcut convolutions). The GEMMs are small_gemm's where it runs
// in AVX-512 registers (layers/small_gemm.h: on these shapes 190-200 GFLOP/s on one
// core, against 90-130 for Eigen's product), Eigen's elsewhere.
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

  // The kernel transposed, (F, K), which the input gradient multiplies by.
  std::size_t prepared_floats() const { return std::size_t(patch_size()) * out_.c; }
  void prepare(const float* kernel, float* kernel_t) const;

  void forward(const float* x, float* y, int n, const float* kernel, const float* bias, bool relu, float* col) const;
  // dz: the gradient before the ReLU (n, OH, OW, F). Adds to dkernel; writes dx unless
  // null (adds to it when add_dx).
  void backward(const float* dz, float* dx, int n, const float* kernel, const float* kernel_t, float* dkernel,
                float* col, bool add_dx = false) const;

 private:
  void im2col(const float* x, float* col, int n) const;
  void col2im(const float* col, float* dx, int n, bool add) const;

  Window win_;
  Shape out_;
};

}  // namespace blnk
