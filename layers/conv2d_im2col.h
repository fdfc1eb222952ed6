// Conv2D by im2col + GEMM, a few samples at a time (a chunk whose im2col matrix
// stays in L2), with bias and ReLU fused into one pass over the GEMM's output: the
// general path (any kernel, stride, padding and
// channel count that Winograd does not take; in the residual network the stride-2
// 3x3 and the 1x1 shortcut convolutions). The GEMMs are small_gemm's where it runs
// in AVX-512 registers (layers/small_gemm.h: on these shapes 190-200 GFLOP/s on one
// core, against 90-130 for Eigen's product), Eigen's elsewhere.
#pragma once

#include <algorithm>
#include <cstddef>

#include "base/shape.h"
#include "layers/batchnorm_gradient.h"
#include "layers/window.h"

namespace blnk {

class Im2colConv {
 public:
  Im2colConv() = default;
  Im2colConv(const Window& window, Shape out);

  int patch_size() const { return win_.taps() * win_.in.c; }  // K
  // One chunk's im2col matrix (samples*OH*OW, K), then its column gradient. Backward
  // builds the matrix again from x rather than keeping the batch's from forward: a
  // copy within the caches instead of a buffer 9x the input (7.2 MB for 32 samples
  // of the residual network's res64) written to memory and read back twice.
  std::size_t cache_floats(int n) const {
    return std::size_t(std::min(n, chunk_)) * out_.h * out_.w * patch_size();
  }

  // The kernel transposed, (F, K), which the input gradient multiplies by.
  std::size_t prepared_floats() const { return std::size_t(patch_size()) * out_.c; }
  void prepare(const float* kernel, float* kernel_t) const;

  // Scratch of the products in bfloat16 (layers/im2col_bf16.cpp).
  std::size_t bf16_scratch_bytes() const;

  // bf16: null, or bf16_scratch_bytes() bytes of scratch to run the products in
  // bfloat16 (backward likewise).
  void forward(const float* x, float* y, int n, const float* kernel, const float* bias, bool relu, float* col,
               std::byte* bf16 = nullptr) const;
  // x: forward's input; dz: the gradient before the ReLU (n, OH, OW, F). Adds to
  // dkernel; writes dx unless null (adds to it when add_dx).
  void backward(const float* x, const float* dz, float* dx, int n, const float* kernel, const float* kernel_t,
                float* dkernel, float* col, bool add_dx = false, std::byte* bf16 = nullptr) const;
  // The same where a BatchNorm follows (no ReLU of its own): dy is the gradient at the
  // bn's output, and dz, bn.at(dy, ...), is made a chunk at a time in dz_scratch (room
  // for n samples' output), its column sums added to dbias there.
  void backward_through_bn(const float* x, const BatchNormGradient& bn, const float* dy, float* dx, int n,
                           const float* kernel, const float* kernel_t, float* dkernel, float* dbias, float* col,
                           float* dz_scratch, bool add_dx = false, std::byte* bf16 = nullptr) const;

 private:
  void im2col(const float* x, float* col, int n) const;
  // One chunk's products: dkernel += col^T dz, and unless dx is null, col = dz kernel^T
  // and its col2im into dx. col holds the chunk's im2col matrix of x.
  void chunk_backward(std::ptrdiff_t M, int samples, const float* dzs, float* dxs, const float* kernel,
                      const float* kernel_t, float* dkernel, float* col, bool add_dx, std::byte* bf16) const;
  void col2im(const float* col, float* dx, int n, bool add) const;
  // The three products in bfloat16 over M rows (im2col_bf16.cpp): y = col kernel;
  // dkernel += col^T dz; col = dz kernel^T.
  void bf16_forward_product(std::ptrdiff_t M, const float* col, const float* kernel, float* y, std::byte* scratch) const;
  void bf16_kernel_gradient(std::ptrdiff_t M, const float* col, const float* dz, float* dkernel, std::byte* scratch) const;
  void bf16_column_gradient(std::ptrdiff_t M, const float* dz, const float* kernel_t, float* col,
                            std::byte* scratch) const;

  Window win_;
  Shape out_;
  int chunk_ = 1;  // samples per chunk
};

}  // namespace blnk
